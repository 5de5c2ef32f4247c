/**
 * `Outbox.publishMany` against the real thing: a batch of events written in one statement joins the
 * caller's transaction as `publish` does (refused outside one, gone with a rollback, refused whole when
 * one event is invalid), keeps the order given, and the relay publishes it to JetStream, where the
 * consumer applies each event once. The bus's other guarantees are in bus.int-spec.ts.
 */
import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { Channel, EventEnvelope, RequestType, TicketAcceptedV1, Urgency } from '@app/contracts';
import { InvalidEventError, isUniqueViolation, newTrace, OutgoingEvent, runWithTrace, toTraceparent, Write } from '@app/platform';
import { createTestDatabase, TEST_NATS_URL, testBus, waitFor } from '@app/platform/testing';
import { connect, JetStreamManager, NatsConnection } from 'nats';
import { Client } from 'pg';
import { migrateTestSchema, startTestApp, TEST_SERVICE, TestApp } from './fixtures/bus-test-app';

const SCHEMA = TEST_SERVICE;
const DISTRICT = '630104';

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let pg: Client;
let nc: NatsConnection;
let jsm: JetStreamManager;
let app: TestApp;
let bus: { BUS_PREFIX: string; BUS_STREAM: string };

beforeAll(async () => {
  db = await createTestDatabase();
  expect(await migrateTestSchema(db.url, SCHEMA)).toEqual([]);
  pg = new Client({ connectionString: db.url });
  await pg.connect();
  nc = await connect({ servers: TEST_NATS_URL, name: 'outbox-many.int-spec' });
  jsm = await nc.jetstreamManager();
  bus = testBus();
  app = await startTestApp({ DATABASE_URL: db.url, DB_POOL_SIZE: '5', NATS_URL: TEST_NATS_URL, BUS_SWEEP_MS: '200', ...bus });
});

afterAll(async () => {
  await app?.close();
  await jsm?.streams.delete(bus.BUS_STREAM).catch(() => undefined);
  await nc?.close();
  await pg?.end();
  await db?.drop();
});

function accepted(content: string): OutgoingEvent {
  const data: TicketAcceptedV1 = {
    orderNo: '20260101-000001',
    channel: Channel.Phone,
    requestType: RequestType.Complaint,
    categoryCode: 'roads.pothole',
    urgency: Urgency.Ordinary,
    content,
    location: { address: '西宁市城西区胜利路 1 号', districtCode: DISTRICT },
    identityHidden: false,
    proactive: false,
    flags: [],
    acceptedAt: new Date().toISOString(),
  };
  return { type: 'ticket.accepted.v1', district: DISTRICT, ticketId: randomUUID(), data };
}

/** The test's outbox rows, in seq order. */
async function outboxRows(): Promise<{ id: string; published: boolean; content: string }[]> {
  const r = await pg.query<{ id: string; published: boolean; content: string }>(
    `SELECT id, published_at IS NOT NULL AS published, envelope->'data'->>'content' AS content
       FROM "${SCHEMA}"."outbox" WHERE subject LIKE $1 ORDER BY seq`,
    [`${bus.BUS_PREFIX}.%`],
  );
  return r.rows;
}

describe('Outbox.publishMany (real Postgres + NATS)', () => {
  it('refuses to run outside a transaction, and a whole batch with one invalid event', async () => {
    await expect(app.outbox.publishMany([accepted('路灯不亮')])).rejects.toThrow('must run inside a transaction');
    const bad = accepted('无效');
    await expect(
      app.txHost.withTransaction(() => app.outbox.publishMany([accepted('井盖缺失'), { ...bad, ticketId: 'not-a-uuid' }])),
    ).rejects.toBeInstanceOf(InvalidEventError);
    // A rolled-back batch is gone with its transaction.
    await expect(
      app.txHost.withTransaction(async () => {
        await app.outbox.publishMany([accepted('噪音扰民'), accepted('占道经营')]);
        throw new Error('a later step failed');
      }),
    ).rejects.toThrow('a later step failed');
    expect(await outboxRows()).toEqual([]);
  });

  it('writes a batch in the order given, and the relay publishes every event once, the consumer applies each once', async () => {
    const contents = ['一', '二', '三', '四', '五'];
    const envelopes: EventEnvelope[] = await app.txHost.withTransaction(async () => {
      const written = await app.outbox.publishMany(contents.map(accepted));
      // Visible inside the transaction before it commits, and to nobody else.
      const inside: unknown[] = await app.txHost.tx.query(`SELECT 1 FROM "${SCHEMA}"."outbox" WHERE id = ANY($1::uuid[])`, [
        written.map((e) => e.id),
      ]);
      const outside = await pg.query(`SELECT 1 FROM "${SCHEMA}"."outbox" WHERE id = ANY($1::uuid[])`, [written.map((e) => e.id)]);
      expect([inside.length, outside.rowCount]).toEqual([5, 0]);
      return written;
    });
    expect(envelopes.map((e) => (e.data as TicketAcceptedV1).content)).toEqual(contents);
    const ids = envelopes.map((e) => e.id);

    const rows = await waitFor(
      () => outboxRows(),
      (r) => r.length === 5 && r.every((x) => x.published),
      { what: 'the batch published by the relay' },
    );
    expect(rows.map((r) => [r.id, r.content])).toEqual(ids.map((id, i) => [id, contents[i]]));

    const info = await jsm.streams.info(bus.BUS_STREAM);
    expect(info.state.messages).toBe(5);
    const inStream: string[] = [];
    for (let seq = info.state.first_seq; seq <= info.state.last_seq; seq++) {
      inStream.push((await jsm.streams.getMessage(bus.BUS_STREAM, { seq })).header.get('Nats-Msg-Id'));
    }
    expect(inStream).toEqual(ids);

    const applied = await waitFor(
      () =>
        pg.query<{ event_id: string; count: number }>(
          `SELECT event_id, count FROM "${SCHEMA}"."applied" WHERE event_id = ANY($1::uuid[])`,
          [ids],
        ),
      (r) => r.rows.length === 5,
      { what: 'the batch applied' },
    );
    expect(applied.rows.map((r) => r.count)).toEqual([1, 1, 1, 1, 1]);
  });

  it("carries the caller's trace in each row's headers: the trace each call runs in (end-of-batch work runs each message's part in its trace)", async () => {
    const [first, second] = [newTrace(), newTrace()];
    const [mine, theirs] = await app.txHost.withTransaction(async () => [
      await runWithTrace(first, () => app.outbox.publishMany([accepted('路面塌陷')])),
      await runWithTrace(second, () => app.outbox.publishMany([accepted('井盖松动')])),
    ]);
    const headers = await pg.query<{ id: string; traceparent: string }>(
      `SELECT id, headers->>'traceparent' AS traceparent FROM "${SCHEMA}"."outbox" WHERE id = ANY($1::uuid[])`,
      [[mine[0].id, theirs[0].id]],
    );
    const byId = new Map(headers.rows.map((r) => [r.id, r.traceparent]));
    expect([byId.get(mine[0].id), byId.get(theirs[0].id)]).toEqual([toTraceparent(first), toTraceparent(second)]);
  });
});

describe('Outbox.publishWith (real Postgres + NATS)', () => {
  const notes = `"${SCHEMA}"."note"`;
  const note = (id: string, text: string): Write => ({ sql: `INSERT INTO ${notes} (id, text) VALUES ($1, $2)`, params: [id, text] });
  const notesOf = async (ids: string[]) =>
    (await pg.query<{ id: string; text: string }>(`SELECT id, text FROM ${notes} WHERE id = ANY($1::uuid[])`, [ids])).rows;
  /** The outbox rows of the event about `ticketId`. */
  const outboxOf = async (ticketId: string | null) =>
    (await pg.query<{ id: string }>(`SELECT id FROM "${SCHEMA}"."outbox" WHERE envelope->>'ticketId' = $1`, [ticketId])).rows;

  beforeAll(() => pg.query(`CREATE TABLE ${notes} (id uuid PRIMARY KEY, text text NOT NULL)`));

  it("writes the caller's rows and the events in one statement, outside a transaction, and the relay publishes them", async () => {
    const [a, b] = [randomUUID(), randomUUID()];
    // Two writes, each numbered from $1: renumbered in the one statement.
    const envelopes = await app.outbox.publishWith([note(a, '甲'), note(b, '乙')], [accepted('路灯不亮'), accepted('井盖缺失')]);
    expect(new Map((await notesOf([a, b])).map((r) => [r.id, r.text]))).toEqual(
      new Map([
        [a, '甲'],
        [b, '乙'],
      ]),
    );
    const ids = envelopes.map((e) => e.id);
    const applied = await waitFor(
      () => pg.query<{ event_id: string }>(`SELECT event_id FROM "${SCHEMA}"."applied" WHERE event_id = ANY($1::uuid[])`, [ids]),
      (r) => r.rows.length === 2,
      { what: 'both events relayed and applied' },
    );
    expect(applied.rows.map((r) => r.event_id).sort()).toEqual([...ids].sort());
  });

  it('writes nothing when a write fails (a unique violation) or an event is invalid', async () => {
    const taken = randomUUID();
    await pg.query(`INSERT INTO ${notes} (id, text) VALUES ($1, '先有')`, [taken]);
    const fresh = randomUUID();
    const event = accepted('噪音扰民');
    const failed = await app.outbox.publishWith([note(fresh, '新'), note(taken, '重复')], [event]).catch((e: unknown) => e);
    expect(isUniqueViolation(failed)).toBe(true);
    expect(isUniqueViolation(failed, 'some_other_constraint')).toBe(false);
    expect(await notesOf([fresh])).toEqual([]);
    expect(await outboxOf(event.ticketId)).toEqual([]);

    // A valid event beside an invalid one: neither, nor the write.
    const other = randomUUID();
    const valid = accepted('占道经营');
    await expect(
      app.outbox.publishWith([note(other, '无效')], [valid, { ...accepted('占道'), ticketId: 'not-a-uuid' }]),
    ).rejects.toBeInstanceOf(InvalidEventError);
    expect(await notesOf([other])).toEqual([]);
    expect(await outboxOf(valid.ticketId)).toEqual([]);
  });
});
