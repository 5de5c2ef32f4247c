/**
 * The analytics replay at scale: N events (BENCH_REPLAY_EVENTS, default 200,000; a realistic mix,
 * bench/lib/events.ts) published to a JetStream stream of their own, a fresh database with only
 * analytics migrated, then `replayAnalytics` (what `npm run analytics:replay` runs) timed with its
 * progress printed; events/s, and the CPU of this process (the replay), Postgres and NATS.
 *
 * First, a correctness check on a smaller run (BENCH_REPLAY_CHECK_EVENTS, default 5,000; 0 skips
 * it): the same kind of events applied by the live projector (one event per transaction, as the
 * consumers do) and then rebuilt by the replay must leave the same read model, row for row.
 *
 *   npm run bench:replay
 *   BENCH_REPLAY_EVENTS=1000000 NATS_URL=nats://127.0.0.1:4222 npm run bench:replay
 *
 * The database and the streams are dropped at the end (BENCH_REPLAY_KEEP=1 keeps them).
 */
import 'reflect-metadata';
import { databaseOptions, loadConfig, parseEvent, standaloneTxHost } from '@app/platform';
import { isDeepStrictEqual } from 'node:util';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { getHeapSpaceStatistics } from 'node:v8';
import { performance } from 'node:perf_hooks';
import { connect, JetStreamClient, NatsConnection, RetentionPolicy, StorageType } from 'nats';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { AnalyticsConfig } from '../apps/analytics/src/analytics.config';
import { ANALYTICS_PERSISTENCE } from '../apps/analytics/src/analytics.persistence';
import { FactsProjector } from '../apps/analytics/src/facts/facts.projector';
import { FactsRepository } from '../apps/analytics/src/facts/facts.repository';
import { READ_MODEL_TABLES, replayAnalytics } from '../apps/analytics/src/replay/replay';
import { migrateAll } from '../scripts/migrate';
import { EventFactory, GeneratedEvent } from './lib/events';
import { cpuBetween, cpuSnapshot, machineFacts } from './lib/machine';

const BASE = process.env.TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const NATS_URL = process.env.NATS_URL ?? process.env.TEST_NATS_URL ?? 'nats://127.0.0.1:4222';
const EVENTS = Number(process.env.BENCH_REPLAY_EVENTS ?? 200_000);
const CHECK_EVENTS = Number(process.env.BENCH_REPLAY_CHECK_EVENTS ?? 5_000);
const BATCH = Number(process.env.BENCH_REPLAY_BATCH ?? 10_000);
const KEEP = process.env.BENCH_REPLAY_KEEP === '1';

const log = (msg: string) => process.stderr.write(`[replay ${new Date().toISOString().slice(11, 19)}] ${msg}\n`);

function urlFor(db: string): string {
  const u = new URL(BASE);
  u.pathname = `/${db}`;
  return u.toString();
}

/** Publish `count` events (whole orders, so a little more) with many publishes in flight; msgID = event id. */
async function publishEvents(js: JetStreamClient, factory: EventFactory, count: number): Promise<number> {
  let sent = 0;
  let inFlight: Promise<unknown>[] = [];
  const t = performance.now();
  let last = t;
  while (sent < count) {
    for (const e of factory.nextOrder()) {
      inFlight.push(js.publish(e.subject, e.body, { msgID: e.id }));
      sent++;
    }
    if (inFlight.length >= 1000) {
      await Promise.all(inFlight);
      inFlight = [];
      if (performance.now() - last > 5000) {
        last = performance.now();
        log(`published ${sent.toLocaleString('en')} / ${count.toLocaleString('en')}`);
      }
    }
  }
  await Promise.all(inFlight);
  log(`published ${sent.toLocaleString('en')} events in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  return sent;
}

/**
 * The CPU of the Postgres backends serving database `db` (the replay's own connections), sampled
 * every 200 ms from /proc while the replay runs: unlike "all of Postgres" it leaves out the other
 * databases of a shared server (background writers and WAL are not in it).
 */
function backendCpu(admin: Client, db: string): { stop: () => Promise<number> } {
  const seen = new Map<number, number>();
  const sample = async () => {
    const { rows } = await admin.query<{ pid: number }>(`SELECT pid FROM pg_stat_activity WHERE datname = $1`, [db]);
    for (const { pid } of rows) {
      try {
        const s = readFileSync(`/proc/${pid}/stat`, 'utf8');
        const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
        seen.set(pid, (Number(f[11]) + Number(f[12])) / 100); // utime + stime, USER_HZ
      } catch {
        // gone between the query and the read
      }
    }
  };
  let running = sample();
  const timer = setInterval(() => {
    running = running.then(sample, sample);
  }, 200);
  return {
    stop: async () => {
      clearInterval(timer);
      await running.catch(() => undefined);
      await sample().catch(() => undefined);
      return [...seen.values()].reduce((a, b) => a + b, 0);
    },
  };
}

async function dump(ds: DataSource): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const t of READ_MODEL_TABLES) out[t] = await ds.query(`SELECT * FROM ${t} r ORDER BY r::text`);
  return out;
}

async function createStream(nc: NatsConnection, prefix: string, stream: string): Promise<void> {
  const jsm = await nc.jetstreamManager();
  await jsm.streams.add({ name: stream, subjects: [`${prefix}.>`], retention: RetentionPolicy.Limits, storage: StorageType.File });
}

async function main(): Promise<void> {
  const tag = randomBytes(4).toString('hex');
  const db = `jiesu_bench_rp_${tag}`;
  const url = urlFor(db);
  const admin = new Client({ connectionString: BASE });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${db}"`);
  const nc = await connect({ servers: NATS_URL });
  const streams: string[] = [];
  const machine = await machineFacts(BASE, '');
  const result: Record<string, unknown> = { bench: 'replay', startedAt: new Date().toISOString(), events: EVENTS, batch: BATCH, machine };
  try {
    await migrateAll(url, ['analytics'], () => undefined);
    const configFor = (prefix: string, stream: string) =>
      loadConfig(AnalyticsConfig, {
        DATABASE_URL: url,
        NATS_URL,
        BUS_PREFIX: prefix,
        BUS_STREAM: stream,
        LOG_LEVEL: 'warn',
        NODE_ENV: 'test',
      });

    // ── 1. replay == live, on a smaller run ────────────────────────────────────────────────────
    if (CHECK_EVENTS > 0) {
      const prefix = `rc${tag}`;
      const stream = `RC_${tag.toUpperCase()}`;
      await createStream(nc, prefix, stream);
      streams.push(stream);
      const factory = new EventFactory(prefix, 7);
      const events: GeneratedEvent[] = [];
      while (events.length < CHECK_EVENTS) events.push(...factory.nextOrder());
      const js = nc.jetstream();
      for (const e of events) await js.publish(e.subject, e.body, { msgID: e.id });
      const config = configFor(prefix, stream);
      const ds = new DataSource(databaseOptions(url, 'analytics', ANALYTICS_PERSISTENCE, 2));
      await ds.initialize();
      try {
        const txHost = standaloneTxHost(ds);
        const projector = new FactsProjector(new FactsRepository(txHost, config), config);
        let t = performance.now();
        let liveApplied = 0;
        for (const e of events) {
          const parsed = parseEvent(e.body);
          if (!parsed.ok) continue; // dead-lettered by the live consumer
          await txHost.withTransaction(() => projector.project(parsed.envelope));
          liveApplied++;
        }
        const liveMs = performance.now() - t;
        const live = await dump(ds);
        t = performance.now();
        const r = await replayAnalytics(config, () => undefined, { batch: BATCH });
        const replayMs = performance.now() - t;
        const replayed = await dump(ds);
        const same = isDeepStrictEqual(live, replayed);
        const rows = Object.fromEntries(READ_MODEL_TABLES.map((t2) => [t2, live[t2].length]));
        log(
          `check on ${events.length} events: live projector (one transaction per event) ${liveApplied} in ${(liveMs / 1000).toFixed(1)} s ` +
            `= ${Math.round(liveApplied / (liveMs / 1000))}/s; replay ${r.applied} applied, ${r.skipped} skipped in ${(replayMs / 1000).toFixed(1)} s; ` +
            `read model ${same ? 'IDENTICAL' : 'DIFFERENT'} (${JSON.stringify(rows)})`,
        );
        if (!same) {
          for (const t2 of READ_MODEL_TABLES) {
            if (!isDeepStrictEqual(live[t2], replayed[t2]))
              log(`  ${t2}: live ${live[t2].length} rows, replay ${replayed[t2].length} rows differ`);
          }
          process.exitCode = 2;
        }
        result.check = {
          events: events.length,
          liveApplied,
          liveMs: Math.round(liveMs),
          replay: r,
          replayMs: Math.round(replayMs),
          identical: same,
          rows,
        };
        await ds.query(`TRUNCATE ${[...READ_MODEL_TABLES, 'inbox'].join(', ')}`);
      } finally {
        await ds.destroy();
      }
    }

    // ── 2. the replay at scale ──────────────────────────────────────────────────────────────
    const prefix = `rp${tag}`;
    const stream = `RP_${tag.toUpperCase()}`;
    await createStream(nc, prefix, stream);
    streams.push(stream);
    const factory = new EventFactory(prefix, 11);
    const published = await publishEvents(nc.jetstream(), factory, EVENTS);
    result.published = published;
    result.typeCounts = Object.fromEntries(factory.typeCounts);
    const config = configFor(prefix, stream);
    const cpu0 = cpuSnapshot({});
    const t = performance.now();
    const own = backendCpu(admin, db);
    const r = await replayAnalytics(config, log, { batch: BATCH });
    const ms = performance.now() - t;
    const ownPgSeconds = await own.stop();
    if (r.skipped !== factory.invalid) {
      // Every generated event but the deliberately invalid ones must pass the contracts' validators.
      log(`skipped ${r.skipped} events, but only ${factory.invalid} were made invalid: bench/lib/events.ts no longer fits the contracts`);
      process.exitCode = 3;
    }
    const cpu = cpuBetween(cpu0, cpuSnapshot({}), machine.nproc);
    const perS = (r.applied + r.skipped + r.duplicates) / (ms / 1000);
    const pg = new Client({ connectionString: url });
    await pg.connect();
    const counts = (
      await pg.query(`SELECT (SELECT count(*) FROM analytics.ticket_fact)::int AS facts, (SELECT count(*) FROM analytics.callback_fact)::int AS callbacks,
             (SELECT count(*) FROM analytics.rate_daily)::int AS rollup_rows, (SELECT sum(count) FROM analytics.event_daily)::int AS counted`)
    ).rows[0];
    await pg.end();
    const msg = [
      '',
      `Jiesu analytics replay bench — ${String(result.startedAt)}`,
      `machine: ${machine.nproc} cores (${machine.cpuModel}), ${machine.postgres}; load average at start ${machine.loadAverageAtStart.join(' ')}`,
      `replay process: node ${process.execArgv.filter((a) => a.startsWith('--max-')).join(' ') || '(V8 defaults)'}; young generation ${youngGenerationMB()} MB at the end`,
      `replayed ${published.toLocaleString('en')} messages (${r.applied.toLocaleString('en')} applied, ${r.skipped} skipped as invalid, ${r.duplicates} duplicates) in ${(ms / 1000).toFixed(1)} s = ${Math.round(perS).toLocaleString('en')} events/s, batch ${BATCH}`,
      `read model: ${counts.facts} orders, ${counts.callbacks} callbacks, ${counts.rollup_rows} rollup rows, ${counts.counted} events counted`,
      `CPU, cores on average during the replay: replay process ${cpu.cores.bench}, postgres ${cpu.cores.postgres} (all databases), nats ${cpu.cores.nats}, other ${cpu.otherCores}; machine busy ${cpu.machineBusyPct}%`,
      `CPU per 1,000 events: replay ${((cpu.cores.bench * ms * 1000) / (r.applied || 1)).toFixed(0)} ms, postgres ${((cpu.cores.postgres * ms * 1000) / (r.applied || 1)).toFixed(0)} ms (all databases), of which the replay's own backends ${((ownPgSeconds * 1e6) / (r.applied || 1)).toFixed(0)} ms`,
    ];
    if (result.check) {
      const c = result.check as { identical: boolean; events: number };
      msg.push(`check: replay == live read model on ${c.events} events: ${c.identical ? 'yes, identical' : 'NO — they differ'}`);
    }
    console.log(msg.join('\n'));
    Object.assign(result, {
      replay: r,
      ms: Math.round(ms),
      eventsPerSecond: Math.round(perS),
      cpu,
      ownPostgresCpuSeconds: ownPgSeconds,
      counts,
    });
    const dir = resolve(__dirname, 'results');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, `replay-${String(result.startedAt).replace(/[:.]/g, '-')}.json`);
    writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
    console.log(`result: ${file}`);
  } finally {
    if (!KEEP) {
      const jsm = await nc.jetstreamManager();
      for (const s of streams) await jsm.streams.delete(s).catch(() => undefined);
      await admin.query(`DROP DATABASE IF EXISTS "${db}" WITH (FORCE)`);
    } else log(`kept database ${db} and streams ${streams.join(', ')}`);
    await nc.close();
    await admin.end();
  }
}

/** What the young generation (new space: two semi-spaces) has grown to; `npm run analytics:replay` runs with --max-semi-space-size=64, as this bench does. */
function youngGenerationMB(): number {
  const space = getHeapSpaceStatistics().find((s) => s.space_name === 'new_space');
  return Math.round((space?.space_size ?? 0) / 1048576);
}

main().catch((e: Error) => {
  console.error(e.stack ?? e.message);
  process.exitCode = 1;
});
