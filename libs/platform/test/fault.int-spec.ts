/**
 * The fault suite: events under load while the infrastructure fails, on a Postgres cluster and a
 * nats-server of the suite's own (started here, on free loopback ports), so it can stop them for
 * minutes. On the bus test service (fixtures/bus-test-app.ts), two instances sharing one durable:
 *
 *   one instance closed and started again → NATS killed (SIGKILL) and restarted → Postgres down
 *   for FAULT_PG_DOWN_SECONDS (120 by default) while events keep arriving → Postgres back.
 *
 * Events come two ways: through the outbox of an instance (while its database is up), and
 * straight into JetStream, as another service's events do, the whole time, poison among them.
 * BUS_MAX_DELIVER is 3, so a consumer that spent a delivery per outage-failed attempt would
 * dead-letter valid events within seconds. Afterwards: every valid event applied exactly once,
 * only the poison dead-lettered, the stream's events = inbox rows + dead letters, the outbox
 * empty, a new event published when it commits (not at the sweep), and readiness said what was
 * down while it was.
 */
import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Channel, EventEnvelope, RequestType, subjectFor, TicketAcceptedV1, Urgency } from '@app/contracts';
import { durableName, HealthService } from '@app/platform';
import { testBus, waitFor } from '@app/platform/testing';
import { connect, JetStreamClient, JetStreamManager, NatsConnection } from 'nats';
import { Client } from 'pg';
import { migrateTestSchema, startTestApp, TEST_SERVICE, TestApp } from './fixtures/bus-test-app';
import { OwnNatsServer } from './fixtures/nats-server';
import { OwnPostgresServer } from './fixtures/postgres-server';

const SCHEMA = TEST_SERVICE;
const DISTRICT = '630104';
const TYPE = 'ticket.accepted.v1';
const DURABLE = durableName(TEST_SERVICE, TYPE);
const PG_DOWN_MS = Number(process.env.FAULT_PG_DOWN_SECONDS ?? 120) * 1000;

let pgServer: OwnPostgresServer;
let nats: OwnNatsServer;
let dbUrl: string;
let pg: Client | undefined;
let nc: NatsConnection | undefined;
const apps: TestApp[] = [];

beforeAll(async () => {
  pgServer = await OwnPostgresServer.create();
  nats = await OwnNatsServer.start();
  dbUrl = await pgServer.createDatabase('fault');
  expect(await migrateTestSchema(dbUrl, SCHEMA)).toEqual([]);
}, 60_000);

afterAll(async () => {
  await Promise.allSettled(apps.map((a) => a.close()));
  await nc?.close().catch(() => undefined);
  await pg?.end().catch(() => undefined);
  await nats?.dispose();
  await pgServer?.dispose();
});

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

function envelope(): EventEnvelope<'ticket.accepted.v1'> {
  return {
    id: randomUUID(),
    type: TYPE,
    version: 1,
    occurredAt: new Date().toISOString(),
    district: DISTRICT,
    ticketId: randomUUID(),
    producer: TEST_SERVICE,
    data: acceptedData(),
  };
}

/** A pg client that survives the outage: reconnects on demand. */
async function query<T extends object>(sql: string, params: unknown[] = []): Promise<T[]> {
  if (!pg) {
    const c = new Client({ connectionString: dbUrl });
    c.on('error', () => {
      if (pg === c) pg = undefined;
    });
    await c.connect();
    pg = c;
  }
  try {
    return (await pg.query<T>(sql, params)).rows;
  } catch (e) {
    const c = pg;
    pg = undefined;
    await c?.end().catch(() => undefined);
    throw e;
  }
}

describe('fault suite: Postgres down for minutes, NATS killed, instances restarted, under load', () => {
  it(
    'applies every valid event exactly once and dead-letters only the poison',
    async () => {
      const bus = testBus();
      const env = {
        DATABASE_URL: dbUrl,
        NATS_URL: nats.url,
        DB_POOL_SIZE: '6',
        DB_CONNECT_TIMEOUT_MS: '2000',
        // Only the relay's wake-up at commit can publish an outbox row within a second.
        BUS_SWEEP_MS: '15000',
        BUS_ACK_WAIT_SECONDS: '5',
        BUS_BACKOFF_BASE_MS: '100',
        // Three handler failures and out: an outage that spent deliveries would dead-letter valid events.
        BUS_MAX_DELIVER: '3',
        BUS_CONCURRENCY: '4',
        ...bus,
      };
      const subject = subjectFor(bus.BUS_PREFIX, DISTRICT, TYPE);
      const a = await startTestApp(env);
      apps.push(a);
      let b = await startTestApp(env);
      apps.push(b);

      nc = await connect({ servers: nats.url, maxReconnectAttempts: -1, reconnectTimeWait: 200 });
      const js: JetStreamClient = nc.jetstream();
      const jsm: JetStreamManager = await nc.jetstreamManager();

      /** Ids of events known to be in the stream or committed to the outbox (valid ones). */
      const confirmed = new Set<string>();
      /** Stream sequence numbers of poison messages the server acknowledged. */
      const poison: number[] = [];
      let stop = false;
      let direct = 0;

      // Another service's events, straight into JetStream, every 20 ms; one poison in 25.
      const publishing = (async () => {
        while (!stop) {
          direct++;
          try {
            if (direct % 25 === 0) {
              const body = direct % 50 === 0 ? Buffer.from('{"id":"\u0000 poison') : Buffer.from([0x7b, 0xff, 0xfe, 0x7d]);
              const ack = await js.publish(subject, body, { msgID: `poison-${direct}`, timeout: 2000 });
              if (!ack.duplicate) poison.push(ack.seq);
            } else {
              const e = envelope();
              await js.publish(subject, JSON.stringify(e), { msgID: e.id, timeout: 2000 });
              confirmed.add(e.id);
            }
          } catch {
            // NATS down: the publisher retries with new events (an unconfirmed one may still be in the stream).
          }
          await sleep(20);
        }
      })();
      // This service's own events, through the outbox of instance A, every 50 ms while its database is up.
      const producing = (async () => {
        while (!stop) {
          try {
            const id = await a.txHost.withTransaction(async () => {
              const e = await a.outbox.publish(TYPE, { district: DISTRICT, ticketId: randomUUID(), data: acceptedData() });
              return e.id;
            });
            confirmed.add(id);
          } catch {
            // Database down: nothing committed (or, if the commit's answer was lost, the outbox says so below).
          }
          await sleep(50);
        }
      })();

      const appliedCount = async () => Number((await query<{ n: string }>(`SELECT count(*) AS n FROM "${SCHEMA}"."applied"`))[0].n);
      const progress = async (what: string, more = 100) => {
        const from = await appliedCount();
        await waitFor(appliedCount, (n) => n >= from + more, { timeoutMs: 60_000, what });
      };

      await progress('events flowing at first');
      // Under consumer load, readiness answers at once: handlers cannot take every pooled connection,
      // and the database check has a connection of its own.
      const health = a.app.get(HealthService);
      for (let i = 0; i < 5; i++) {
        const asked = Date.now();
        expect((await health.readiness()).status).toBe('up');
        expect(Date.now() - asked).toBeLessThan(1000);
      }

      // 1. One instance closed and started again.
      await b.close();
      apps.splice(apps.indexOf(b), 1);
      await sleep(1000);
      b = await startTestApp(env);
      apps.push(b);
      await progress('events flowing after the instance restart');

      // 2. NATS killed and restarted.
      await nats.kill('SIGKILL');
      await sleep(2000);
      expect((await health.readiness()).checks.nats).toEqual({ status: 'down', detail: expect.stringMatching(/reconnecting/) });
      await nats.restart();
      await progress('events flowing after the NATS restart');

      // 3. Postgres down for minutes while events keep arriving in the stream.
      await pg?.end().catch(() => undefined);
      pg = undefined;
      await pgServer.stop();
      const downAt = Date.now();
      await sleep(5000);
      const t0 = Date.now();
      const ready = await health.readiness();
      expect(Date.now() - t0).toBeLessThan(3000); // readiness answers, and says what is down
      expect(ready.status).toBe('down');
      expect(ready.checks.database.status).toBe('down');
      expect(ready.checks.nats.status).toBe('up');
      expect(ready.checks.consumers).toMatchObject({ status: 'degraded', detail: expect.stringContaining('paused') });
      const directDuringOutage = direct;
      await sleep(Math.max(0, PG_DOWN_MS - (Date.now() - downAt)));
      expect(direct - directDuringOutage).toBeGreaterThan(100); // events kept coming
      await pgServer.start();

      await progress('events flowing after Postgres came back', 200);
      stop = true;
      await Promise.all([publishing, producing]);

      // The outbox: everything committed is published (at commit, or by the sweep after a failed pass).
      await waitFor(
        async () => Number((await query<{ n: string }>(`SELECT count(*) AS n FROM "${SCHEMA}"."outbox" WHERE published_at IS NULL`))[0].n),
        (n) => n === 0,
        { timeoutMs: 60_000, what: 'the outbox empty' },
      );
      const started = Date.now();
      const latencyProbe = await a.txHost.withTransaction(
        async () => (await a.outbox.publish(TYPE, { district: DISTRICT, ticketId: randomUUID(), data: acceptedData() })).id,
      );
      confirmed.add(latencyProbe);
      await waitFor(
        () => query(`SELECT 1 FROM "${SCHEMA}"."outbox" WHERE id = $1 AND published_at IS NOT NULL`, [latencyProbe]),
        (r) => r.length === 1,
        { timeoutMs: 10_000, intervalMs: 20, what: 'the probe published' },
      );
      expect(Date.now() - started).toBeLessThan(2000); // woken at commit, not the 15 s sweep

      // The stream settles: nothing pending, nothing waiting for an ack.
      await waitFor(
        () => jsm.consumers.info(bus.BUS_STREAM, DURABLE),
        (ci) => ci.num_pending === 0 && ci.num_ack_pending === 0,
        { timeoutMs: 120_000, what: 'the durable settled' },
      );
      const outboxIds = (await query<{ id: string }>(`SELECT id FROM "${SCHEMA}"."outbox"`)).map((r) => r.id);
      for (const id of outboxIds) confirmed.add(id);

      // Every message in the stream, by sequence: valid events (by id) and poison.
      const info = await jsm.streams.info(bus.BUS_STREAM);
      const streamIds: string[] = [];
      const streamPoison: number[] = [];
      for (let seq = info.state.first_seq; seq <= info.state.last_seq; seq++) {
        const m = await jsm.streams.getMessage(bus.BUS_STREAM, { seq });
        try {
          streamIds.push(m.json<{ id: string }>().id);
        } catch {
          streamPoison.push(seq);
        }
      }
      expect(info.state.messages).toBe(streamIds.length + streamPoison.length);
      expect(new Set(streamIds).size).toBe(streamIds.length); // msgID dedup: one message per event
      for (const id of confirmed) expect(streamIds).toContain(id);
      expect(streamPoison).toEqual(expect.arrayContaining(poison));

      const applied = await query<{ event_id: string; count: number }>(`SELECT event_id, count FROM "${SCHEMA}"."applied"`);
      const inbox = await query<{ event_id: string }>(`SELECT event_id FROM "${SCHEMA}"."inbox" WHERE consumer = $1`, [DURABLE]);
      const dead = await query<{ stream_seq: string; reason: string; event_id: string | null }>(
        `SELECT stream_seq, reason, event_id FROM "${SCHEMA}"."dead_letter" WHERE consumer = $1`,
        [DURABLE],
      );
      // Every valid event applied exactly once, in the inbox once.
      expect(applied.filter((r) => r.count !== 1)).toEqual([]);
      expect(applied.map((r) => r.event_id).sort()).toEqual([...streamIds].sort());
      expect(inbox.map((r) => r.event_id).sort()).toEqual([...streamIds].sort());
      // Nothing valid dead-lettered; every poison message is.
      expect(dead.filter((d) => d.event_id !== null)).toEqual([]);
      expect(dead.map((d) => Number(d.stream_seq)).sort((x, y) => x - y)).toEqual(streamPoison);
      expect(new Set(dead.map((d) => d.reason))).toEqual(new Set(['malformed_json', 'invalid_encoding']));
      // The stream's events = inbox rows + dead letters.
      expect(info.state.messages).toBe(inbox.length + dead.length);
      // No failure was counted against any event.
      expect(await query(`SELECT * FROM "${SCHEMA}"."delivery_attempt"`)).toEqual([]);
      expect((await health.readiness()).status).toBe('up');
    },
    PG_DOWN_MS + 240_000,
  );
});
