/**
 * analytics' live consumers in batches (BUS_BATCH), on real Postgres and NATS: one durable consumer
 * per event type, several batches of each at once, every batch over the same orders, the same city
 * days, districts, units and categories. None of them may deadlock (the host counts every batch it
 * had to apply one by one in `jiesu_bus_batch_fallbacks_total`), and the read model they leave is
 * the one the events leave applied one per transaction.
 *
 * How the batches are made: the events are in the stream before the service starts, so every
 * consumer's first pulls bring a full batch (BUS_BATCH=32) and its workers (BUS_CONCURRENCY=4) apply
 * them at once, next to the other consumers' workers.
 */
import 'reflect-metadata';
import {
  CallbackChannel,
  Channel,
  ClockKind,
  CloseReason,
  ContactMethod,
  EventEnvelope,
  ReplyOutcome,
  RequestType,
  ReviewDecision,
  Satisfaction,
  subjectFor,
  Urgency,
} from '@app/contracts';
import { ensureStream, loadConfig, parseEvent, PlatformModule, standaloneTxHost, TxHost } from '@app/platform';
import { BusMetrics } from '@app/platform/bus/bus.metrics';
import { createTestDatabase, migratedDataSource, TEST_NATS_URL, testBus, testEnvelope, waitFor } from '@app/platform/testing';
import { DynamicModule, INestApplicationContext, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Logger as PinoLogger } from 'nestjs-pino';
import { connect, NatsConnection } from 'nats';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { ANALYTICS_CONFIG, AnalyticsConfig } from '../analytics.config';
import { ANALYTICS_PERSISTENCE } from '../analytics.persistence';
import { READ_MODEL_TABLES } from '../replay/replay';
import { FactsHandlers } from './facts.handlers';
import { FactsProjector } from './facts.projector';
import { FactsRepository } from './facts.repository';

@Module({})
class FactsBusModule {}

/** analytics' consumers and nothing else of the service. */
function factsBusModule(config: AnalyticsConfig): DynamicModule {
  return {
    module: FactsBusModule,
    imports: [PlatformModule.forService({ service: 'analytics', config, persistence: ANALYTICS_PERSISTENCE })],
    providers: [{ provide: ANALYTICS_CONFIG, useValue: config }, FactsRepository, FactsProjector, FactsHandlers],
  };
}

const DAY = Date.parse('2026-03-09T01:00:00Z');
const at = (minutes: number) => new Date(DAY + minutes * 60_000).toISOString();
const DISTRICTS = ['630102', '630104'];
const UNITS = [randomUUID(), randomUUID(), randomUUID()];
const CATEGORIES = ['roads.pothole', 'noise.night', 'heating.cold'];

/**
 * One order's events, in stream order: accepted, dispatched (to one of three units), clocks,
 * contact, reply, review (some sent back), callback, close; some breached, merged or moved to the
 * other district (转区) after their dispatch. All on one or two city days, in two districts: every
 * batch of every type moves the same rollup rows.
 */
function order(n: number): EventEnvelope[] {
  const ticketId = randomUUID();
  const first = DISTRICTS[n % 2];
  const moved = n % 5 === 2;
  const district = moved ? DISTRICTS[(n + 1) % 2] : first;
  const unitId = UNITS[n % 3];
  const categoryCode = CATEGORIES[n % 3];
  const t = n % 7;
  const assignmentId = randomUUID();
  const events: EventEnvelope[] = [
    testEnvelope('ticket.accepted.v1', {
      ticketId,
      district: first,
      producer: 'intake',
      occurredAt: at(t),
      data: {
        orderNo: `20260309-${String(n).padStart(6, '0')}`,
        channel: n % 2 ? Channel.Phone : Channel.Web,
        requestType: RequestType.Complaint,
        categoryCode,
        urgency: Urgency.Ordinary,
        content: '路面坑洼',
        location: { address: '西宁市胜利路 1 号', districtCode: first, streetCode: `${first}004` },
        identityHidden: false,
        proactive: false,
        flags: [],
        acceptedAt: at(t),
      },
    }),
    testEnvelope('ticket.dispatched.v1', {
      ticketId,
      district: first,
      producer: 'dispatch',
      occurredAt: at(t + 10),
      data: {
        assignmentId,
        unitId,
        unitName: `单位 ${n % 3}`,
        districtCode: first,
        categoryCode,
        requestType: RequestType.Complaint,
        urgency: Urgency.Ordinary,
        flags: [],
        cycle: 1,
        dispatchedAt: at(t + 10),
      },
    }),
    testEnvelope('sla.clocks-set.v1', {
      ticketId,
      district: first,
      producer: 'sla',
      occurredAt: at(t + 11),
      data: { unitId, policyId: randomUUID(), cycle: 1, respondDueAt: at(t + 130), finishDueAt: at(t + 2000) },
    }),
  ];
  if (moved) {
    events.push(
      testEnvelope('ticket.redistricted.v1', {
        ticketId,
        district: first,
        producer: 'dispatch',
        occurredAt: at(t + 20),
        data: {
          fromDistrictCode: first,
          districtCode: district,
          streetCode: `${district}001`,
          reason: '属地有误',
          redistrictedBy: randomUUID(),
          order: {
            orderNo: `20260309-${String(n).padStart(6, '0')}`,
            categoryCode,
            requestType: RequestType.Complaint,
            urgency: Urgency.Ordinary,
            flags: [],
            content: '路面坑洼',
            address: '西宁市胜利路 1 号',
            identityHidden: false,
            proactive: false,
            cycle: 1,
            reworkCount: 0,
            returnable: false,
            acceptedAt: at(t),
          },
          redistrictedAt: at(t + 20),
        },
      }),
    );
  }
  events.push(
    testEnvelope('ticket.contacted.v1', {
      ticketId,
      district,
      producer: 'dispatch',
      occurredAt: at(t + 30 + (n % 4) * 40),
      data: { assignmentId, unitId, method: ContactMethod.Phone, contactedAt: at(t + 30 + (n % 4) * 40) },
    }),
    testEnvelope('ticket.replied.v1', {
      ticketId,
      district,
      producer: 'dispatch',
      occurredAt: at(t + 300),
      data: { assignmentId, unitId, outcome: ReplyOutcome.Resolved, replyText: '已处理', cycle: 1, repliedAt: at(t + 300) },
    }),
    testEnvelope('ticket.reviewed.v1', {
      ticketId,
      district,
      producer: 'dispatch',
      occurredAt: at(t + 310),
      data: {
        assignmentId,
        unitId,
        decision: n % 4 === 1 ? ReviewDecision.SentBack : ReviewDecision.Approved,
        outcome: ReplyOutcome.Resolved,
        reviewedBy: randomUUID(),
        cycle: 1,
        reviewedAt: at(t + 310),
      },
    }),
    testEnvelope('callback.completed.v1', {
      ticketId,
      district,
      producer: 'callback',
      occurredAt: at(t + 600),
      data: {
        taskId: randomUUID(),
        unitId,
        cycle: 1,
        contacted: true,
        resolved: n % 3 !== 2,
        satisfaction: n % 2 ? Satisfaction.Satisfied : Satisfaction.BasicallySatisfied,
        channel: CallbackChannel.Phone,
        completedAt: at(t + 600),
      },
    }),
    testEnvelope('ticket.closed.v1', {
      ticketId,
      district,
      producer: 'dispatch',
      occurredAt: at(t + 610),
      data: { unitId, outcome: ReplyOutcome.Resolved, closeReason: CloseReason.CallbackSatisfied, cycle: 1, closedAt: at(t + 610) },
    }),
  );
  if (n % 4 === 2) {
    events.push(
      testEnvelope('sla.breached.v1', {
        ticketId,
        district,
        producer: 'sla',
        occurredAt: at(t + 131),
        data: { clockId: randomUUID(), kind: ClockKind.Respond, unitId, cycle: 1, dueAt: at(t + 130), breachedAt: at(t + 131) },
      }),
    );
  }
  if (n % 3 === 1) {
    events.push(
      testEnvelope('ticket.merged.v1', {
        ticketId,
        district: first,
        producer: 'intake',
        occurredAt: at(t + 5),
        data: { contactId: randomUUID(), channel: Channel.Phone, citizenCount: 2, mergedAt: at(t + 5) },
      }),
    );
  }
  return events;
}

describe('analytics consumers in batches', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let ds: DataSource;
  let txHost: TxHost;
  let nc: NatsConnection;
  let app: INestApplicationContext | undefined;
  const bus = testBus();

  beforeAll(async () => {
    db = await createTestDatabase();
    ds = await migratedDataSource(db.url, 'analytics', ANALYTICS_PERSISTENCE);
    txHost = standaloneTxHost(ds);
    nc = await connect({ servers: TEST_NATS_URL, name: 'facts.batches.int-spec' });
  });

  afterAll(async () => {
    await app?.close();
    const jsm = await nc?.jetstreamManager();
    await jsm?.streams.delete(bus.BUS_STREAM).catch(() => undefined);
    await nc?.close();
    await ds?.destroy();
    await db?.drop();
  });

  async function dump(): Promise<Record<string, unknown[]>> {
    const out: Record<string, unknown[]> = {};
    for (const t of READ_MODEL_TABLES) out[t] = await ds.query(`SELECT * FROM ${t} r ORDER BY r::text`);
    return out;
  }

  it('apply concurrent batches over the same orders and rollup rows without a deadlock, leaving the one-by-one read model', async () => {
    // 60 orders, their events interleaved (the first event of every order, then the second, ...), as a busy hour publishes them.
    const perOrder = Array.from({ length: 60 }, (_, n) => order(n));
    const events: EventEnvelope[] = [];
    for (let step = 0; perOrder.some((o) => step < o.length); step++) for (const o of perOrder) if (step < o.length) events.push(o[step]);
    // Valid as the consumers will check them (else they would be dead letters, not applied).
    const invalid = events.map((e) => ({ type: e.type, parsed: parseEvent(JSON.stringify(e)) })).filter((x) => !x.parsed.ok);
    expect(invalid).toEqual([]);
    const types = new Set(events.map((e) => e.type));
    expect(types.size).toBeGreaterThanOrEqual(11);

    const jsm = await nc.jetstreamManager();
    await ensureStream(jsm, bus.BUS_STREAM, bus.BUS_PREFIX);
    const js = nc.jetstream();
    for (const e of events) await js.publish(subjectFor(bus.BUS_PREFIX, e.district, e.type), JSON.stringify(e), { msgID: e.id });

    const config = loadConfig(AnalyticsConfig, {
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      AUTH_DEV_TOKENS: 'true',
      DATABASE_URL: db.url,
      DB_POOL_SIZE: '12',
      NATS_URL: TEST_NATS_URL,
      BUS_BATCH: '32',
      BUS_CONCURRENCY: '4',
      ...bus,
    });
    app = await NestFactory.createApplicationContext(factsBusModule(config), { bufferLogs: true, abortOnError: false });
    app.useLogger(app.get(PinoLogger));
    const metrics = app.get(BusMetrics);

    await waitFor(
      async () => Number((await ds.query(`SELECT count(*) AS n FROM inbox`))[0].n),
      (n) => n === events.length,
      { timeoutMs: 120_000, intervalMs: 250, what: `all ${events.length} events in the inbox` },
    );
    const batched = await app.get(BusMetrics).batchMessages.get();
    const messages = batched.values.filter((v) => v.metricName?.endsWith('_sum')).reduce((s, v) => s + v.value, 0);
    const batches = batched.values.filter((v) => v.metricName?.endsWith('_count')).reduce((s, v) => s + v.value, 0);
    const fallbacks = (await metrics.batchFallbacks.get()).values.filter((v) => v.value > 0);
    await app.close();
    app = undefined;

    // No batch fell back to one message per transaction (a deadlock, or any other failure).
    expect(fallbacks).toEqual([]);
    // Batches they were: on average several messages each (every message taken once, unless redelivered).
    expect(messages).toBeGreaterThanOrEqual(events.length);
    expect(batches).toBeLessThan(messages / 4);
    expect(await ds.query(`SELECT consumer, reason FROM dead_letter`)).toEqual([]);
    const batchedModel = await dump();
    expect(batchedModel.ticket_fact).toHaveLength(60);

    // The same events, one per transaction, in stream order.
    await ds.query(`TRUNCATE ${READ_MODEL_TABLES.join(', ')}`);
    const projector = new FactsProjector(new FactsRepository(txHost, config), config);
    for (const e of events) await txHost.withTransaction(() => projector.project(e));
    expect(batchedModel).toEqual(await dump());
  }, 240_000);
});
