/**
 * The reliable bus, proven against the real thing: Postgres (outbox, inbox, dead letters, effects in
 * one transaction) and NATS JetStream (durable pull consumers, ack wait, redelivery, dedup).
 *
 * One database for the suite and one schema (`test`, the test service's name), created once in
 * beforeAll by the SQL a generated migration would contain (TypeORM's schema builder diff, see
 * fixtures/bus-test-app.ts). Each test gets a stream and subject prefix of its own (`testBus()`), so
 * the tests share tables but never see each other's events; every query below is scoped to the
 * test's event ids or subject prefix. The NATS-restart test runs a nats-server of its own.
 */
import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Channel, EventEnvelope, RequestType, subjectFor, TicketAcceptedV1, Urgency } from '@app/contracts';
import { durableName } from '@app/platform';
import { DeadLetterService } from '@app/platform/bus/dead-letter.service';
import { createTestDatabase, TEST_NATS_URL, testBus, waitFor } from '@app/platform/testing';
import { Propagation } from '@nestjs-cls/transactional';
import { connect, Events, headers as natsHeaders, JetStreamManager, NatsConnection } from 'nats';
import { Client } from 'pg';
import { consumedCount, migrateTestSchema, startTestApp, TEST_SERVICE, TestApp } from './fixtures/bus-test-app';
import { OwnNatsServer } from './fixtures/nats-server';

/** A service's schema is its name. */
const SCHEMA = TEST_SERVICE;
const DISTRICT = '630104';
const TYPE = 'ticket.accepted.v1';
const DURABLE = durableName(TEST_SERVICE, TYPE);
const SHARED_NATS = TEST_NATS_URL;

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let pg: Client;
let nc: NatsConnection;
let jsm: JetStreamManager;
/** Streams created on the shared server by the current test, deleted after it. */
let streams: string[] = [];
/** Apps started by the current test, closed after it. */
let apps: TestApp[] = [];

beforeAll(async () => {
  db = await createTestDatabase();
  const stillMissing = await migrateTestSchema(db.url, SCHEMA);
  expect(stillMissing).toEqual([]);
  pg = new Client({ connectionString: db.url });
  await pg.connect();
  nc = await connect({ servers: SHARED_NATS, name: 'bus.int-spec' });
  jsm = await nc.jetstreamManager();
});

afterEach(async () => {
  const closing = apps.reverse().map((a) => a.close());
  apps = [];
  await Promise.allSettled(closing);
  for (const s of streams) await jsm.streams.delete(s).catch(() => undefined);
  streams = [];
});

afterAll(async () => {
  await nc?.close();
  await pg?.end();
  await db?.drop();
});

// ---------------------------------------------------------------------------------------------- helpers

interface Bus {
  BUS_PREFIX: string;
  BUS_STREAM: string;
}

/** Env for one test on the shared NATS server: its own stream; fast sweep, ack wait and backoff. */
function testEnv(extra: Record<string, string> = {}, sharedNats = true): Record<string, string> & Bus {
  const bus = testBus();
  if (sharedNats) streams.push(bus.BUS_STREAM);
  return {
    DATABASE_URL: db.url,
    DB_POOL_SIZE: '5',
    NATS_URL: SHARED_NATS,
    BUS_SWEEP_MS: '200',
    BUS_ACK_WAIT_SECONDS: '2',
    BUS_BACKOFF_BASE_MS: '100',
    BUS_MAX_DELIVER: '3',
    ...bus,
    ...extra,
  };
}

async function start(env: Record<string, string>): Promise<TestApp> {
  const t = await startTestApp(env);
  apps.push(t);
  return t;
}

function acceptedData(overrides: Partial<Record<keyof TicketAcceptedV1, unknown>> = {}): TicketAcceptedV1 {
  return {
    orderNo: '20260101-000001',
    channel: Channel.Phone,
    requestType: RequestType.Complaint,
    categoryCode: 'roads.pothole',
    urgency: Urgency.Ordinary,
    content: '路面坑洼',
    location: { address: '西宁市城西区胜利路 1 号', districtCode: DISTRICT },
    identityHidden: false,
    proactive: false,
    flags: [],
    acceptedAt: new Date().toISOString(),
    ...overrides,
  } as TicketAcceptedV1;
}

/** An envelope built by hand, for publishing straight to JetStream (bypassing the outbox); its data may be invalid. */
function envelope(data: unknown, ticketId = randomUUID()): Omit<EventEnvelope<typeof TYPE>, 'data'> & { data: unknown } {
  return {
    id: randomUUID(),
    type: TYPE,
    version: 1,
    occurredAt: new Date().toISOString(),
    district: DISTRICT,
    ticketId,
    producer: TEST_SERVICE,
    data,
  };
}

/** Write `n` events through the outbox in one committed transaction; their ids. */
async function publishViaOutbox(t: TestApp, n = 1, ticketId?: string): Promise<string[]> {
  return t.txHost.withTransaction(async () => {
    const ids: string[] = [];
    for (let i = 0; i < n; i++) {
      const e = await t.outbox.publish(TYPE, { district: DISTRICT, ticketId: ticketId ?? randomUUID(), data: acceptedData() });
      ids.push(e.id);
    }
    return ids;
  });
}

async function appliedCounts(ids: string[]): Promise<Map<string, number>> {
  const r = await pg.query<{ event_id: string; count: number }>(
    `SELECT event_id, count FROM "${SCHEMA}"."applied" WHERE event_id = ANY($1::uuid[])`,
    [ids],
  );
  return new Map(r.rows.map((x) => [x.event_id, x.count]));
}

async function inboxCount(ids: string[]): Promise<number> {
  const r = await pg.query<{ n: string }>(`SELECT count(*) AS n FROM "${SCHEMA}"."inbox" WHERE event_id = ANY($1::uuid[])`, [ids]);
  return Number(r.rows[0].n);
}

interface DeadLetterRow {
  consumer: string;
  subject: string;
  stream_seq: string | null;
  event_id: string | null;
  event_type: string | null;
  payload: string;
  reason: string;
  errors: { field: string; reason: string }[];
  deliveries: number;
}

async function deadLetters(bus: Bus): Promise<DeadLetterRow[]> {
  const r = await pg.query<DeadLetterRow>(
    `SELECT consumer, subject, stream_seq, event_id, event_type, convert_from(payload, 'UTF8') AS payload, reason, errors, deliveries
       FROM "${SCHEMA}"."dead_letter" WHERE subject LIKE $1 ORDER BY stream_seq`,
    [`${bus.BUS_PREFIX}.%`],
  );
  return r.rows;
}

function subjectOf(bus: Bus): string {
  return subjectFor(bus.BUS_PREFIX, DISTRICT, TYPE);
}

/** Resolve `p`, or fail naming what did not happen. */
async function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  try {
    return await Promise.race([p, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** The durable consumer is idle: everything delivered and acked (or terminated). */
async function waitConsumerSettled(bus: Bus, m: JetStreamManager = jsm, timeoutMs = 15_000) {
  return waitFor(
    () => m.consumers.info(bus.BUS_STREAM, DURABLE),
    (ci) => ci.num_pending === 0 && ci.num_ack_pending === 0,
    { timeoutMs, what: `consumer ${DURABLE} on ${bus.BUS_STREAM} to settle` },
  );
}

// ------------------------------------------------------------------------------------------------ tests

describe('JetStream bus (real Postgres + NATS)', () => {
  it('refuses to publish outside a transaction, and writes through the transaction the TransactionHost holds', async () => {
    const t = await start(testEnv());
    // No transaction in this async context: nothing may be written.
    await expect(t.outbox.publish(TYPE, { district: DISTRICT, ticketId: randomUUID(), data: acceptedData() })).rejects.toThrow(
      'must run inside a transaction',
    );
    // Inside one, the outbox row is visible to that transaction before it commits (it joined it) and to nobody else.
    await t.txHost.withTransaction(async () => {
      const e = await t.outbox.publish(TYPE, { district: DISTRICT, ticketId: randomUUID(), data: acceptedData() });
      const inside: unknown[] = await t.txHost.tx.query(`SELECT 1 FROM "${SCHEMA}"."outbox" WHERE id = $1`, [e.id]);
      const outside = await pg.query(`SELECT 1 FROM "${SCHEMA}"."outbox" WHERE id = $1`, [e.id]);
      expect([inside.length, outside.rowCount]).toEqual([1, 0]);
    });
  });

  it('never publishes an event whose transaction rolled back', async () => {
    const env = testEnv();
    const t = await start(env);

    let rolledBack: string | undefined;
    await expect(
      t.txHost.withTransaction(async () => {
        const e = await t.outbox.publish(TYPE, { district: DISTRICT, ticketId: randomUUID(), data: acceptedData() });
        rolledBack = e.id;
        throw new Error('business rule failed after publishing');
      }),
    ).rejects.toThrow('business rule failed after publishing');
    expect(rolledBack).toBeDefined();

    // A committed control event: proves the relay and the stream work, so the absence below means something.
    const [committed] = await publishViaOutbox(t);

    await sleep(3 * t.config.BUS_SWEEP_MS); // several sweeps and the wake-up on commit have had their chance
    await t.relay.flush();

    const info = await jsm.streams.info(env.BUS_STREAM);
    expect(info.state.messages).toBe(1);
    const only = await jsm.streams.getMessage(env.BUS_STREAM, { seq: info.state.first_seq });
    expect(only.header.get('Nats-Msg-Id')).toBe(committed);
    expect(only.json<EventEnvelope>().id).toBe(committed);

    const rows = await pg.query<{ id: string; published: boolean }>(
      `SELECT id, published_at IS NOT NULL AS published FROM "${SCHEMA}"."outbox" WHERE subject LIKE $1`,
      [`${env.BUS_PREFIX}.%`],
    );
    expect(rows.rows).toEqual([{ id: committed, published: true }]);

    await waitFor(
      () => appliedCounts([committed]),
      (m) => m.get(committed) === 1,
      { what: 'the committed event applied' },
    );
    expect((await appliedCounts([rolledBack!])).size).toBe(0);
  });

  it('publishes the other events when JetStream refuses one outbox row, and keeps that row pending', async () => {
    const env = testEnv();
    const t = await start(env);
    await t.relay.flush();
    // A committed row JetStream will not take (no stream listens on its subject, as with a subject the
    // service's NATS user may not publish on), first in the queue, then two good events.
    const refused = randomUUID();
    await pg.query(`INSERT INTO "${SCHEMA}"."outbox" (id, subject, type, envelope) VALUES ($1, $2, $3, $4::jsonb)`, [
      refused,
      `nowhere${Date.now()}.${DISTRICT}.${TYPE}`,
      TYPE,
      JSON.stringify({ ...envelope(acceptedData()), id: refused }),
    ]);
    const good = await publishViaOutbox(t, 2);
    await waitFor(
      () => appliedCounts(good),
      (m) => good.every((id) => m.get(id) === 1),
      { timeoutMs: 10_000, what: 'the two good events published and applied past the refused row' },
    );
    const rows = await pg.query<{ id: string; published: boolean }>(
      `SELECT id, published_at IS NOT NULL AS published FROM "${SCHEMA}"."outbox" WHERE id = ANY($1::uuid[]) ORDER BY seq`,
      [[refused, ...good]],
    );
    expect(rows.rows).toEqual([
      { id: refused, published: false },
      { id: good[0], published: true },
      { id: good[1], published: true },
    ]);
    // Held back, not forgotten: later events go out too, and the row is still pending.
    const later = await publishViaOutbox(t, 1);
    await waitFor(
      () => appliedCounts(later),
      (m) => m.get(later[0]) === 1,
      { timeoutMs: 10_000, what: 'a later event published' },
    );
    const still = await pg.query(`SELECT 1 FROM "${SCHEMA}"."outbox" WHERE id = $1 AND published_at IS NULL`, [refused]);
    expect(still.rowCount).toBe(1);
    await pg.query(`DELETE FROM "${SCHEMA}"."outbox" WHERE id = $1`, [refused]);
  });

  it('redelivers an event whose consumer died before acking, and applies it once', async () => {
    const env = testEnv({ BUS_ACK_WAIT_SECONDS: '2' });
    const a = await start(env);
    const ticket = randomUUID();
    const gate = a.consumer.block(ticket);
    const [id] = await publishViaOutbox(a, 1, ticket);

    // Instance A is inside its transaction: inbox row and effect written, not committed, not acked.
    await within(gate.entered, 10_000, 'instance A to receive the event');
    expect((await appliedCounts([id])).size).toBe(0);
    expect(await inboxCount([id])).toBe(0);

    // A dies: its NATS connection drops without an ack, and Postgres loses its session, rolling back.
    await a.nc.close();
    const killed = await pg.query<{ pid: number }>(
      `SELECT pg_terminate_backend(pid) AS ok, pid FROM pg_stat_activity
        WHERE datname = $1 AND pid <> pg_backend_pid() AND state = 'idle in transaction' AND query LIKE '%"applied"%'`,
      [db.name],
    );
    expect(killed.rows).toHaveLength(1);
    expect(a.consumer.callsFor(ticket).map((c) => c.delivery)).toEqual([1]);

    // B: a second instance on the same database, stream and durable; after ack_wait it gets the event.
    const b = await start(env);
    await waitFor(
      () => appliedCounts([id]),
      (m) => m.get(id) === 1,
      { what: 'instance B to apply the redelivered event' },
    );
    const bCalls = b.consumer.callsFor(ticket);
    expect(bCalls).toHaveLength(1);
    expect(bCalls[0].delivery).toBeGreaterThanOrEqual(2);

    const ci = await waitConsumerSettled(env);
    expect(ci.delivered.stream_seq).toBe(1);
    expect(ci.delivered.consumer_seq).toBeGreaterThanOrEqual(2); // one message, delivered to A, then again to B

    // A's zombie handler wakes up: its transaction is gone, nothing more is written.
    gate.release('commit');
    await a.close();
    expect((await appliedCounts([id])).get(id)).toBe(1);
    expect(await inboxCount([id])).toBe(1);
    expect(await deadLetters(env)).toEqual([]);
  });

  it('treats the redelivery of an event whose effect committed but whose ack was lost as a duplicate', async () => {
    const env = testEnv({ BUS_ACK_WAIT_SECONDS: '2' });
    const a = await start(env);
    const ticket = randomUUID();
    // The connection goes inside the handler: the transaction still commits, the ack has nowhere to go.
    a.consumer.afterEffect(ticket, () => a.nc.close());
    const [id] = await publishViaOutbox(a, 1, ticket);

    await waitFor(
      () => appliedCounts([id]),
      (m) => m.get(id) === 1,
      { what: 'instance A to commit the effect' },
    );
    expect(a.nc.isClosed()).toBe(true);
    expect(await inboxCount([id])).toBe(1);
    // The server never got the ack: the message is still pending with the durable.
    const pending = await jsm.consumers.info(env.BUS_STREAM, DURABLE);
    expect(pending.num_ack_pending).toBe(1);

    const b = await start(env);
    await waitFor(
      () => consumedCount(b, 'duplicate'),
      (n) => n === 1,
      { what: 'instance B to see the redelivery as a duplicate' },
    );
    await waitConsumerSettled(env);
    expect(b.consumer.callsFor(ticket)).toEqual([]); // the inbox stopped it before the handler
    expect(await consumedCount(b, 'applied')).toBe(0);
    expect((await appliedCounts([id])).get(id)).toBe(1);
    expect(await inboxCount([id])).toBe(1);
  });

  it('applies once an event published twice to JetStream under different msgIDs', async () => {
    const env = testEnv();
    const t = await start(env);
    const e = envelope(acceptedData());
    const body = JSON.stringify(e);
    const js = nc.jetstream();
    const first = await js.publish(subjectOf(env), body, { msgID: randomUUID() });
    const second = await js.publish(subjectOf(env), body, { msgID: randomUUID() });
    // The server kept both: only the inbox stands between them and a double effect.
    expect(first.duplicate).toBe(false);
    expect(second.duplicate).toBe(false);
    expect(second.seq).toBe(first.seq + 1);

    const ci = await waitConsumerSettled(env);
    expect(ci.delivered.stream_seq).toBe(second.seq);
    expect(await consumedCount(t, 'applied')).toBe(1);
    expect(await consumedCount(t, 'duplicate')).toBe(1);
    expect(t.consumer.callsFor(e.ticketId)).toHaveLength(1);
    expect((await appliedCounts([e.id])).get(e.id)).toBe(1);
    expect(await inboxCount([e.id])).toBe(1);
  });

  it('dead-letters malformed JSON and invalid payloads with their errors, and carries on', async () => {
    // One message at a time: a stuck poison message would hold back the valid one behind it.
    const env = testEnv({ BUS_CONCURRENCY: '1' });
    const t = await start(env);
    const js = nc.jetstream();
    const subject = subjectOf(env);

    const garbage = '{"id": "not even json';
    const invalid = envelope(acceptedData({ orderNo: 'no-12', urgency: 'whenever' }));
    const valid = envelope(acceptedData());
    const h = natsHeaders();
    h.set('traceparent', '00-0123456789abcdef0123456789abcdef-0123456789abcdef-01');
    await js.publish(subject, garbage, { headers: h });
    await js.publish(subject, JSON.stringify(invalid));
    await js.publish(subject, JSON.stringify(valid));

    await waitFor(
      () => appliedCounts([valid.id]),
      (m) => m.get(valid.id) === 1,
      { what: 'the valid event after the poison ones' },
    );
    const dls = await waitFor(
      () => deadLetters(env),
      (r) => r.length === 2,
      { what: 'two dead letters' },
    );

    expect(dls[0]).toMatchObject({
      consumer: DURABLE,
      subject,
      stream_seq: '1',
      event_id: null,
      payload: garbage,
      reason: 'malformed_json',
      deliveries: 1,
    });
    expect(dls[0].errors).toEqual([{ field: '', reason: expect.stringMatching(/JSON/) }]);

    expect(dls[1]).toMatchObject({
      consumer: DURABLE,
      subject,
      stream_seq: '2',
      event_id: invalid.id,
      event_type: TYPE,
      reason: 'invalid_payload',
      deliveries: 1,
    });
    expect(JSON.parse(dls[1].payload)).toEqual(JSON.parse(JSON.stringify(invalid)));
    expect(dls[1].errors).toEqual(
      expect.arrayContaining([
        { field: 'data.orderNo', reason: expect.stringContaining('orderNo must match') },
        { field: 'data.urgency', reason: expect.stringContaining('urgency must be one of') },
      ]),
    );
    expect(dls[1].errors.every((x) => x.field.startsWith('data.'))).toBe(true);

    // Never retried, never applied, nothing left pending.
    const ci = await waitConsumerSettled(env);
    expect(ci.delivered.stream_seq).toBe(3);
    expect(ci.delivered.consumer_seq).toBe(3); // three messages, three deliveries: no retry
    expect((await appliedCounts([invalid.id])).size).toBe(0);
    expect(t.consumer.calls.map((c) => c.eventId)).toEqual([valid.id]);
  });

  it('dead-letters an event whose envelope names another district than its subject, and refuses to replay it', async () => {
    const env = testEnv();
    const t = await start(env);
    const js = nc.jetstream();
    // Valid in itself, but sent on 630104's subject while the envelope says 630105.
    const misrouted = { ...envelope(acceptedData()), district: '630105' };
    await js.publish(subjectOf(env), JSON.stringify(misrouted));

    const [dl] = await waitFor(
      () => deadLetters(env),
      (r) => r.length === 1,
      { what: 'the misrouted event dead-lettered' },
    );
    expect(dl).toMatchObject({ consumer: DURABLE, event_id: misrouted.id, event_type: TYPE, reason: 'type_mismatch', deliveries: 1 });
    expect(dl.errors).toEqual([{ field: 'type', reason: `envelope says ${TYPE} in 630105; subject is ${subjectOf(env)}` }]);

    // Replaying it goes through the same check as a delivery: still refused, never applied, left open.
    const { rows } = await pg.query<{ id: string }>(`SELECT id FROM "${SCHEMA}"."dead_letter" WHERE event_id = $1`, [misrouted.id]);
    await expect(t.app.get(DeadLetterService).replay(rows[0].id)).rejects.toThrow(`envelope says ${TYPE} in 630105`);
    expect((await appliedCounts([misrouted.id])).size).toBe(0);
    expect(await inboxCount([misrouted.id])).toBe(0);
    const open = await pg.query(`SELECT 1 FROM "${SCHEMA}"."dead_letter" WHERE id = $1 AND replayed_at IS NULL`, [rows[0].id]);
    expect(open.rowCount).toBe(1);
  });

  it('creates its durable again when an operator deletes it, and carries on consuming', async () => {
    const env = testEnv();
    const t = await start(env);
    const [before] = await publishViaOutbox(t);
    await waitFor(
      () => appliedCounts([before]),
      (m) => m.get(before) === 1,
      { what: 'the event before the deletion applied' },
    );

    await jsm.consumers.delete(env.BUS_STREAM, DURABLE);
    const [after] = await publishViaOutbox(t);
    await waitFor(
      () => appliedCounts([after]),
      (m) => m.get(after) === 1,
      { timeoutMs: 30_000, what: 'the event after the deletion applied by the re-created durable' },
    );
    // The new durable starts from the beginning of the stream: the first event comes again, as a duplicate.
    await waitConsumerSettled(env);
    expect((await appliedCounts([before])).get(before)).toBe(1);
    expect(await inboxCount([before, after])).toBe(2);
    expect(await deadLetters(env)).toEqual([]);
  });

  it('retries a handler that fails transiently (nak with delay) and applies it once', async () => {
    const env = testEnv({ BUS_BACKOFF_BASE_MS: '300', BUS_MAX_DELIVER: '3' });
    const t = await start(env);
    const ticket = randomUUID();
    t.consumer.fail(ticket, 1); // throws after writing its effect: the effect must roll back with it
    const [id] = await publishViaOutbox(t, 1, ticket);

    await waitFor(
      () => appliedCounts([id]),
      (m) => m.has(id),
      { what: 'the retried event applied' },
    );
    const calls = t.consumer.callsFor(ticket);
    expect(calls.map((c) => c.delivery)).toEqual([1, 2]);
    // nak(300 ms): the server held it back before delivering again (not an immediate redelivery).
    expect(calls[1].at - calls[0].at).toBeGreaterThanOrEqual(250);
    // And not the 2 s ack wait either: it was a nak, not a timeout.
    expect(calls[1].at - calls[0].at).toBeLessThan(1900);
    expect((await appliedCounts([id])).get(id)).toBe(1);
    expect(await consumedCount(t, 'retried')).toBe(1);
    await waitConsumerSettled(env);
    expect(await deadLetters(env)).toEqual([]);
  });

  it('dead-letters an event whose handler fails on every delivery after BUS_MAX_DELIVER deliveries', async () => {
    const env = testEnv({ BUS_MAX_DELIVER: '3', BUS_BACKOFF_BASE_MS: '100' });
    const t = await start(env);
    const ticket = randomUUID();
    t.consumer.fail(ticket, Infinity);
    const [id] = await publishViaOutbox(t, 1, ticket);

    const [dl] = await waitFor(
      () => deadLetters(env),
      (r) => r.length === 1,
      { what: 'the dead letter' },
    );
    expect(dl).toMatchObject({ consumer: DURABLE, event_id: id, event_type: TYPE, reason: 'handler_failed', deliveries: 3 });
    expect(dl.errors).toEqual([{ field: '', reason: 'test: handler failure on delivery 3' }]);
    expect((JSON.parse(dl.payload) as EventEnvelope).id).toBe(id);
    expect(t.consumer.callsFor(ticket).map((c) => c.delivery)).toEqual([1, 2, 3]);

    // Terminated, not left to time out: no fourth delivery, nothing pending, no effect.
    const ci = await waitConsumerSettled(env);
    expect(ci.delivered.consumer_seq).toBe(3);
    await sleep(2500); // longer than the ack wait: a message left un-acked would come back by now
    expect(t.consumer.callsFor(ticket)).toHaveLength(3);
    expect((await appliedCounts([id])).size).toBe(0);
    expect(await inboxCount([id])).toBe(0);
  });

  it('lets an early event wait past BUS_MAX_DELIVER without spending its failures, then applies it once', async () => {
    const env = testEnv({ BUS_MAX_DELIVER: '2', BUS_BACKOFF_BASE_MS: '50' });
    const t = await start(env);
    const ticket = randomUUID();
    // Five deliveries say "the earlier event has not arrived", then one real failure: still below 2 failures.
    t.consumer.tooEarly(ticket, 5);
    const [id] = await publishViaOutbox(t, 1, ticket);
    await waitFor(
      () => consumedCount(t, 'waiting'),
      (n) => n === 5,
      { timeoutMs: 30_000, what: 'five early deliveries' },
    );
    t.consumer.fail(ticket, 1);
    await waitFor(
      () => appliedCounts([id]),
      (m) => m.get(id) === 1,
      { timeoutMs: 30_000, what: 'the early event applied at last' },
    );
    expect(t.consumer.callsFor(ticket).map((c) => c.delivery)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(await consumedCount(t, 'retried')).toBe(1);
    expect(await deadLetters(env)).toEqual([]);
    await waitConsumerSettled(env);
    // What the consumer remembered about the event went with its inbox row.
    const left = await pg.query(`SELECT 1 FROM "${SCHEMA}"."delivery_attempt" WHERE event_id = $1`, [id]);
    expect(left.rowCount).toBe(0);
  });

  it('dead-letters an early event whose earlier event never comes within BUS_EARLY_EVENT_HORIZON_SECONDS', async () => {
    const env = testEnv({ BUS_MAX_DELIVER: '2', BUS_BACKOFF_BASE_MS: '200', BUS_EARLY_EVENT_HORIZON_SECONDS: '2' });
    const t = await start(env);
    const ticket = randomUUID();
    t.consumer.tooEarly(ticket, Infinity);
    const [id] = await publishViaOutbox(t, 1, ticket);
    const [dl] = await waitFor(
      () => deadLetters(env),
      (r) => r.length === 1,
      { timeoutMs: 30_000, what: 'the early event dead-lettered' },
    );
    expect(dl).toMatchObject({ consumer: DURABLE, event_id: id, reason: 'earlier_event_missing' });
    expect(dl.errors).toEqual([{ field: '', reason: expect.stringMatching(/BUS_EARLY_EVENT_HORIZON_SECONDS=2.*has not arrived/) }]);
    // More deliveries than BUS_MAX_DELIVER: time, not deliveries, ended the wait.
    expect(t.consumer.callsFor(ticket).length).toBeGreaterThan(2);
    const calls = t.consumer.callsFor(ticket);
    expect(calls[calls.length - 1].at - calls[0].at).toBeGreaterThanOrEqual(1900);
    await waitConsumerSettled(env);
    expect((await appliedCounts([id])).size).toBe(0);
  });

  it('publishes when the writing transaction commits (or the statement outside one), not at the sweep, also after its connections were cut', async () => {
    // A sweep every 20 s: anything published sooner was woken by the commit.
    const env = testEnv({ BUS_SWEEP_MS: '20000' });
    const t = await start(env);
    const published = (id: string) => pg.query(`SELECT 1 FROM "${SCHEMA}"."outbox" WHERE id = $1 AND published_at IS NOT NULL`, [id]);
    const publishedWithin = async (write: () => Promise<string>): Promise<number> => {
      const started = Date.now();
      const id = await write();
      await waitFor(
        () => published(id),
        (r) => r.rowCount === 1,
        { timeoutMs: 5000, intervalMs: 20, what: 'the event published' },
      );
      return Date.now() - started;
    };
    const inTransaction = async () => (await publishViaOutbox(t))[0];
    const oneStatement = async () =>
      (await t.outbox.publishWith([], [{ type: TYPE, district: DISTRICT, ticketId: randomUUID(), data: acceptedData() }]))[0].id;
    // Let the first sweep (at boot) pass, then measure the wake-up on commit.
    await sleep(300);
    expect(await publishedWithin(inTransaction)).toBeLessThan(2000);
    expect(await publishedWithin(oneStatement)).toBeLessThan(2000);

    // Rows wait for their transaction's COMMIT, not for the statement that wrote them, nor a savepoint's release.
    let held: string | undefined;
    await t.txHost.withTransaction(async () => {
      await t.txHost.withTransaction(Propagation.Nested, async () => {
        held = (await t.outbox.publish(TYPE, { district: DISTRICT, ticketId: randomUUID(), data: acceptedData() })).id;
      });
      await sleep(500);
    });
    const committedAt = Date.now();
    await waitFor(
      () => published(held!),
      (r) => r.rowCount === 1,
      { timeoutMs: 5000, intervalMs: 20, what: 'the held event published' },
    );
    expect(Date.now() - committedAt).toBeLessThan(2000);

    // What a Postgres restart does to the pool: every backend of the app's is gone.
    await pg.query(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid() AND backend_type = 'client backend'`,
      [db.name],
    );
    await waitFor(
      () =>
        inTransaction().then(
          () => true,
          () => false,
        ),
      (ok) => ok,
      { timeoutMs: 15_000, what: 'the pool connected again' },
    );
    expect(await publishedWithin(inTransaction)).toBeLessThan(2000);
    expect(await publishedWithin(oneStatement)).toBeLessThan(2000);
  });

  describe('with a NATS server of its own', () => {
    let server: OwnNatsServer | undefined;
    let ownNc: NatsConnection | undefined;

    afterAll(async () => {
      await ownNc?.close().catch(() => undefined);
      await server?.dispose();
    });

    it('loses no event when NATS is killed and restarted in the middle of a stream', async () => {
      server = await OwnNatsServer.start();
      // The stream lives on the own server; its store is removed with it.
      const env = testEnv({ NATS_URL: server.url, DB_POOL_SIZE: '10' }, false);
      const t = await start(env);
      let reconnects = 0;
      void (async () => {
        for await (const s of t.nc.status()) if (s.type === Events.Reconnect) reconnects++;
      })();

      // Producers commit 5 events per transaction, every 100 ms, until told to stop (and at least 300).
      const AT_LEAST = 300;
      const PER_TX = 5;
      const ids: string[] = [];
      let stop = false;
      const producing = (async () => {
        while (!stop || ids.length < AT_LEAST) {
          ids.push(...(await publishViaOutbox(t, PER_TX)));
          await sleep(100);
        }
      })();
      const applied = async () => {
        const r = await pg.query<{ n: string }>(`SELECT count(*) AS n FROM "${SCHEMA}"."applied" WHERE event_id = ANY($1::uuid[])`, [ids]);
        return Number(r.rows[0].n);
      };
      /** Kill the server while events flow both ways, keep producing while it is down, restart, wait for progress. */
      const outage = async (signal: 'SIGKILL' | 'SIGTERM') => {
        const flowing = await applied();
        await waitFor(applied, (n) => n >= flowing + 40, { timeoutMs: 30_000, what: `events flowing before ${signal}` });
        await server!.kill(signal);
        const atKill = ids.length;
        await sleep(1000);
        expect(ids.length).toBeGreaterThan(atKill); // the outbox took events while NATS was down
        await server!.restart();
      };

      await outage('SIGKILL');
      await outage('SIGTERM');
      const settled = await applied();
      await waitFor(applied, (n) => n >= settled + 40, { timeoutMs: 30_000, what: 'events flowing after the last restart' });
      stop = true;
      await producing;
      const total = ids.length;
      expect(total).toBeGreaterThanOrEqual(AT_LEAST);

      await waitFor(applied, (n) => n === total, { timeoutMs: 60_000, what: `all ${total} events applied` });
      const counts = await appliedCounts(ids);
      expect(counts.size).toBe(total);
      expect([...counts.values()].filter((c) => c !== 1)).toEqual([]); // exactly once each
      expect(await inboxCount(ids)).toBe(total);
      expect(reconnects).toBeGreaterThanOrEqual(2);

      const unpublished = await waitFor(
        async () => {
          const r = await pg.query<{ n: string }>(
            `SELECT count(*) AS n FROM "${SCHEMA}"."outbox" WHERE subject LIKE $1 AND published_at IS NULL`,
            [`${env.BUS_PREFIX}.%`],
          );
          return Number(r.rows[0].n);
        },
        (n) => n === 0,
        { what: 'no outbox row left unpublished' },
      );
      expect(unpublished).toBe(0);

      ownNc = await connect({ servers: server.url });
      const ownJsm = await ownNc.jetstreamManager();
      // Re-publishes after failed relay passes were dropped by the server's msgID dedup: one message per event.
      expect((await ownJsm.streams.info(env.BUS_STREAM)).state.messages).toBe(total);
      await waitConsumerSettled(env, ownJsm, 30_000);
      expect(await deadLetters(env)).toEqual([]);
    }, 100_000);
  });
});
