/**
 * The fault suite with the real services: the five built services (intake, dispatch, sla, callback,
 * analytics) as child processes (`node dist/apps/<app>/src/main.js`, as production runs them), on a
 * PostgreSQL cluster and a nats-server of the suite's own (started here on loopback ports, so it can
 * kill and stop them). An operator keeps recording orders the whole time, while
 *
 *   each service in turn is killed (SIGKILL) and started again →
 *   NATS is killed (SIGKILL) and started again →
 *   Postgres is down for FAULT_PG_DOWN_SECONDS (120 by default), then back.
 *
 * BUS_MAX_DELIVER is 3: a consumer that spent a delivery per outage-failed attempt would
 * dead-letter valid events within seconds. Afterwards:
 * - every order intake holds (and every one it answered 201 for) is in dispatch, callback and
 *   analytics exactly once, and sla holds its clocks;
 * - nothing is dead-lettered (every event here is valid);
 * - for every durable consumer, the stream's events on its filter = its inbox rows + its dead letters,
 *   and nothing is pending or unacknowledged;
 * - no outbox row is left unpublished.
 *
 * Needs a fresh build (`npm run build`): the services run from dist/.
 */
import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitFor } from '@app/platform/testing';
import { connect, NatsConnection } from 'nats';
import { Client } from 'pg';
import { OwnNatsServer } from '../../libs/platform/test/fixtures/nats-server';
import { OwnPostgresServer } from '../../libs/platform/test/fixtures/postgres-server';
import { migrateAll } from '../../scripts/migrate';
import { DEMO_USERS } from '../../scripts/demo-users';
import { seedDemo } from '../../scripts/seed-demo';
import { AppProcess, assertBuildFresh, freePort } from '../harness/apps';
import { testSigner, TEST_ISSUER } from './test-tokens';

const PG_DOWN_MS = Number(process.env.FAULT_PG_DOWN_SECONDS ?? 120) * 1000;
jest.setTimeout(PG_DOWN_MS + 420_000);

const SERVICES = ['intake', 'dispatch', 'sla', 'callback', 'analytics'] as const;
type Service = (typeof SERVICES)[number];
/** Each service's table that holds one row per order it knows, and that row's order column. */
const ORDER_TABLES: Record<Exclude<Service, 'sla'>, [string, string]> = {
  intake: ['intake.ticket', 'id'],
  dispatch: ['dispatch.work_order', 'ticket_id'],
  callback: ['callback.callback_ticket', 'ticket_id'],
  analytics: ['analytics.ticket_fact', 'ticket_id'],
};

let pgServer: OwnPostgresServer | undefined;
let nats: OwnNatsServer | undefined;
let dbUrl: string;
let db: Client | undefined;
let attachments: string | undefined;
const env: Record<string, string> = {};
const ports = {} as Record<Service, number>;
const apps = {} as Record<Service, AppProcess>;
const log: string[] = [];
const note = (what: string) => log.push(`${new Date().toISOString()} ${what}`);

function start(s: Service): AppProcess {
  apps[s] = new AppProcess(s, ports[s], {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    ...env,
    PORT: String(ports[s]),
    AUTH_AUDIENCE: s,
  });
  return apps[s];
}

beforeAll(async () => {
  assertBuildFresh(SERVICES);
  pgServer = await OwnPostgresServer.create();
  nats = await OwnNatsServer.start();
  dbUrl = await pgServer.createDatabase('jiesu_fault');
  await migrateAll(dbUrl, undefined, () => undefined);
  await seedDemo(dbUrl);
  attachments = mkdtempSync(join(tmpdir(), 'jiesu-fault-'));
  const prefix = `f${randomBytes(4).toString('hex')}`;
  Object.assign(env, {
    NODE_ENV: 'test',
    LOG_LEVEL: 'warn',
    SWAGGER: 'false',
    DATABASE_URL: dbUrl,
    DB_POOL_SIZE: '6',
    NATS_URL: nats.url,
    BUS_PREFIX: prefix,
    BUS_STREAM: prefix.toUpperCase(),
    BUS_SWEEP_MS: '500',
    BUS_MAX_DELIVER: '3',
    BUS_BACKOFF_BASE_MS: '100',
    BUS_ACK_WAIT_SECONDS: '10',
    SLA_TICK_MS: '0',
    CALLBACK_TICK_MS: '0',
    PUBLIC_RATE_LIMIT_PER_MINUTE: '100000',
    PII_KEYS: `f1:${randomBytes(32).toString('base64')}`,
    PII_HASH_KEY: randomBytes(32).toString('base64'),
    AUTH_JWKS_URL: await testSigner.start(),
    AUTH_ISSUER: TEST_ISSUER,
    ATTACHMENT_DIR: attachments,
  });
  for (const s of SERVICES) ports[s] = await freePort();
  // intake first: it creates the stream the others bind their consumers to.
  await start('intake').waitReady(90_000);
  await Promise.all(SERVICES.filter((s) => s !== 'intake').map((s) => start(s).waitReady(90_000)));
  db = new Client({ connectionString: dbUrl });
  await db.connect();
}, 240_000);

afterAll(async () => {
  const steps: [string, () => Promise<unknown> | undefined][] = [
    ['stop the services', () => Promise.all(Object.values(apps).map((a) => a.stop(5000)))],
    ['close the database client', async () => db?.end()],
    ['stop nats', async () => nats?.dispose()],
    ['stop postgres', async () => pgServer?.dispose()],
    ['stop the signer', () => testSigner.stop()],
    ['remove the attachments', async () => attachments && rmSync(attachments, { recursive: true, force: true })],
  ];
  for (const [what, step] of steps) {
    await Promise.resolve()
      .then(step)
      .catch((e: Error) => console.warn(`cleanup: could not ${what}: ${e.message}`));
  }
});

/** The operator at the 12345 line: records an order every `everyMs`, whatever is down; what was answered 201. */
function operatorAtWork(everyMs: number): { accepted: Set<string>; attempts: () => number; stop: () => Promise<void> } {
  const accepted = new Set<string>();
  let n = 0;
  let running = true;
  const loop = (async () => {
    while (running) {
      const i = n++;
      const phone = `139${String(10_000_000 + i).slice(-8)}`;
      try {
        const res = await fetch(`http://127.0.0.1:${ports.intake}/tickets`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            authorization: `Bearer ${testSigner.mint(DEMO_USERS.operator, 'intake')}`,
          },
          body: JSON.stringify({
            channel: 'phone_12345',
            requestType: 'complaint',
            categoryCode: 'lift',
            content: `电梯经常停运 第${i}号楼`,
            citizen: { name: '刘晓梅', phone },
            location: { address: `西宁市城西区胜利路${i}号`, districtCode: '630104' },
          }),
          signal: AbortSignal.timeout(5000),
        });
        if (res.status === 201) accepted.add(((await res.json()) as { id: string }).id);
      } catch {
        // intake down, or the request cut: the operator tries the next call.
      }
      await new Promise((r) => setTimeout(r, everyMs));
    }
  })();
  return {
    accepted,
    attempts: () => n,
    stop: async () => {
      running = false;
      await loop;
    },
  };
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function ids(table: string, column: string): Promise<string[]> {
  return (await db!.query<{ id: string }>(`SELECT ${column}::text AS id FROM ${table}`)).rows.map((r) => r.id);
}

/** Per durable: the stream's messages on its filter, its inbox rows, its dead letters, what it has pending. */
async function ledger(
  nc: NatsConnection,
): Promise<{ durable: string; stream: number; inbox: number; dead: number; pending: number; unacked: number }[]> {
  const jsm = await nc.jetstreamManager();
  const rows: { durable: string; stream: number; inbox: number; dead: number; pending: number; unacked: number }[] = [];
  const stream = env.BUS_STREAM;
  const info = await jsm.streams.info(stream, { subjects_filter: '>' });
  const bySubject = info.state.subjects ?? {};
  const matches = (filter: string, subject: string) => {
    const f = filter.split('.');
    const s = subject.split('.');
    for (let i = 0; i < f.length; i++) {
      if (f[i] === '>') return true;
      if (i >= s.length || (f[i] !== '*' && f[i] !== s[i])) return false;
    }
    return f.length === s.length;
  };
  for await (const c of jsm.consumers.list(stream)) {
    const service = c.name.split('__')[0].split('-')[0] as Service;
    if (!SERVICES.includes(service)) continue;
    const filter = c.config.filter_subject ?? '>';
    const inStream = Object.entries(bySubject)
      .filter(([subject]) => matches(filter, subject))
      .reduce((sum, [, count]) => sum + count, 0);
    const inbox = await db!.query<{ n: string }>(`SELECT count(*) AS n FROM ${service}.inbox WHERE consumer = $1`, [c.name]);
    const dead = await db!.query<{ n: string }>(`SELECT count(*) AS n FROM ${service}.dead_letter WHERE consumer = $1`, [c.name]);
    rows.push({
      durable: c.name,
      stream: inStream,
      inbox: Number(inbox.rows[0].n),
      dead: Number(dead.rows[0].n),
      pending: c.num_pending,
      unacked: c.num_ack_pending,
    });
  }
  return rows;
}

it('orders under load while each service is killed, NATS is killed and Postgres is down: every order everywhere exactly once, nothing lost', async () => {
  const operator = operatorAtWork(400);
  await pause(8000);
  note(`warm-up: ${operator.accepted.size} orders accepted`);

  for (const s of SERVICES) {
    apps[s].killNow();
    await apps[s].exited;
    note(`${s} killed`);
    await pause(3000);
    await start(s).waitReady(90_000);
    note(`${s} back`);
    await pause(3000);
  }

  await nats!.kill('SIGKILL');
  note('nats killed');
  await pause(5000);
  await nats!.restart();
  note('nats back');
  await pause(8000);

  await db!.end();
  db = undefined;
  await pgServer!.stop();
  note('postgres down');
  await pause(PG_DOWN_MS);
  await pgServer!.start();
  note('postgres back');
  db = new Client({ connectionString: dbUrl });
  await db.connect();
  await pause(10_000);
  await operator.stop();
  note(`load stopped: ${operator.attempts()} calls, ${operator.accepted.size} accepted`);
  // Every service is still running: none gave up on an outage.
  for (const s of SERVICES) expect([s, apps[s].running]).toEqual([s, true]);

  // Intake holds every order it answered 201 for (and maybe some whose answer the kill cut off).
  const orders = await ids(...ORDER_TABLES.intake);
  expect(orders.length).toBeGreaterThan(50);
  const known = new Set(orders);
  expect([...operator.accepted].filter((id) => !known.has(id))).toEqual([]);
  expect(new Set(orders).size).toBe(orders.length);

  // Every order reaches every service, once.
  await waitFor(
    async () => {
      const missing: Record<string, number> = {};
      for (const [s, [table, column]] of Object.entries(ORDER_TABLES)) {
        const there = new Set(await ids(table, column));
        missing[s] = orders.filter((id) => !there.has(id)).length;
      }
      const clocked = new Set(await ids('sla.sla_clock', 'ticket_id'));
      missing.sla = orders.filter((id) => !clocked.has(id)).length;
      return missing;
    },
    (m) => Object.values(m).every((n) => n === 0),
    { what: 'every order in every service (missing per service)', timeoutMs: 180_000, intervalMs: 2000 },
  );
  for (const [s, [table, column]] of Object.entries(ORDER_TABLES)) {
    const dup = await db.query(`SELECT ${column} FROM ${table} GROUP BY ${column} HAVING count(*) > 1`);
    expect([s, dup.rowCount]).toEqual([s, 0]);
  }
  const dispatched = await db.query<{ n: string }>(`SELECT count(*) AS n FROM dispatch.work_order WHERE state = 'dispatched'`);
  expect(Number(dispatched.rows[0].n)).toBe(orders.length);

  // The stream's events = inbox rows + dead letters, consumer by consumer; nothing dead-lettered.
  const nc = await connect({ servers: nats!.url });
  try {
    const rows = await waitFor(
      () => ledger(nc),
      (r) => r.every((x) => x.pending === 0 && x.unacked === 0 && x.stream === x.inbox + x.dead),
      { what: 'every consumer settled, the stream = inbox + dead letters', timeoutMs: 120_000, intervalMs: 2000 },
    );
    expect(rows.length).toBeGreaterThan(30);
    expect(rows.filter((r) => r.dead > 0)).toEqual([]);
  } finally {
    await nc.close();
  }
  for (const s of SERVICES) {
    const outbox = await db.query<{ n: string }>(`SELECT count(*) AS n FROM ${s}.outbox WHERE published_at IS NULL`);
    expect([s, Number(outbox.rows[0].n)]).toEqual([s, 0]);
  }
  console.log(log.join('\n'));
});
