/**
 * Batches: what the pull delivered together is applied in ONE transaction (inbox rows in one
 * statement, the handlers in stream order, one commit), and none of the bus's guarantees is lost
 * for it: a failing message is set aside and classified by its own error (retried with its count,
 * early, dead-lettered at BUS_MAX_DELIVER) while the others are applied exactly once; duplicates are
 * skipped; a deadlock falls back to one message per transaction, uncounted; a commit that fails
 * because the database went away counts against nothing; what was pulled but not started is given
 * back on shutdown.
 *
 * How a batch is made on purpose: BUS_CONCURRENCY=1 (one worker per consumer), a first event's
 * handler held at a gate, the batch's events published meanwhile and delivered to the instance
 * (the durable shows them pending an ack), then the gate released: the worker takes them all.
 *
 * On a Postgres cluster and a nats-server of the file's own (so that Postgres can be stopped, and no
 * other suite's connections count against it).
 */
import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Channel, EventEnvelope, RequestType, subjectFor, TicketAcceptedV1, Urgency } from '@app/contracts';
import { durableName, Propagation } from '@app/platform';
import { ConsumerHost } from '@app/platform/bus/consumer-host';
import { testBus, waitFor } from '@app/platform/testing';
import { connect, JetStreamManager, NatsConnection } from 'nats';
import { Client } from 'pg';
import { HandlerCall } from './fixtures/applied.consumer';
import { consumedCount, migrateTestSchema, startTestApp, TEST_SERVICE, TestApp } from './fixtures/bus-test-app';
import { OwnNatsServer } from './fixtures/nats-server';
import { OwnPostgresServer } from './fixtures/postgres-server';

const SCHEMA = TEST_SERVICE;
const DISTRICT = '630104';
const TYPE = 'ticket.accepted.v1';
const DURABLE = durableName(TEST_SERVICE, TYPE);

let pgServer: OwnPostgresServer;
let nats: OwnNatsServer;
let dbUrl: string;
let pg: Client;
let nc: NatsConnection;
let jsm: JetStreamManager;
let apps: TestApp[] = [];
let streams: string[] = [];

beforeAll(async () => {
  pgServer = await OwnPostgresServer.create();
  nats = await OwnNatsServer.start();
  dbUrl = await pgServer.createDatabase('batch');
  expect(await migrateTestSchema(dbUrl, SCHEMA)).toEqual([]);
  pg = new Client({ connectionString: dbUrl });
  await pg.connect();
  nc = await connect({ servers: nats.url, name: 'bus-batch.int-spec' });
  jsm = await nc.jetstreamManager();
}, 60_000);

afterEach(async () => {
  const closing = apps.reverse().map((a) => a.close());
  apps = [];
  await Promise.allSettled(closing);
  for (const s of streams) await jsm.streams.delete(s).catch(() => undefined);
  streams = [];
});

afterAll(async () => {
  await nc?.close().catch(() => undefined);
  await pg?.end().catch(() => undefined);
  await nats?.dispose();
  await pgServer?.dispose();
});

// ---------------------------------------------------------------------------------------------- helpers

interface Bus {
  BUS_PREFIX: string;
  BUS_STREAM: string;
}

/** One worker per consumer (so that what waits forms one batch); fast ack wait and backoff. */
function testEnv(extra: Record<string, string> = {}): Record<string, string> & Bus {
  const bus = testBus();
  streams.push(bus.BUS_STREAM);
  return {
    DATABASE_URL: dbUrl,
    DB_POOL_SIZE: '5',
    NATS_URL: nats.url,
    BUS_SWEEP_MS: '200',
    BUS_ACK_WAIT_SECONDS: '5',
    BUS_BACKOFF_BASE_MS: '100',
    BUS_MAX_DELIVER: '3',
    BUS_CONCURRENCY: '1',
    BUS_BATCH: '32',
    ...bus,
    ...extra,
  };
}

async function start(env: Record<string, string>): Promise<TestApp> {
  const t = await startTestApp(env);
  apps.push(t);
  return t;
}

function acceptedData(): TicketAcceptedV1 {
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
  };
}

/** An event of the order `ticketId`, under DISTRICT or under the district given with it. */
type Item = string | { ticketId: string; district: string };

/** One event per item, through the outbox in one committed transaction, in this order; their ids. */
async function publish(t: TestApp, items: Item[]): Promise<string[]> {
  return t.txHost.withTransaction(async () => {
    const ids: string[] = [];
    for (const item of items) {
      const { ticketId, district } = typeof item === 'string' ? { ticketId: item, district: DISTRICT } : item;
      ids.push((await t.outbox.publish(TYPE, { district, ticketId, data: acceptedData() })).id);
    }
    return ids;
  });
}

/** `n` order ids, sorted: a batch of one district applies its events by order id, so this is also their order in a batch. */
function tickets(n: number): string[] {
  return Array.from({ length: n }, () => randomUUID()).sort();
}

/**
 * Make the next batch: hold the worker on a first event, publish `batch` (one event per item),
 * wait until the instance holds them all, let the worker go. The ids of the batch's events.
 */
async function heldBatch(t: TestApp, env: Bus, batch: Item[]): Promise<string[]> {
  const holder = randomUUID();
  const gate = t.consumer.block(holder);
  await publish(t, [holder]);
  await gate.entered;
  const ids = await publish(t, batch);
  await waitFor(
    () => jsm.consumers.info(env.BUS_STREAM, DURABLE),
    (ci) => ci.num_pending === 0 && ci.num_ack_pending === batch.length + 1,
    { what: `the ${batch.length} events delivered to the instance` },
  );
  gate.release('commit');
  return ids;
}

async function appliedCounts(ids: string[]): Promise<Map<string, number>> {
  const r = await pg.query<{ event_id: string; count: number }>(
    `SELECT event_id, count FROM "${SCHEMA}"."applied" WHERE event_id = ANY($1::uuid[])`,
    [ids],
  );
  return new Map(r.rows.map((x) => [x.event_id, x.count]));
}

async function allAppliedOnce(ids: string[], what: string): Promise<void> {
  const counts = await waitFor(
    () => appliedCounts(ids),
    (m) => m.size === ids.length,
    { timeoutMs: 30_000, what },
  );
  expect([...counts.values()].filter((c) => c !== 1)).toEqual([]);
  const inbox = await pg.query(`SELECT 1 FROM "${SCHEMA}"."inbox" WHERE event_id = ANY($1::uuid[])`, [ids]);
  expect(inbox.rowCount).toBe(ids.length);
}

async function deadLetters(bus: Bus) {
  const r = await pg.query<{ event_id: string | null; reason: string; deliveries: number; errors: { reason: string }[] }>(
    `SELECT event_id, reason, deliveries, errors FROM "${SCHEMA}"."dead_letter" WHERE subject LIKE $1 ORDER BY stream_seq`,
    [`${bus.BUS_PREFIX}.%`],
  );
  return r.rows;
}

async function attempts(ids: string[]) {
  const r = await pg.query<{ event_id: string }>(`SELECT event_id FROM "${SCHEMA}"."delivery_attempt" WHERE event_id = ANY($1::uuid[])`, [
    ids,
  ]);
  return r.rows;
}

async function settled(bus: Bus, timeoutMs = 30_000) {
  return waitFor(
    () => jsm.consumers.info(bus.BUS_STREAM, DURABLE),
    (ci) => ci.num_pending === 0 && ci.num_ack_pending === 0,
    { timeoutMs, what: `consumer ${DURABLE} settled` },
  );
}

/** The handler calls of these events, in the order they ran. */
function callsOf(t: TestApp, ids: string[]): HandlerCall[] {
  const wanted = new Set(ids);
  return t.consumer.calls.filter((c) => wanted.has(c.eventId));
}

/** The events' ids in stream order. */
async function streamOrder(bus: Bus): Promise<string[]> {
  const info = await jsm.streams.info(bus.BUS_STREAM);
  const ids: string[] = [];
  for (let seq = info.state.first_seq; seq <= info.state.last_seq; seq++) {
    ids.push((await jsm.streams.getMessage(bus.BUS_STREAM, { seq })).json<EventEnvelope>().id);
  }
  return ids;
}

// ------------------------------------------------------------------------------------------------ tests

describe('batches of one consumer (real Postgres + NATS)', () => {
  it('applies what arrived together in one transaction, by district and order (stream order within an order), and a lone message alone', async () => {
    const env = testEnv();
    const t = await start(env);
    // Twelve events, two of them for the same order (its two must keep their stream order).
    const batch = tickets(11);
    batch.splice(7, 0, batch[2]);
    const ids = await heldBatch(t, env, batch);
    await allAppliedOnce(ids, 'the batch applied');

    const calls = callsOf(t, ids);
    const ticketOf = new Map(ids.map((id, i) => [id, batch[i]]));
    const inStream = (await streamOrder(env)).filter((id) => ids.includes(id));
    // One district: sorted by order id, stably (Array.prototype.sort is stable).
    const expected = [...inStream].sort((a, b) => (ticketOf.get(a)! < ticketOf.get(b)! ? -1 : ticketOf.get(a)! > ticketOf.get(b)! ? 1 : 0));
    expect(calls.map((c) => c.eventId)).toEqual(expected);
    expect(calls.filter((c) => c.ticketId === batch[2]).map((c) => c.eventId)).toEqual([ids[2], ids[7]]);
    expect(new Set(calls.map((c) => c.tx)).size).toBe(1); // one transaction for the twelve
    expect(calls.every((c) => c.delivery === 1)).toBe(true);
    // The holder went alone (nothing else had arrived): a transaction of its own.
    const holder = t.consumer.calls[0];
    expect(holder.tx).not.toBe(calls[0].tx);
    expect(await consumedCount(t, 'applied')).toBe(13);

    // An idle bus: the next event is applied by itself, without waiting for company.
    const [alone] = await publish(t, [randomUUID()]);
    await allAppliedOnce([alone], 'the lone event applied');
    expect(new Set(t.consumer.calls.map((c) => c.tx)).size).toBe(3);
    await settled(env);
    expect(await deadLetters(env)).toEqual([]);
  });

  it('keeps the stream order of one order whose events in the batch name different districts (an order moved), placed by its first', async () => {
    const env = testEnv();
    const t = await start(env);
    const [moved, b, c] = tickets(3);
    // Under the old order (district, then order), moved's three events ran 630100, 630102, 630104: reversed.
    const batch: Item[] = [
      { ticketId: moved, district: '630104' },
      { ticketId: b, district: '630102' },
      { ticketId: moved, district: '630100' },
      { ticketId: c, district: '630105' },
      { ticketId: moved, district: '630102' },
    ];
    const ids = await heldBatch(t, env, batch);
    await allAppliedOnce(ids, 'the batch applied');
    const calls = callsOf(t, ids);
    expect(new Set(calls.map((x) => x.tx)).size).toBe(1);
    // b (630102), then moved's three in stream order at its first district (630104), then c (630105).
    expect(calls.map((x) => x.eventId)).toEqual([ids[1], ids[0], ids[2], ids[4], ids[3]]);
    await settled(env);
    expect(await deadLetters(env)).toEqual([]);
  });

  it('sets aside a message whose handler fails: the others applied once, it retried with its count, then applied', async () => {
    const env = testEnv({ BUS_MAX_DELIVER: '3' });
    const t = await start(env);
    const batch = tickets(8);
    t.consumer.fail(batch[3], 1); // throws after writing its effect: the whole batch's effects roll back with it
    const ids = await heldBatch(t, env, batch);
    await allAppliedOnce(ids, 'the batch applied, the failing one after its retry');

    expect(t.consumer.callsFor(batch[3]).map((c) => c.delivery)).toEqual([1, 2]);
    expect(await consumedCount(t, 'retried')).toBe(1);
    // The other seven: some ran in the rolled-back batch (those sorted before it), all ran again and
    // committed together in the batch without it.
    const others = ids.filter((_, i) => i !== 3);
    const byTx = new Map<string | undefined, string[]>();
    for (const c of callsOf(t, others)) byTx.set(c.tx, [...(byTx.get(c.tx) ?? []), c.eventId]);
    expect([...byTx.values()].filter((events) => [...events].sort().join() === [...others].sort().join())).toHaveLength(1);
    expect(callsOf(t, others).filter((c) => c.delivery !== 1)).toEqual([]); // none of them redelivered or counted
    await settled(env);
    expect(await attempts(ids)).toEqual([]); // the failure count went with the inbox row
    expect(await deadLetters(env)).toEqual([]);
  });

  it('dead-letters a message that fails on every delivery at BUS_MAX_DELIVER, and lets an early one wait uncounted, while the rest of the batch applies', async () => {
    const env = testEnv({ BUS_MAX_DELIVER: '2' });
    const t = await start(env);
    const batch = tickets(6);
    t.consumer.fail(batch[1], Infinity);
    t.consumer.tooEarly(batch[4], 3); // three "not yet", more than BUS_MAX_DELIVER: waiting is not failing
    const ids = await heldBatch(t, env, batch);

    const good = ids.filter((_, i) => i !== 1);
    await allAppliedOnce(good, 'every event but the failing one applied');
    const [dl] = await waitFor(
      () => deadLetters(env),
      (r) => r.length === 1,
      { timeoutMs: 30_000, what: 'the failing event dead-lettered' },
    );
    expect(dl).toMatchObject({ event_id: ids[1], reason: 'handler_failed', deliveries: 2 });
    expect(dl.errors).toEqual([{ field: '', reason: 'test: handler failure on delivery 2' }]);
    expect(t.consumer.callsFor(batch[1]).map((c) => c.delivery)).toEqual([1, 2]);
    expect(t.consumer.callsFor(batch[4]).map((c) => c.delivery)).toEqual([1, 2, 3, 4]);
    expect(await consumedCount(t, 'waiting')).toBe(3);
    expect((await appliedCounts([ids[1]])).size).toBe(0);
    await settled(env);
    expect(await attempts(ids)).toEqual([]);
  });

  it('skips duplicates in a batch: an event published twice, and one the inbox has already seen', async () => {
    const env = testEnv();
    const t = await start(env);
    const [before] = await publish(t, [randomUUID()]);
    await allAppliedOnce([before], 'the first event applied');
    const beforeBody = await jsm.streams.getMessage(env.BUS_STREAM, { seq: 1 });

    const holder = randomUUID();
    const gate = t.consumer.block(holder);
    await publish(t, [holder]);
    await gate.entered;
    const js = nc.jetstream();
    const subject = subjectFor(env.BUS_PREFIX, DISTRICT, TYPE);
    const twice: EventEnvelope<typeof TYPE> = {
      id: randomUUID(),
      type: TYPE,
      version: 1,
      occurredAt: new Date().toISOString(),
      district: DISTRICT,
      ticketId: randomUUID(),
      producer: TEST_SERVICE,
      data: acceptedData(),
    };
    // Different msgIDs, so the server keeps every copy: only the inbox stands between them and a double effect.
    await js.publish(subject, JSON.stringify(twice), { msgID: randomUUID() });
    await js.publish(subject, beforeBody.data, { msgID: randomUUID() });
    await js.publish(subject, JSON.stringify(twice), { msgID: randomUUID() });
    const [after] = await publish(t, [randomUUID()]);
    await waitFor(
      () => jsm.consumers.info(env.BUS_STREAM, DURABLE),
      (ci) => ci.num_pending === 0 && ci.num_ack_pending === 5,
      { what: 'the four delivered behind the holder' },
    );
    gate.release('commit');

    await allAppliedOnce([before, twice.id, after], 'the batch applied');
    await settled(env);
    expect(await consumedCount(t, 'duplicate')).toBe(2);
    expect(t.consumer.calls.filter((c) => c.eventId === twice.id)).toHaveLength(1);
    expect(t.consumer.calls.filter((c) => c.eventId === before)).toHaveLength(1);
    const [a, b] = [t.consumer.calls.find((c) => c.eventId === twice.id)!, t.consumer.calls.find((c) => c.eventId === after)!];
    expect(a.tx).toBe(b.tx);
  });

  it('applies a deadlocked batch one message per transaction, counting nothing against its messages', async () => {
    const env = testEnv();
    const t = await start(env);
    const batch = tickets(4);
    const blocker = randomUUID();
    const other = new Client({ connectionString: dbUrl });
    await other.connect();
    try {
      // Another transaction holds a row the batch's third handler will want ...
      await other.query('BEGIN');
      // (only the batch's backend may be the one that detects the cycle, so that the batch is its victim)
      await other.query(`SET LOCAL deadlock_timeout = '60s'`);
      await other.query(`INSERT INTO "${SCHEMA}"."applied" (event_id, ticket_id, count) VALUES ($1, NULL, 0)`, [blocker]);
      const pause = t.consumer.block(batch[1]);
      t.consumer.afterEffect(batch[2], async () => {
        await t.txHost.tx.query(`INSERT INTO "${SCHEMA}"."applied" (event_id, ticket_id, count) VALUES ($1, NULL, 0)`, [blocker]);
      });
      const ids = await heldBatch(t, env, batch);
      await pause.entered;
      // ... and waits for a row the batch wrote (its first event's) ...
      const crossing = other.query(`INSERT INTO "${SCHEMA}"."applied" (event_id, ticket_id, count) VALUES ($1, NULL, 0)`, [ids[0]]).then(
        () => 'other went on',
        (e: Error) => e.message,
      );
      await waitFor(
        () => pg.query(`SELECT 1 FROM pg_stat_activity WHERE datname = 'batch' AND wait_event_type = 'Lock'`),
        (r) => r.rowCount === 1,
        { what: 'the other transaction waiting for the batch' },
      );
      // ... while the batch's third handler waits for the other's row: a cycle, and Postgres breaks it in the batch.
      pause.release('commit');
      expect(await crossing).toBe('other went on');
      await other.query('ROLLBACK');
      await allAppliedOnce(ids, 'the deadlocked batch applied one by one');

      const calls = callsOf(t, ids);
      // The first three ran in the failed batch, then each of the four alone; every time as delivery 1.
      expect(calls.map((c) => c.eventId)).toEqual([...ids.slice(0, 3), ...ids]);
      expect(calls.map((c) => c.delivery)).toEqual(calls.map(() => 1));
      expect(new Set(calls.slice(3).map((c) => c.tx)).size).toBe(4);
      const fallbacks = (await t.metrics.batchFallbacks.get()).values;
      expect(fallbacks).toEqual([expect.objectContaining({ labels: { consumer: DURABLE, kind: 'one_by_one' }, value: 1 })]);
      expect(await consumedCount(t, 'retried')).toBe(0);
      await settled(env);
      expect(await attempts(ids)).toEqual([]);
      expect(await deadLetters(env)).toEqual([]);
    } finally {
      await other.end().catch(() => undefined);
    }
  });

  it('counts nothing when the commit of a batch fails because its connection is gone, and applies it once after', async () => {
    const env = testEnv();
    const t = await start(env);
    const batch = tickets(5);
    const last = t.consumer.block(batch[4]);
    const ids = await heldBatch(t, env, batch);
    await last.entered;
    // The batch's connection is cut while its last handler waits: its COMMIT goes nowhere.
    const cut = await pg.query(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
        WHERE datname = 'batch' AND pid <> pg_backend_pid() AND state = 'idle in transaction'`,
    );
    expect(cut.rowCount).toBe(1);
    last.release('commit');

    await allAppliedOnce(ids, 'the batch applied after its failed commit');
    // Either pg reports the cut connection (the circuit opens, all five are given back uncounted) or the
    // driver's error names no cause (the batch is applied one by one): in both, nothing is counted.
    expect(await consumedCount(t, 'retried')).toBe(0);
    for (const ticket of batch) {
      // Once in the batch that could not commit, once after.
      const deliveries = t.consumer.callsFor(ticket).map((c) => c.delivery);
      expect(deliveries).toHaveLength(2);
      expect(deliveries[0]).toBe(1);
    }
    await settled(env);
    expect(await attempts(ids)).toEqual([]);
    expect(await deadLetters(env)).toEqual([]);
  });

  it('pauses while Postgres is down in the middle of a batch, counts nothing, and applies every event once when it is back', async () => {
    const env = testEnv({ DB_CONNECT_TIMEOUT_MS: '1000' });
    const t = await start(env);
    const batch = tickets(6);
    const last = t.consumer.block(batch[5]);
    const ids = await heldBatch(t, env, batch);
    await last.entered;
    await pg.end();
    await pgServer.stop();
    last.release('commit');
    // More events while the database is down: they stay in the stream.
    const js = nc.jetstream();
    const subject = subjectFor(env.BUS_PREFIX, DISTRICT, TYPE);
    const during: string[] = [];
    for (let i = 0; i < 10; i++) {
      const e = { id: randomUUID(), type: TYPE, version: 1, occurredAt: new Date().toISOString(), district: DISTRICT };
      const body = { ...e, ticketId: randomUUID(), producer: TEST_SERVICE, data: acceptedData() };
      await js.publish(subject, JSON.stringify(body), { msgID: e.id });
      during.push(e.id);
    }
    await sleep(3000);
    await pgServer.start();
    pg = new Client({ connectionString: dbUrl });
    await pg.connect();

    await allAppliedOnce([...ids, ...during], 'every event applied once after the outage');
    await settled(env);
    expect(await consumedCount(t, 'retried')).toBe(0);
    expect(await attempts([...ids, ...during])).toEqual([]);
    expect(await deadLetters(env)).toEqual([]);
  }, 90_000);

  it('finishes the batch in progress on shutdown and leaves what was pulled but not started to another instance, applied once', async () => {
    const env = testEnv({ BUS_ACK_WAIT_SECONDS: '3' });
    const a = await start(env);
    const holder = randomUUID();
    const gate = a.consumer.block(holder);
    await publish(a, [holder]);
    await gate.entered;
    const queued = await publish(a, tickets(6));
    await waitFor(
      () => jsm.consumers.info(env.BUS_STREAM, DURABLE),
      (ci) => ci.num_pending === 0 && ci.num_ack_pending === 7,
      { what: 'the six delivered to instance A behind the holder' },
    );
    // Shut A down while the holder's batch runs: it stops pulling, lets that batch finish, starts nothing more.
    apps.splice(apps.indexOf(a), 1);
    const closing = a.app.close();
    const host: { stopped: boolean } = a.app.get<unknown, { stopped: boolean }>(ConsumerHost);
    await waitFor(
      async () => host.stopped,
      (stopped) => stopped,
      { what: 'instance A shutting down' },
    );
    gate.release('commit');
    await closing;
    await allAppliedOnce(
      [holder].map((ticket) => a.consumer.callsFor(ticket)[0].eventId),
      'the holder applied before A stopped',
    );
    expect(callsOf(a, queued)).toEqual([]);

    // Given back (nak) or, if the server handed them to A's expiring pull request, after the ack wait.
    const b = await start(env);
    await allAppliedOnce(queued, 'instance B applying what A left');
    expect(callsOf(b, queued).map((c) => c.delivery >= 2)).toEqual(queued.map(() => true));
    await settled(env);
    expect(await deadLetters(env)).toEqual([]);
  });
  it("writes the events a batch's handlers publish at the end of the batch, in the order published; a failed handler's and a rolled-back savepoint's never exist", async () => {
    const env = testEnv({ BUS_MAX_DELIVER: '3' });
    const t = await start(env);
    const batch = tickets(6);
    const urge = (ticketId: string, note: string) =>
      t.outbox.publish('sla.urged.v1', {
        district: DISTRICT,
        ticketId,
        data: { itemId: randomUUID(), unitId: randomUUID(), urgeCount: 1, urgedBy: 'test', note, urgedAt: new Date().toISOString() },
      });
    /** The outbox rows of these notes that the handler's own transaction sees now. */
    const visible = async (notes: string[]) => {
      const [row] = await t.txHost.tx.query<{ n: string }[]>(
        `SELECT count(*) AS n FROM "${SCHEMA}"."outbox" WHERE envelope->'data'->>'note' = ANY($1)`,
        [notes],
      );
      return Number(row.n);
    };
    const seenInHandler: Record<string, number> = {};
    // Each handler run of the batch's orders publishes (a hook runs once: it sets itself again for the next run).
    const hook = (i: number) => async () => {
      const ticket = batch[i];
      t.consumer.afterEffect(ticket, hook(i));
      await urge(ticket, `urge ${i}`);
      // Left for the end of the batch: not in the outbox yet, even for this transaction.
      seenInHandler[`urge ${i}`] = await visible([`urge ${i}`]);
      if (i === 2) {
        // A savepoint that rolls back takes its event with it (written at once, inside the savepoint).
        await t.txHost
          .withTransaction(Propagation.Nested, async () => {
            await urge(ticket, 'savepoint rolled back');
            seenInHandler['savepoint rolled back'] = await visible(['savepoint rolled back']);
            throw new Error('test: savepoint rolled back');
          })
          .catch(() => undefined);
      }
      if (i === 4) await t.txHost.withTransaction(Propagation.Nested, () => urge(ticket, 'savepoint released'));
    };
    batch.forEach((ticket, i) => t.consumer.afterEffect(ticket, hook(i)));
    // Throws after its urge: the batch rolls back (every urge of it so far with it) and is applied
    // again without it; it is applied alone on its redelivery, with its urge.
    t.consumer.fail(batch[3], 1);
    const ids = await heldBatch(t, env, batch);
    await allAppliedOnce(ids, 'the batch applied, the failing one after its retry');
    await settled(env);

    expect(seenInHandler).toEqual({
      'urge 0': 0,
      'urge 1': 0,
      'urge 2': 0,
      'savepoint rolled back': 1,
      'urge 3': 0,
      'urge 4': 0,
      'urge 5': 0,
    });
    const rows = await pg.query<{ note: string; published: boolean }>(
      `SELECT envelope->'data'->>'note' AS note, published_at IS NOT NULL AS published FROM "${SCHEMA}"."outbox"
        WHERE type = 'sla.urged.v1' ORDER BY seq`,
    );
    // The batch without urge 3, in the order its handlers ran; urge 3 from its redelivery, after it. The
    // first attempt's urges, and the rolled-back savepoint's, do not exist.
    const urges = rows.rows.map((r) => r.note).filter((n) => n.startsWith('urge '));
    expect(urges).toEqual(['urge 0', 'urge 1', 'urge 2', 'urge 4', 'urge 5', 'urge 3']);
    expect(rows.rows.map((r) => r.note).sort()).toEqual([...urges, 'savepoint released'].sort());
    // And the relay published them, in the outbox's order.
    await waitFor(
      async () => (await pg.query(`SELECT 1 FROM "${SCHEMA}"."outbox" WHERE published_at IS NULL`)).rowCount,
      (n) => n === 0,
      { what: 'the outbox published' },
    );
    const inStream: string[] = [];
    const info = await jsm.streams.info(env.BUS_STREAM);
    for (let seq = info.state.first_seq; seq <= info.state.last_seq; seq++) {
      const e = (await jsm.streams.getMessage(env.BUS_STREAM, { seq })).json<EventEnvelope<'sla.urged.v1'>>();
      if (e.type === 'sla.urged.v1') inStream.push(e.data.note);
    }
    expect(inStream).toEqual(rows.rows.map((r) => r.note));
    expect(await deadLetters(env)).toEqual([]);
  });

  it('lets a batch that is not full wait BUS_BATCH_LINGER_MS for company: events published one by one applied in one transaction, a full batch at once', async () => {
    const env = testEnv({ BUS_BATCH_LINGER_MS: '600', BUS_CONCURRENCY: '4', BUS_BATCH: '8' });
    const t = await start(env);
    // Five events, each in a transaction of its own, 40 ms apart: within the linger of the first.
    const ids: string[] = [];
    const started = Date.now();
    for (let i = 0; i < 5; i++) {
      ids.push(...(await publish(t, [randomUUID()])));
      await sleep(40);
    }
    await allAppliedOnce(ids, 'the five applied');
    const calls = callsOf(t, ids);
    expect(new Set(calls.map((c) => c.tx)).size).toBe(1);
    // Not before the first one's linger was over (the relay takes a few ms more to publish it).
    expect(Math.min(...calls.map((c) => c.at)) - started).toBeGreaterThanOrEqual(550);

    // A full batch (BUS_BATCH=8) does not wait: published together, applied well within the linger.
    const full = await publish(t, tickets(8));
    const sent = Date.now();
    await allAppliedOnce(full, 'the full batch applied');
    const fullCalls = callsOf(t, full);
    expect(new Set(fullCalls.map((c) => c.tx)).size).toBe(1);
    expect(Math.max(...fullCalls.map((c) => c.at)) - sent).toBeLessThan(500);
    await settled(env);
    expect(await deadLetters(env)).toEqual([]);
  });
});
