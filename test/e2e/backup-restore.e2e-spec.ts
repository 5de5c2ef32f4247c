/**
 * The restore drill: the six built apps (test/harness) on a scratch database and on a NATS server of
 * this test's own (libs/platform/test/fixtures/nats-server: another port, its own storage directory), backed up with scripts/backup.ts, then
 * destroyed — the database dropped, the NATS server killed and its storage deleted — and restored.
 * The services started again carry on: the orders submitted before the backup are all there, the
 * ones still waiting for dispatch at the backup are dispatched after the restore, an order accepted
 * while the backup ran is published again, a new order flows, and every event in the stream is
 * applied exactly once (analytics counts each event id once; dispatch's timelines do not grow).
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, NatsConnection } from 'nats';
import { Client } from 'pg';
import {
  backup,
  BackupConfig,
  databaseNow,
  dumpDatabase,
  DUMP_FILE,
  restore,
  snapshotStream,
  STREAM_FILE,
  writeManifest,
} from '../../scripts/backup';
import { AppName, AppProcess, APP_NAMES, Harness, sleep, startHarness } from '../harness';
import { OwnNatsServer } from '../../libs/platform/test/fixtures/nats-server';
import { dropDatabase } from '../../libs/platform/src/testing/test-database';

jest.setTimeout(600_000);

let nats: OwnNatsServer;
let h: Harness;
let db: Client | undefined;
let nc: NatsConnection | undefined;
const restarted: AppProcess[] = [];
const backupDir = mkdtempSync(join(tmpdir(), 'jiesu-drill-backup-'));

beforeAll(async () => {
  nats = await OwnNatsServer.start();
  h = await startHarness({ env: { NATS_URL: nats.url }, readyTimeoutMs: 180_000 });
});

afterAll(async () => {
  await db?.end().catch(() => undefined);
  await nc?.close().catch(() => undefined);
  await Promise.all(restarted.map((a) => a.stop()));
  await h?.stop();
  await dropDatabase(h?.database.name ?? '').catch(() => undefined);
  await nats?.dispose();
  rmSync(backupDir, { recursive: true, force: true });
});

async function query<T>(sql: string, params: unknown[] = []): Promise<T[]> {
  if (!db) {
    db = new Client({ connectionString: h.database.url });
    await db.connect();
  }
  return (await db.query(sql, params)).rows as T[];
}

async function until<T>(what: string, fn: () => Promise<T | undefined | false>, timeoutMs = 90_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
    await sleep(300);
  }
}

let phone = 0;
/** A citizen's request through intake's public form (Chengbei's gas: routed and dispatched automatically). */
async function submit(): Promise<string> {
  phone += 1;
  const res = await fetch(`${h.urls.intake}/public/requests`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      content: `小区天然气已经停了两天了，做不了饭（${phone}号楼）`,
      citizen: { name: '马丽', phone: `1389711${String(phone).padStart(4, '0')}` },
      location: { address: '城北区朝阳街道某小区' },
    }),
  });
  if (res.status !== 201) throw new Error(`intake answered ${res.status}: ${await res.text()}`);
  const { orderNo } = (await res.json()) as { orderNo: string };
  const [row] = await query<{ id: string }>(`SELECT id FROM intake.ticket WHERE order_no = $1`, [orderNo]);
  return row.id;
}

const workOrders = async (ids: string[]) =>
  (await query<{ n: number }>(`SELECT count(*)::int AS n FROM dispatch.work_order WHERE ticket_id = ANY($1::uuid[])`, [ids]))[0].n;
const dispatchedInAnalytics = async (ids: string[]) =>
  (
    await query<{ n: number }>(
      `SELECT count(*)::int AS n FROM analytics.ticket_fact WHERE ticket_id = ANY($1::uuid[]) AND dispatched_at IS NOT NULL`,
      [ids],
    )
  )[0].n;
const timeline = async (id: string) =>
  (await query<{ n: number }>(`SELECT count(*)::int AS n FROM dispatch.timeline_entry WHERE ticket_id = $1`, [id]))[0].n;

/** Every schema's outbox rows: id and whether published. */
async function outboxRows(): Promise<{ id: string; published: boolean; schema: string }[]> {
  const schemas = await query<{ s: string }>(`SELECT table_schema AS s FROM information_schema.tables WHERE table_name = 'outbox'`);
  const out: { id: string; published: boolean; schema: string }[] = [];
  for (const { s } of schemas) {
    out.push(
      ...(await query<{ id: string; published: boolean }>(`SELECT id, published_at IS NOT NULL AS published FROM "${s}".outbox`)).map(
        (r) => ({
          ...r,
          schema: s,
        }),
      ),
    );
  }
  return out;
}

/** Every message of the stream: its event id and type (the envelope's), in order. */
async function streamEvents(): Promise<{ id: string; type: string }[]> {
  nc ??= await connect({ servers: nats.url });
  const jsm = await nc.jetstreamManager();
  const info = await jsm.streams.info(h.bus.BUS_STREAM);
  const events: { id: string; type: string }[] = [];
  for (let seq = info.state.first_seq; seq <= info.state.last_seq && info.state.messages > 0; seq++) {
    const m = await jsm.streams.getMessage(h.bus.BUS_STREAM, { seq }).catch(() => null);
    if (m) events.push(m.json());
  }
  return events;
}

async function streamExists(): Promise<boolean> {
  const c = await connect({ servers: nats.url });
  try {
    await (await c.jetstreamManager()).streams.info(h.bus.BUS_STREAM);
    return true;
  } catch {
    return false;
  } finally {
    await c.close();
  }
}

/** Nothing in flight: every outbox row published and every durable consumer caught up. */
async function settled(): Promise<boolean> {
  if ((await outboxRows()).some((r) => !r.published)) return false;
  nc ??= await connect({ servers: nats.url });
  const jsm = await nc.jetstreamManager();
  const consumers = await jsm.consumers.list(h.bus.BUS_STREAM).next();
  return consumers.length > 0 && consumers.every((c) => c.num_pending === 0 && c.num_ack_pending === 0);
}

function startApp(a: AppName): AppProcess {
  const p = new AppProcess(a, h.apps[a].port, {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    TZ: process.env.TZ,
    ...h.env,
    PORT: String(h.apps[a].port),
    AUTH_AUDIENCE: a,
  });
  restarted.push(p);
  return p;
}

it('backs up, is destroyed, is restored, and carries on with nothing lost or applied twice', async () => {
  const config: BackupConfig = Object.assign(new BackupConfig(), {
    DATABASE_URL: h.database.url,
    NATS_URL: nats.url,
    BUS_STREAM: h.bus.BUS_STREAM,
  });

  // Two orders all the way through dispatch, sla and analytics.
  const done = [await submit(), await submit()];
  await until('the first orders dispatched', async () => (await workOrders(done)) === 2 && (await dispatchedInAnalytics(done)) === 2);
  await until('everything settled before the backup', settled);
  const timelineBefore = await timeline(done[0]);

  // Dispatch goes down; an order accepted now waits in the stream for it.
  await h.apps.dispatch.stop();
  const waiting = await submit();
  await until('the waiting order published', async () => (await outboxRows()).every((r) => r.published));

  // The backup, step by step as backup() takes it, with an order accepted between the stream
  // snapshot and the database dump: its event is in the dump's outbox as published, not in the snapshot.
  const snapshotStartedAt = await databaseNow(config.DATABASE_URL);
  nc ??= await connect({ servers: nats.url });
  const s = await snapshotStream(nc, config.BUS_STREAM, join(backupDir, STREAM_FILE));
  expect(s.state.messages).toBeGreaterThan(0);
  const during = await submit();
  await until('the order accepted during the backup published', async () => (await outboxRows()).every((r) => r.published));
  await dumpDatabase(config.DATABASE_URL, join(backupDir, DUMP_FILE));
  writeManifest(backupDir, {
    format: 'jiesu-backup-1',
    createdAt: new Date().toISOString(),
    snapshotStartedAt: snapshotStartedAt.toISOString(),
    database: { name: h.database.name, file: DUMP_FILE, bytes: 0 },
    stream: { name: config.BUS_STREAM, file: STREAM_FILE, bytes: s.bytes, config: s.config, state: s.state },
  });
  const duringEvents = (await outboxRows()).filter((r) => r.schema === 'intake').map((r) => r.id);
  const inSnapshot = s.state.messages;

  // Destroy: every service stopped, the database dropped, the NATS server killed with its storage.
  await Promise.all(APP_NAMES.map((a) => h.apps[a].stop()));
  await db?.end();
  db = undefined;
  await nc?.close();
  nc = undefined;
  await dropDatabase(h.database.name);
  await nats.kill('SIGKILL');
  rmSync(join(nats.dir, 'store'), { recursive: true, force: true });
  mkdirSync(join(nats.dir, 'store'));
  await nats.restart();
  expect(await streamExists()).toBe(false);

  // Restore, then start the services again.
  const log: string[] = [];
  await restore(config, backupDir, (m) => log.push(m));
  expect(log.join('\n')).toMatch(/outbox rows to publish again: .*"intake":[1-9]/);
  await startApp('console').waitReady(120_000);
  await Promise.all(APP_NAMES.filter((a) => a !== 'console').map((a) => startApp(a).waitReady(120_000)));

  // The orders of before the backup are there; the waiting one and the one accepted during the
  // backup continue through dispatch; a new order flows.
  const fresh = await submit();
  const all = [...done, waiting, during, fresh];
  await until(
    'every order dispatched after the restore',
    async () => (await workOrders(all)) === 5 && (await dispatchedInAnalytics(all)) === 5,
  );
  await until('everything settled after the restore', settled);

  // Nothing lost: every event any service recorded is in the stream, including the one published
  // again (it was not in the snapshot).
  const events = await streamEvents();
  expect(events.length).toBeGreaterThan(inSnapshot);
  const distinct = new Set(events.map((e) => e.id));
  const outbox = await outboxRows();
  expect(outbox.filter((r) => !distinct.has(r.id))).toEqual([]);
  expect(duringEvents.filter((id) => !distinct.has(id))).toEqual([]);

  // Nothing applied twice: analytics counts each order event of the stream (every type but the
  // console's staff.*) exactly once, however often it was delivered or published, and the timeline
  // of an order dispatched before the backup did not grow on redelivery.
  const orderEvents = new Set(events.filter((e) => !e.type.startsWith('staff.')).map((e) => e.id));
  const [{ counted }] = await query<{ counted: number }>(`SELECT coalesce(sum(count), 0)::int AS counted FROM analytics.event_daily`);
  expect(orderEvents.size).toBeGreaterThan(10);
  expect(counted).toBe(orderEvents.size);
  expect(await timeline(done[0])).toBe(timelineBefore);
  const clocks = await query<{ ticket_id: string; n: number }>(
    `SELECT ticket_id, count(*)::int AS n FROM sla.sla_clock WHERE ticket_id = ANY($1::uuid[]) GROUP BY ticket_id`,
    [all],
  );
  expect(clocks).toHaveLength(5);
  expect(new Set(clocks.map((c) => c.n)).size).toBe(1);

  // And the restored platform backs up again with the script's own composition.
  const again = await backup(config, join(backupDir, 'again'), () => undefined);
  expect(again.stream.state.messages).toBe(events.length);
});
