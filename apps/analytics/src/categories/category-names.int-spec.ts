/**
 * The maintained category names on real Postgres (and NATS for the consumer's batches): a change
 * applies unless a later one is stored, whatever the arrival order, one by one, in a batch, through
 * the live consumer's concurrent batches and through the replay's batch projector alike.
 */
import 'reflect-metadata';
import { Channel, EventEnvelope, RequestType, subjectFor, Urgency } from '@app/contracts';
import { durableName, ensureStream, loadConfig, PlatformModule, standaloneTxHost, TxHost } from '@app/platform';
import { BusMetrics } from '@app/platform/bus/bus.metrics';
import { asBatch, createTestDatabase, migratedDataSource, TEST_NATS_URL, testBus, testEnvelope, waitFor } from '@app/platform/testing';
import { DynamicModule, INestApplicationContext, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Logger as PinoLogger } from 'nestjs-pino';
import { connect, NatsConnection } from 'nats';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { ANALYTICS_CONFIG, AnalyticsConfig } from '../analytics.config';
import { ANALYTICS_PERSISTENCE } from '../analytics.persistence';
import { BatchProjector } from '../replay/batch-projector';
import { READ_MODEL_TABLES } from '../replay/replay';
import { CategoryNamesHandlers } from './category-names.handlers';
import { CategoryNamesRepository } from './category-names.repository';

const T0 = Date.parse('2026-03-09T01:00:00Z');
const at = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString();

/** A category.changed.v1 as intake publishes it: under the city's code, no order. */
function changed(code: string, nameZh: string, minutes: number, active = true): EventEnvelope<'category.changed.v1'> {
  return testEnvelope('category.changed.v1', {
    district: '630100',
    ticketId: null,
    producer: 'intake',
    occurredAt: at(minutes),
    data: { code, nameZh, nameEn: `${code} (${nameZh})`, active, changedAt: at(minutes) },
  });
}

/** A small seeded generator, so a failing shuffle is the same on the next run. */
function shuffled<T>(xs: T[], seed: number): T[] {
  let s = seed;
  const rnd = () => (s = (s * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
  const out = [...xs];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

@Module({})
class CategoryNamesBusModule {}

/** analytics' category-name consumer and nothing else of the service. */
function busModule(config: AnalyticsConfig): DynamicModule {
  return {
    module: CategoryNamesBusModule,
    imports: [PlatformModule.forService({ service: 'analytics', config, persistence: ANALYTICS_PERSISTENCE })],
    providers: [{ provide: ANALYTICS_CONFIG, useValue: config }, CategoryNamesRepository, CategoryNamesHandlers],
  };
}

describe('category names', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let ds: DataSource;
  let txHost: TxHost;
  let repo: CategoryNamesRepository;
  let handlers: CategoryNamesHandlers;
  const config = loadConfig(AnalyticsConfig, { NODE_ENV: 'test', DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/unused' });

  beforeAll(async () => {
    db = await createTestDatabase();
    ds = await migratedDataSource(db.url, 'analytics', ANALYTICS_PERSISTENCE);
    txHost = standaloneTxHost(ds);
    repo = new CategoryNamesRepository(txHost);
    handlers = new CategoryNamesHandlers(repo);
  });

  afterAll(async () => {
    await ds?.destroy();
    await db?.drop();
  });

  beforeEach(() => ds.query(`TRUNCATE category_name, inbox, ${READ_MODEL_TABLES.join(', ')}`));

  /** The events through the handler as one consumer batch (a lone event is a batch of one), in one transaction. */
  const applyBatch = (events: EventEnvelope<'category.changed.v1'>[]) =>
    txHost.withTransaction(() =>
      asBatch(async (ctx) => {
        for (const e of events) await handlers.changed(e, ctx);
      }),
    );
  const oneByOne = async (events: EventEnvelope<'category.changed.v1'>[]) => {
    for (const e of events) await applyBatch([e]);
  };
  const rows = async () =>
    (
      await ds.query<{ code: string; name_zh: string; name_en: string; active: boolean; changed_at: Date }[]>(
        `SELECT code, name_zh, name_en, active, changed_at FROM category_name ORDER BY code`,
      )
    ).map((r) => ({ ...r, changed_at: r.changed_at.toISOString() }));
  const names = async () => Object.fromEntries((await rows()).map((r) => [r.code, r.name_zh]));

  it('adds and renames a category; an older change arriving after a newer one changes nothing; an equal one applies', async () => {
    await oneByOne([changed('lift.noise', '电梯噪音', 0)]);
    expect(await rows()).toEqual([
      { code: 'lift.noise', name_zh: '电梯噪音', name_en: 'lift.noise (电梯噪音)', active: true, changed_at: at(0) },
    ]);
    await oneByOne([changed('lift.noise', '电梯噪声', 20)]);
    // the change of minute 10 (retired, another name) arrives late: the stored one is later
    await oneByOne([changed('lift.noise', '电梯异响', 10, false)]);
    expect(await rows()).toEqual([
      { code: 'lift.noise', name_zh: '电梯噪声', name_en: 'lift.noise (电梯噪声)', active: true, changed_at: at(20) },
    ]);
    // at the same instant: applies (a correction stamped on the same clock tick)
    await oneByOne([changed('lift.noise', '电梯运行噪声', 20, false)]);
    expect(await rows()).toEqual([
      { code: 'lift.noise', name_zh: '电梯运行噪声', name_en: 'lift.noise (电梯运行噪声)', active: false, changed_at: at(20) },
    ]);
  });

  it('reads the names of the codes asked for and their ancestors', async () => {
    await oneByOne([changed('lift.noise', '电梯噪声', 0), changed('noise', '噪声污染', 0), changed('water', '城市供水', 0)]);
    const read = await repo.namesFor(['lift.noise.night', 'noise', null, '']);
    expect([...read.entries()].sort()).toEqual([
      ['lift.noise', { zh: '电梯噪声', en: 'lift.noise (电梯噪声)' }],
      ['noise', { zh: '噪声污染', en: 'noise (噪声污染)' }],
    ]);
    expect(await repo.namesFor([null, ''])).toEqual(new Map());
  });

  it('leaves in one batch what the same changes leave one by one, and the latest change in any arrival order', async () => {
    // Several changes of each code; two of `noise` at the same instant (the later one in the list wins).
    const events = [
      changed('noise', '噪音', 1),
      changed('lift.noise', '电梯噪音', 2),
      changed('noise', '噪声', 5),
      changed('noise', '噪声扰民', 5, false),
      changed('lift.noise', '电梯噪声', 7),
      changed('heating.fee', '供热费用', 3),
      changed('lift.noise', '电梯异响', 4),
    ];
    await oneByOne(events);
    const alone = await rows();
    expect(Object.fromEntries(alone.map((r) => [r.code, r.name_zh]))).toEqual({
      'heating.fee': '供热费用',
      'lift.noise': '电梯噪声',
      noise: '噪声扰民',
    });
    await ds.query(`TRUNCATE category_name`);
    await applyBatch(events);
    expect(await rows()).toEqual(alone);
    // Arrival order does not matter where no two changes of a code share an instant.
    const distinct = events.filter((_, i) => i !== 2);
    for (const seed of [1, 2, 3]) {
      await ds.query(`TRUNCATE category_name`);
      const list = shuffled(distinct, seed);
      await applyBatch(list.slice(0, 3));
      await applyBatch(list.slice(3));
      expect(await rows()).toEqual(alone);
    }
  });

  it("is rebuilt by the replay's batch projector as the live consumer left it, apart from the facts and the daily volume", async () => {
    const events = shuffled(
      [changed('noise', '噪音', 1), changed('noise', '噪声污染', 9), changed('lift.noise', '电梯噪声', 2), changed('noise', '噪声', 4)],
      7,
    );
    await oneByOne(events);
    const live = await rows();
    await ds.query(`TRUNCATE category_name, inbox`);
    // The stream holds the orders' events too: one order accepted among the changes.
    const accepted = testEnvelope('ticket.accepted.v1', {
      ticketId: randomUUID(),
      district: '630104',
      producer: 'intake',
      occurredAt: at(3),
      data: {
        orderNo: '20260309-000001',
        channel: Channel.Phone,
        requestType: RequestType.Complaint,
        categoryCode: 'noise',
        urgency: Urgency.Ordinary,
        content: '楼下噪音扰民',
        location: { address: '西宁市胜利路 1 号', districtCode: '630104', streetCode: '630104004' },
        identityHidden: false,
        proactive: false,
        flags: [],
        acceptedAt: at(3),
      },
    });
    const stream: EventEnvelope[] = [...events.slice(0, 2), accepted, ...events.slice(2)];
    const replay = new BatchProjector(txHost, config);
    expect(await txHost.withTransaction(() => replay.apply(stream.slice(0, 2)))).toEqual({ applied: 2, duplicates: 0 });
    expect(await txHost.withTransaction(() => replay.apply(stream))).toEqual({ applied: 3, duplicates: 2 });
    expect(await rows()).toEqual(live);
    expect(await names()).toEqual({ 'lift.noise': '电梯噪声', noise: '噪声污染' });
    // recorded in the inbox under the live consumer's name (so that neither applies an event the other did)
    const inbox: { consumer: string; n: string }[] = await ds.query(`SELECT consumer, count(*) AS n FROM inbox GROUP BY 1 ORDER BY 1`);
    expect(inbox).toEqual([
      { consumer: durableName('analytics', 'category.changed.v1'), n: '4' },
      { consumer: durableName('analytics', 'ticket.accepted.v1'), n: '1' },
    ]);
    // and no order's fact or daily volume: the order's event is counted, the changes are not
    expect(await ds.query(`SELECT type, count FROM event_daily`)).toEqual([{ type: 'ticket.accepted.v1', count: 1 }]);
    expect(await ds.query(`SELECT ticket_id FROM ticket_fact`)).toEqual([{ ticket_id: accepted.ticketId }]);
  });

  describe('through the bus', () => {
    let nc: NatsConnection;
    let app: INestApplicationContext | undefined;
    const bus = testBus();

    beforeAll(async () => {
      nc = await connect({ servers: TEST_NATS_URL, name: 'category-names.int-spec' });
    });

    afterAll(async () => {
      await app?.close();
      const jsm = await nc?.jetstreamManager();
      await jsm?.streams.delete(bus.BUS_STREAM).catch(() => undefined);
      await nc?.close();
    });

    it('applies every change once in concurrent batches (BUS_BATCH), none falling back, the latest of each code kept', async () => {
      // 20 codes, 10 changes each at distinct instants, published in a shuffled order: the latest
      // often arrives before older ones, and every batch holds several codes.
      const codes = Array.from({ length: 20 }, (_, i) => `lift.c${String(i).padStart(2, '0')}`);
      const events = shuffled(
        codes.flatMap((code, i) => Array.from({ length: 10 }, (_, k) => changed(code, `名称${i}-${k}`, k * 20 + i))),
        11,
      );
      const jsm = await nc.jetstreamManager();
      await ensureStream(jsm, bus.BUS_STREAM, bus.BUS_PREFIX);
      const js = nc.jetstream();
      for (const e of events) await js.publish(subjectFor(bus.BUS_PREFIX, e.district, e.type), JSON.stringify(e), { msgID: e.id });

      const busConfig = loadConfig(AnalyticsConfig, {
        NODE_ENV: 'test',
        LOG_LEVEL: 'silent',
        AUTH_DEV_TOKENS: 'true',
        DATABASE_URL: db.url,
        NATS_URL: TEST_NATS_URL,
        BUS_BATCH: '32',
        BUS_CONCURRENCY: '4',
        ...bus,
      });
      app = await NestFactory.createApplicationContext(busModule(busConfig), { bufferLogs: true, abortOnError: false });
      app.useLogger(app.get(PinoLogger));
      const metrics = app.get(BusMetrics);
      await waitFor(
        async () => Number((await ds.query(`SELECT count(*) AS n FROM inbox`))[0].n),
        (n) => n === events.length,
        { timeoutMs: 60_000, intervalMs: 250, what: `all ${events.length} changes in the inbox` },
      );
      const batched = await metrics.batchMessages.get();
      const batches = batched.values.filter((v) => v.metricName?.endsWith('_count')).reduce((s, v) => s + v.value, 0);
      const fallbacks = (await metrics.batchFallbacks.get()).values.filter((v) => v.value > 0);
      await app.close();
      app = undefined;

      expect(fallbacks).toEqual([]);
      expect(batches).toBeLessThan(events.length / 4); // batches they were
      expect(await ds.query(`SELECT consumer, reason FROM dead_letter`)).toEqual([]);
      expect(await names()).toEqual(Object.fromEntries(codes.map((code, i) => [code, `名称${i}-9`])));
    }, 120_000);
  });
});
