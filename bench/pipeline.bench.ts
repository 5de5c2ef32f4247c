/**
 * Pipeline bench: how many citizen orders per second this machine takes from POST /tickets to
 * "dispatched to a handling unit", next to how many plain single-row INSERTs its Postgres takes.
 *
 *   npm run bench                                  2000 orders, 32 in flight
 *   npm run bench -- --orders 5000 --concurrency 64
 *   BENCH_ORDERS=500 npm run bench -- --no-build
 *
 * One run: build → fresh database (migrated, demo organisation) and a bus prefix/stream of its own →
 * raw-insert yardstick → the five services as child processes → warm-up → N orders → wait for every
 * `ticket.dispatched.v1` on NATS → diagnostics (dead letters, outbox, consumer backlog, log warnings)
 * → stop the services → raw-insert yardstick again → table on stdout and JSON in bench/results/ →
 * delete the stream, drop the database. See bench/README.md.
 */
import { mintDevToken } from '@app/platform';
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { connect, JetStreamManager, NatsConnection, Subscription } from 'nats';
import { Client } from 'pg';
import { DEMO_USERS } from '../scripts/demo-users';
import { imageAllocatorEnv } from '../scripts/image-env';
import { migrateAll } from '../scripts/migrate';
import { seedDemo } from '../scripts/seed-demo';
import { LoadResult, PostRecord, runLoad, runOpenLoop } from './lib/load';
import { gcBetween, gcTotals, GcTotals } from './lib/gc';
import { cpuBetween, cpuSnapshot, CpuSnapshot, CpuUsage, machineFacts, memoryOf } from './lib/machine';
import { BenchOptions, parseOptions, UsageError } from './lib/options';
import { OrderFactory } from './lib/orders';
import { PgActivitySampler } from './lib/pg-activity';
import { rawInsertBench, RawInsertResult } from './lib/raw-insert';
import { deployedNodeOptions, freePort, SERVICE_NAMES, ServiceName, ServiceProcess, sleep, waitReady } from './lib/services';
import { ms, round, summarise, Summary, table } from './lib/stats';

const ROOT = existsSync(join(__dirname, '..', 'package.json')) ? resolve(__dirname, '..') : resolve(__dirname, '..', '..');
const READY_TIMEOUT_MS = 120_000;
const POST_TIMEOUT_MS = 30_000;
const WARMUP_TIMEOUT_MS = 90_000;

const log = (msg: string) => process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${msg}\n`);

/** What the NATS subscription saw for one order: performance.now() of the first sighting per event type. */
interface Seen {
  accepted?: number;
  dispatched?: number;
  clocksSet?: number;
  dispatchedTo?: string;
}

interface ConsumerSample {
  t: number;
  consumers: Record<string, { pending: number; ackPending: number; redelivered: number }>;
}

// ------------------------------------------------------------------------------------------------
// run state, so cleanup can undo whatever was created, whatever failed

const state: {
  dbName?: string;
  dbCreated?: boolean;
  stream?: string;
  services: ServiceProcess[];
  nc?: NatsConnection;
  sub?: Subscription;
  opts?: BenchOptions;
  cleaning?: Promise<void>;
  /** Interrupted: stop sending, clean up. */
  aborted: boolean;
} = { services: [], aborted: false };

async function cleanup(): Promise<void> {
  if (state.cleaning) return state.cleaning;
  state.cleaning = (async () => {
    const running = state.services.filter((s) => s.running);
    if (running.length) {
      log(`stopping ${running.map((s) => s.name).join(', ')} (SIGTERM)`);
      // analytics first, intake last: the reverse of the flow
      const outcomes = await Promise.all([...running].reverse().map(async (s) => `${s.name}: ${await s.stop()}`));
      log(outcomes.join(', '));
    }
    state.sub?.unsubscribe();
    if (state.stream && state.nc && !state.opts?.keep) {
      try {
        const jsm = await state.nc.jetstreamManager();
        await jsm.streams.delete(state.stream);
        log(`deleted stream ${state.stream}`);
      } catch (e) {
        log(`could not delete stream ${state.stream}: ${(e as Error).message}`);
      }
    }
    await state.nc?.close().catch(() => undefined);
    if (state.dbCreated && state.dbName && state.opts) {
      if (state.opts.keep) {
        log(`kept database ${state.dbName} and stream ${state.stream} (--keep)`);
      } else {
        const c = new Client({ connectionString: state.opts.pgAdminUrl });
        try {
          await c.connect();
          await c.query(`DROP DATABASE IF EXISTS "${state.dbName}" WITH (FORCE)`);
          log(`dropped database ${state.dbName}`);
        } catch (e) {
          log(`could not drop database ${state.dbName}: ${(e as Error).message}`);
        } finally {
          await c.end().catch(() => undefined);
        }
      }
    }
  })();
  return state.cleaning;
}

function onSignal(sig: NodeJS.Signals): void {
  state.aborted = true;
  log(`${sig}: cleaning up`);
  void cleanup().finally(() => process.exit(130));
}
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);
process.on('exit', () => {
  for (const s of state.services) s.killNow();
});

// ------------------------------------------------------------------------------------------------
// steps

function build(): void {
  // under `npm run`, npm_execpath is npm's CLI: run it with this node
  const execPath = process.env.npm_execpath;
  const [cmd, args] =
    execPath && /npm-cli\.js$/.test(execPath) ? [process.execPath, [execPath, 'run', 'build']] : ['npm', ['run', 'build']];
  log('npm run build');
  const r = spawnSync(cmd, args, { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'], timeout: 600_000 });
  if (r.status !== 0)
    throw new Error(
      `npm run build failed (${r.error?.message ?? `exit ${r.status}`}); fix the build, or pass --no-build to run the dist/ there is`,
    );
}

function dbUrl(adminUrl: string, db: string): string {
  const u = new URL(adminUrl);
  u.pathname = `/${db}`;
  return u.toString();
}

async function adminQuery(adminUrl: string, sql: string): Promise<void> {
  const c = new Client({ connectionString: adminUrl });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

async function consumerSample(jsm: JetStreamManager, stream: string, t0: number): Promise<ConsumerSample> {
  const out: ConsumerSample = { t: round((performance.now() - t0) / 1000, 2), consumers: {} };
  for (const ci of await jsm.consumers.list(stream).next()) {
    out.consumers[ci.name] = { pending: ci.num_pending, ackPending: ci.num_ack_pending, redelivered: ci.num_redelivered };
  }
  return out;
}

function gitFacts(): { commit: string; dirtyFiles: number } {
  try {
    const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain'], { cwd: ROOT, encoding: 'utf8' }).split('\n').filter(Boolean).length;
    return { commit, dirtyFiles: dirty };
  } catch {
    return { commit: 'unknown', dirtyFiles: -1 };
  }
}

interface Diagnostics {
  deadLetters: { schema: string; consumer: string; reason: string; errors: string; count: number }[];
  outbox: Record<string, { pending: number; total: number }>;
  workOrderStates: Record<string, number>;
  intakeTickets: number;
  slaClocks: number;
  analyticsFacts: number;
  notDispatchedStates: Record<string, number>;
}

async function diagnostics(url: string, missing: string[]): Promise<Diagnostics> {
  const c = new Client({ connectionString: url });
  await c.connect();
  const q = async <T extends object>(sql: string, params: unknown[] = []): Promise<T[]> => {
    try {
      return (await c.query<T>(sql, params)).rows;
    } catch (e) {
      log(`diagnostic query failed (${(e as Error).message}): ${sql.slice(0, 80)}`);
      return [];
    }
  };
  try {
    const d: Diagnostics = {
      deadLetters: [],
      outbox: {},
      workOrderStates: {},
      intakeTickets: 0,
      slaClocks: 0,
      analyticsFacts: 0,
      notDispatchedStates: {},
    };
    for (const s of SERVICE_NAMES) {
      for (const r of await q<{ consumer: string; reason: string; errors: string; count: string }>(
        `SELECT consumer, reason, errors::text AS errors, count(*) AS count FROM "${s}".dead_letter GROUP BY 1, 2, 3 ORDER BY 4 DESC`,
      )) {
        d.deadLetters.push({ schema: s, consumer: r.consumer, reason: r.reason, errors: r.errors.slice(0, 1000), count: Number(r.count) });
      }
      const [o] = await q<{ pending: string; total: string }>(
        `SELECT count(*) FILTER (WHERE published_at IS NULL) AS pending, count(*) AS total FROM "${s}".outbox`,
      );
      d.outbox[s] = { pending: Number(o?.pending ?? NaN), total: Number(o?.total ?? NaN) };
    }
    for (const r of await q<{ state: string; n: string }>('SELECT state, count(*) AS n FROM dispatch.work_order GROUP BY 1'))
      d.workOrderStates[r.state] = Number(r.n);
    d.intakeTickets = Number((await q<{ n: string }>('SELECT count(*) AS n FROM intake.ticket'))[0]?.n ?? NaN);
    d.slaClocks = Number((await q<{ n: string }>('SELECT count(*) AS n FROM sla.sla_clock'))[0]?.n ?? NaN);
    d.analyticsFacts = Number((await q<{ n: string }>('SELECT count(*) AS n FROM analytics.ticket_fact'))[0]?.n ?? NaN);
    if (missing.length) {
      const found = await q<{ state: string; n: string }>(
        'SELECT state, count(*) AS n FROM dispatch.work_order WHERE ticket_id = ANY($1::uuid[]) GROUP BY 1',
        [missing],
      );
      let known = 0;
      for (const r of found) {
        d.notDispatchedStates[r.state] = Number(r.n);
        known += Number(r.n);
      }
      if (missing.length - known) d.notDispatchedStates['(no work order in dispatch)'] = missing.length - known;
    }
    return d;
  } finally {
    await c.end();
  }
}

// ------------------------------------------------------------------------------------------------

/** The Node binary the services run under (`--node`): the bench's own, Node 24 LTS as in the image, or a path. */
function serviceNode(choice: string): string {
  if (!choice) return process.execPath;
  if (choice !== '24') return choice;
  const r = spawnSync('bash', [join(ROOT, 'scripts', 'node24.sh')], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  if (r.status !== 0) throw new Error('--node 24: scripts/node24.sh failed');
  return r.stdout.trim();
}

async function main(): Promise<void> {
  const opts = parseOptions(process.argv.slice(2), process.env);
  state.opts = opts;
  const startedIso = new Date().toISOString();
  const id = randomBytes(4).toString('hex');
  log(
    `orders ${opts.orders}, concurrency ${opts.concurrency}, warm-up ${opts.warmup}, raw inserts ${opts.rawSeconds} s / ${opts.rawRows} rows`,
  );

  if (opts.build) build();
  else log('build skipped (--no-build): using dist/ as it is');

  // infrastructure and machine facts
  const nc = await connect({ servers: opts.natsUrl, name: `jiesu-bench-${id}` });
  state.nc = nc;
  const jsm = await nc.jetstreamManager();
  const node = serviceNode(opts.node);
  const machine = await machineFacts(opts.pgAdminUrl, nc.info?.version ?? 'unknown', node);
  const git = gitFacts();
  log(
    `machine: ${machine.nproc} cores, ${machine.totalMemoryGiB} GiB, node ${machine.node}, ${machine.postgres}, nats-server ${machine.natsServer}, load ${machine.loadAverageAtStart.join(' ')}`,
  );

  // 1. a fresh database and a bus of our own
  const dbName = `jiesu_bench_${id}`;
  state.dbName = dbName;
  await adminQuery(opts.pgAdminUrl, `CREATE DATABASE "${dbName}"`);
  state.dbCreated = true;
  const url = dbUrl(opts.pgAdminUrl, dbName);
  const bus = { BUS_PREFIX: `bench${id}`, BUS_STREAM: `BENCH_${id.toUpperCase()}` };
  state.stream = bus.BUS_STREAM;
  log(`database ${dbName}, bus prefix ${bus.BUS_PREFIX}, stream ${bus.BUS_STREAM}: migrating and seeding`);
  await migrateAll(url, undefined, () => undefined);
  const seeded = await seedDemo(url);
  log(`demo organisation: ${seeded.units} units, ${seeded.rules} routing rules`);

  // 2. the yardstick, before anything of ours runs
  log(`raw Postgres inserts: ${opts.concurrency} clients, up to ${opts.rawSeconds} s / ${opts.rawRows} rows`);
  const rawSample = async (when: string): Promise<{ r: RawInsertResult; cpu: CpuUsage }> => {
    const c0 = cpuSnapshot({});
    const r = await rawInsertBench(url, opts.concurrency, opts.rawSeconds, opts.rawRows, opts.seed);
    const cpu = cpuBetween(c0, cpuSnapshot({}), machine.nproc);
    log(
      `raw inserts ${when}: ${r.rows} rows in ${r.seconds.toFixed(1)} s = ${r.rowsPerSecond.toFixed(0)} rows/s (p50 ${ms(r.latencyMs.p50)})`,
    );
    return { r, cpu };
  };
  const { r: rawBefore, cpu: rawBeforeCpu } = await rawSample('before the services');

  // 3. the five services
  const secret = randomBytes(24).toString('base64');
  const ports = {} as Record<ServiceName, number>;
  for (const s of SERVICE_NAMES) ports[s] = await freePort();
  const profiled = opts.cpuProf.split(',').filter(Boolean);
  const profDir = join(ROOT, opts.resultsDir, `prof-${id}`);
  const nodeOptions = (name: ServiceName): Record<string, string | undefined> =>
    opts.asDeployed ? { NODE_OPTIONS: deployedNodeOptions(ROOT, name), ...imageAllocatorEnv(ROOT) } : {};
  // NODE_OPTIONS may not carry --cpu-prof: they go on the command line.
  const nodeArgs = (name: ServiceName): string[] =>
    profiled.includes(name) ? ['--cpu-prof', `--cpu-prof-dir=${profDir}`, `--cpu-prof-name=${name}.cpuprofile`] : [];
  if (profiled.length) log(`CPU profiles of ${profiled.join(', ')} go to ${relative(ROOT, profDir)}/ when the services stop`);
  const childEnv = (name: ServiceName): NodeJS.ProcessEnv => {
    const env: NodeJS.ProcessEnv = { ...process.env };
    for (const k of Object.keys(env)) if (/^(BUS_|DB_|AUTH_|PII_|SLA_|CALLBACK_|RATE_|SERVE_)/.test(k)) delete env[k];
    Object.assign(env, {
      // Development tokens (HS256) are refused in production; the bench signs its own, so it runs as test.
      NODE_ENV: 'test',
      AUTH_DEV_TOKENS: 'true',
      PORT: String(ports[name]),
      DATABASE_URL: url,
      NATS_URL: opts.natsUrl,
      ...bus,
      LOG_LEVEL: opts.logLevel,
      SWAGGER: 'false',
      AUTH_JWT_SECRET: secret,
      PII_KEYS: `bench1:${randomBytes(32).toString('base64')}`,
      CALLBACK_LINK_KEYS: `bench1:${randomBytes(32).toString('base64')}`,
      PII_HASH_KEY: randomBytes(32).toString('base64'),
      ...(opts.pool ? { DB_POOL_SIZE: opts.pool } : {}),
      ...(opts.busConcurrency ? { BUS_CONCURRENCY: opts.busConcurrency } : {}),
      ...nodeOptions(name),
      ...(opts.busBatch ? { BUS_BATCH: opts.busBatch } : {}),
    });
    return env;
  };
  const byName = {} as Record<ServiceName, ServiceProcess>;
  const startService = (name: ServiceName) => {
    const p = new ServiceProcess(name, ports[name], ROOT, childEnv(name), nodeArgs(name), node);
    byName[name] = p;
    state.services.push(p);
    return p;
  };
  log(`starting ${SERVICE_NAMES.map((s) => `${s}:${ports[s]}`).join(', ')}`);
  if (opts.asDeployed)
    log(
      `as deployed: ${JSON.stringify(imageAllocatorEnv(ROOT))} (Dockerfile); NODE_OPTIONS ${SERVICE_NAMES.map((s) => `${s} ${deployedNodeOptions(ROOT, s)}`).join(', ')}`,
    );
  const tBoot = performance.now();
  // intake first: it creates the stream; the others then only find it
  await waitReady(startService('intake'), READY_TIMEOUT_MS);
  await Promise.all(SERVICE_NAMES.filter((s) => s !== 'intake').map((s) => waitReady(startService(s), READY_TIMEOUT_MS)));
  log(`all five ready in ${((performance.now() - tBoot) / 1000).toFixed(1)} s`);
  const pids = () => Object.fromEntries(state.services.map((s) => [s.name, s.pid]));

  // 4. watch the bus
  const seen = new Map<string, Seen>();
  const typeCounts: Record<string, number> = {};
  let duplicateSightings = 0;
  let dispatchedSightings = 0;
  state.sub = nc.subscribe(`${bus.BUS_PREFIX}.>`, {
    callback: (err, m) => {
      if (err) return;
      const t = performance.now();
      // <prefix>.<district>.<type>
      const type = m.subject.split('.').slice(2).join('.');
      typeCounts[type] = (typeCounts[type] ?? 0) + 1;
      const key =
        type === 'ticket.accepted.v1'
          ? 'accepted'
          : type === 'ticket.dispatched.v1'
            ? 'dispatched'
            : type === 'sla.clocks-set.v1'
              ? 'clocksSet'
              : null;
      if (!key) return;
      let env: { ticketId?: string; data?: { unitId?: string } };
      try {
        env = JSON.parse(m.string()) as typeof env;
      } catch {
        return;
      }
      if (!env.ticketId) return;
      const s = seen.get(env.ticketId) ?? {};
      if (s[key] !== undefined) duplicateSightings++;
      else {
        s[key] = t;
        if (key === 'dispatched') {
          s.dispatchedTo = env.data?.unitId;
          dispatchedSightings++;
        }
      }
      seen.set(env.ticketId, s);
    },
  });
  await nc.flush();

  const token = mintDevToken(secret, DEMO_USERS.operator);
  const factory = new OrderFactory(opts.seed);

  // 5. warm-up (not measured): JITs, connection pools, prepared plans
  if (opts.warmup > 0) {
    log(`warm-up: ${opts.warmup} orders`);
    const w = await runLoad({
      port: ports.intake,
      token,
      count: opts.warmup,
      concurrency: Math.min(opts.concurrency, opts.warmup),
      next: () => factory.next(),
      deadline: performance.now() + WARMUP_TIMEOUT_MS,
      timeoutMs: POST_TIMEOUT_MS,
      stop: () => state.aborted,
    });
    const ids = w.records.filter((r) => r.ticketId).map((r) => r.ticketId!);
    const failed = w.records.length - ids.length;
    if (failed) log(`warm-up: ${failed} POSTs failed, e.g. ${w.records.find((r) => !r.ticketId)?.error ?? ''}`);
    const until = performance.now() + WARMUP_TIMEOUT_MS;
    while (performance.now() < until && !state.aborted && ids.some((i) => seen.get(i)?.dispatched === undefined)) await sleep(200);
    const notYet = ids.filter((i) => seen.get(i)?.dispatched === undefined).length;
    log(
      `warm-up: ${ids.length - notYet}/${ids.length} dispatched${notYet ? ` (${notYet} still not after ${WARMUP_TIMEOUT_MS / 1000} s)` : ''}`,
    );
    // let the rest of the chain (sla, analytics) finish the warm-up orders before measuring
    const quiet = performance.now() + 30_000;
    while (performance.now() < quiet && !state.aborted) {
      const s = await consumerSample(jsm, bus.BUS_STREAM, 0);
      if (Object.values(s.consumers).every((c) => c.pending === 0 && c.ackPending === 0)) break;
      await sleep(250);
    }
  }

  // 6. the measured load
  const measured = new Set<string>();
  const samples: ConsumerSample[] = [];
  // each service's GC counters from its /metrics, to charge the collections of the measured load
  const gcScrape = async () =>
    Object.fromEntries(await Promise.all(SERVICE_NAMES.map(async (n) => [n, await gcTotals(ports[n])] as const))) as Record<
      ServiceName,
      GcTotals | undefined
    >;
  const gc0 = await gcScrape();
  const tLoad = performance.now();
  const cpu0: CpuSnapshot = cpuSnapshot(pids());
  let okCount = 0;
  let errCount = 0;
  const dispatchedMeasured = () => {
    let n = 0;
    for (const i of measured) if (seen.get(i)?.dispatched !== undefined) n++;
    return n;
  };
  let sampling = false;
  const sampler = setInterval(() => {
    if (sampling) return;
    sampling = true;
    consumerSample(jsm, bus.BUS_STREAM, tLoad)
      .then((s) => samples.push(s))
      .catch(() => undefined)
      .finally(() => (sampling = false));
  }, 1000);
  const progress = setInterval(() => {
    const el = (performance.now() - tLoad) / 1000;
    const d = dispatchedMeasured();
    log(
      `t=${el.toFixed(0)}s posted ${okCount + errCount}/${opts.orders} (ok ${okCount}, failed ${errCount}), dispatched ${d} — ${(okCount / el).toFixed(0)} accepted/s, ${(d / el).toFixed(0)} dispatched/s`,
    );
  }, 5000);
  log(
    opts.openLoop
      ? `load (open loop): ${opts.rate} orders/s offered for ${opts.seconds} s = ${opts.orders} orders`
      : `load: ${opts.orders} orders, ${opts.concurrency} in flight`,
  );
  const activity = new PgActivitySampler(url, dbName);
  // resident memory of every service, sampled during the load (the peak is also in VmHWM)
  const rssMax: Record<string, number> = {};
  const rssSampler = setInterval(() => {
    for (const s of state.services) rssMax[s.name] = Math.max(rssMax[s.name] ?? 0, memoryOf(s.pid).rssMB || 0);
  }, 1000);
  let load: LoadResult;
  let openLoopFacts: { maxInFlight: number; saturated: number; maxSendLagMs: number } | undefined;
  try {
    await activity.start();
    const onRecord = (r: PostRecord) => {
      if (r.ticketId) {
        okCount++;
        measured.add(r.ticketId);
      } else errCount++;
    };
    if (opts.openLoop) {
      const o = await runOpenLoop({
        port: ports.intake,
        token,
        rate: opts.rate,
        count: opts.orders,
        next: () => factory.next(),
        timeoutMs: POST_TIMEOUT_MS,
        maxInFlight: 1024,
        stop: () => state.aborted,
        onRecord,
      });
      load = o;
      openLoopFacts = { maxInFlight: o.maxInFlight, saturated: o.saturated, maxSendLagMs: round(o.maxSendLagMs, 1) };
    } else {
      load = await runLoad({
        port: ports.intake,
        token,
        count: opts.orders,
        concurrency: opts.concurrency,
        next: () => factory.next(),
        deadline: tLoad + opts.maxLoadS * 1000,
        timeoutMs: POST_TIMEOUT_MS,
        stop: () => state.aborted,
        onRecord,
      });
    }
    if (state.aborted) throw new Error('interrupted');
    const cpuLoadEnd = cpuSnapshot(pids());
    const pgActivity = await activity.stop();
    log(
      `load done in ${((load.endedAt - load.startedAt) / 1000).toFixed(1)} s; waiting up to ${opts.drainTimeoutS} s for the dispatched events`,
    );

    // 7. drain: every accepted order dispatched, then every consumer idle (or time is up)
    const drainUntil = performance.now() + opts.drainTimeoutS * 1000;
    while (performance.now() < drainUntil && !state.aborted && dispatchedMeasured() < measured.size) await sleep(100);
    const tAllDispatched = dispatchedMeasured() === measured.size ? performance.now() : undefined;
    const cpuDispatchEnd = cpuSnapshot(pids());
    let tSettled: number | undefined;
    while (performance.now() < drainUntil && !state.aborted) {
      const s = await consumerSample(jsm, bus.BUS_STREAM, tLoad);
      samples.push(s);
      if (Object.values(s.consumers).every((c) => c.pending === 0 && c.ackPending === 0)) {
        tSettled = performance.now();
        break;
      }
      await sleep(500);
    }
    const cpuSettled = cpuSnapshot(pids());
    const gcEnd = await gcScrape();
    clearInterval(rssSampler);
    const memory = Object.fromEntries(
      state.services.map((s) => [s.name, { ...memoryOf(s.pid), maxSampledDuringRunMB: rssMax[s.name] ?? NaN }]),
    );
    clearInterval(sampler);
    clearInterval(progress);
    const finalConsumers = await consumerSample(jsm, bus.BUS_STREAM, tLoad);
    await sleep(300); // let any last sighting land

    // 8. numbers
    const records = load.records;
    const ok = records.filter((r) => r.ticketId);
    const gcRun = Object.fromEntries(SERVICE_NAMES.map((n) => [n, gcBetween(gc0[n], gcEnd[n], ok.length)]));
    const failed = records.filter((r) => !r.ticketId);
    const errorsByKind: Record<string, { count: number; example: string }> = {};
    for (const r of failed) {
      const k = r.status ? `HTTP ${r.status}` : (r.error ?? 'error').slice(0, 60);
      errorsByKind[k] ??= { count: 0, example: r.error ?? '' };
      errorsByKind[k].count++;
    }
    const postLatency = summarise(records.map((r) => r.doneAt - r.sentAt));
    const scheduledPostLatency = summarise(records.map((r) => r.doneAt - r.scheduledAt));
    const minOf = (xs: number[]) => (xs.length ? xs.reduce((a, b) => Math.min(a, b)) : NaN);
    const maxOf = (xs: number[]) => (xs.length ? xs.reduce((a, b) => Math.max(a, b)) : NaN);
    const firstAccepted = minOf(ok.map((r) => r.doneAt));
    const lastAccepted = maxOf(ok.map((r) => r.doneAt));
    const firstSent = minOf(records.map((r) => r.sentAt));
    const httpWindowS = (lastAccepted - firstSent) / 1000;
    const dispatchedRecs = ok.filter((r) => seen.get(r.ticketId!)?.dispatched !== undefined);
    const missing = ok.filter((r) => seen.get(r.ticketId!)?.dispatched === undefined).map((r) => r.ticketId!);
    const lastDispatched = maxOf(dispatchedRecs.map((r) => seen.get(r.ticketId!)!.dispatched!));
    const e2eWindowS = (lastDispatched - firstAccepted) / 1000;
    const lat = (f: (r: PostRecord, s: Seen) => number | undefined): Summary =>
      summarise(ok.map((r) => f(r, seen.get(r.ticketId!) ?? {})).filter((x): x is number => x !== undefined && Number.isFinite(x)));
    const origin = performance.timeOrigin;
    const latency = {
      acceptedToDispatched: lat((r, s) => (s.dispatched === undefined ? undefined : s.dispatched - r.doneAt)),
      // from the instant the order was meant to be sent (open loop: its slot in the schedule), so a
      // slow answer or a late send is counted, not omitted
      scheduledToDispatched: lat((r, s) => (s.dispatched === undefined ? undefined : s.dispatched - r.scheduledAt)),
      serverAcceptedAtToDispatched: lat((r, s) =>
        s.dispatched === undefined || r.acceptedAtEpoch === undefined ? undefined : origin + s.dispatched - r.acceptedAtEpoch,
      ),
      responseToAcceptedEvent: lat((r, s) => (s.accepted === undefined ? undefined : s.accepted - r.doneAt)),
      acceptedEventToDispatchedEvent: lat((r, s) =>
        s.accepted === undefined || s.dispatched === undefined ? undefined : s.dispatched - s.accepted,
      ),
      dispatchedToClocksSet: lat((r, s) =>
        s.dispatched === undefined || s.clocksSet === undefined ? undefined : s.clocksSet - s.dispatched,
      ),
    };
    const acceptedPerS = ok.length / httpWindowS;
    const e2ePerS = dispatchedRecs.length / e2eWindowS;
    const unitsUsed = new Set(dispatchedRecs.map((r) => seen.get(r.ticketId!)!.dispatchedTo)).size;
    const cpuLoad: CpuUsage = cpuBetween(cpu0, cpuLoadEnd, machine.nproc);
    const cpuToDispatched: CpuUsage = cpuBetween(cpu0, cpuDispatchEnd, machine.nproc);
    const cpuToSettled: CpuUsage = cpuBetween(cpu0, cpuSettled, machine.nproc);
    const maxBacklog: Record<string, number> = {};
    for (const s of samples)
      for (const [k, v] of Object.entries(s.consumers)) maxBacklog[k] = Math.max(maxBacklog[k] ?? 0, v.pending + v.ackPending);

    const diag = await diagnostics(url, missing);
    const logSummary = state.services.flatMap((s) =>
      [...s.logCounts.values()]
        .sort((a, b) => b.count - a.count)
        .map((c) => ({ service: s.name, level: c.level, msg: c.msg, count: c.count, example: c.example })),
    );
    const crashed = state.services.filter((s) => !s.running).map((s) => ({ service: s.name, exit: s.exit, tail: s.tail.slice(-30) }));

    // the yardstick again, with our services stopped: two samples show how steady the machine was
    log('stopping the services for the second raw-insert sample');
    await Promise.all([...state.services].reverse().map((s) => s.stop()));
    const { r: rawAfter, cpu: rawAfterCpu } = await rawSample('after the services');
    const rawRate = (rawBefore.rowsPerSecond + rawAfter.rowsPerSecond) / 2;
    const rawSpreadPct = (Math.abs(rawBefore.rowsPerSecond - rawAfter.rowsPerSecond) / rawRate) * 100;

    // 9. report
    const f0 = (n: number) => (Number.isFinite(n) ? n.toFixed(0) : '—');
    const f1 = (n: number) => (Number.isFinite(n) ? n.toFixed(1) : '—');
    const f2 = (n: number) => (Number.isFinite(n) ? n.toFixed(2) : '—');
    const spaceCell = (s: { totalMB: number; usedMB: number } | undefined) => (s ? `${f1(s.totalMB)} / ${f1(s.usedMB)}` : '—');
    const ratio = e2ePerS / rawRate;
    const latRow = (name: string, s: Summary) => [name, String(s.count), ms(s.p50), ms(s.p90), ms(s.p99), ms(s.max)];
    const out: string[] = [];
    out.push('');
    out.push(`Jiesu pipeline bench — ${startedIso} — ${git.commit}${git.dirtyFiles ? ` (+${git.dirtyFiles} uncommitted files)` : ''}`);
    out.push(
      `machine: ${machine.nproc} cores (${machine.cpuModel}), ${machine.totalMemoryGiB} GiB, node ${machine.node}, ${machine.postgres}, nats-server ${machine.natsServer}`,
    );
    out.push(
      `postgres: synchronous_commit=${machine.postgresSettings.synchronous_commit}, fsync=${machine.postgresSettings.fsync}, shared_buffers=${machine.postgresSettings.shared_buffers}`,
    );
    out.push(
      `run: ${opts.orders} orders (+${opts.warmup} warm-up), ${
        opts.openLoop
          ? `OPEN LOOP ${opts.rate}/s offered for ${opts.seconds} s (max ${openLoopFacts?.maxInFlight} in flight, send lag max ${openLoopFacts?.maxSendLagMs} ms)`
          : `${opts.concurrency} in flight`
      }, services DB_POOL_SIZE=${opts.pool || 'default'} BUS_CONCURRENCY=${opts.busConcurrency || 'default'} BUS_BATCH=${
        opts.busBatch || 'default'
      } NODE_OPTIONS=${opts.asDeployed ? 'as deployed (k8s manifests)' : process.env.NODE_OPTIONS || 'none'}`,
    );
    out.push('');
    out.push(
      table(
        ['throughput', 'count', 'seconds', 'per second'],
        [
          ['HTTP accepted (POST /tickets → 201)', String(ok.length), f1(httpWindowS), f1(acceptedPerS)],
          ['end to end (first 201 → last dispatched)', String(dispatchedRecs.length), f1(e2eWindowS), f1(e2ePerS)],
          ['raw Postgres INSERT, before the services', String(rawBefore.rows), f1(rawBefore.seconds), f0(rawBefore.rowsPerSecond)],
          ['raw Postgres INSERT, after the services', String(rawAfter.rows), f1(rawAfter.seconds), f0(rawAfter.rowsPerSecond)],
          ['raw Postgres INSERT, mean of the two', '', '', f0(rawRate)],
        ],
      ),
    );
    out.push('');
    out.push(
      `RATIO  pipeline ÷ raw insert = ${f1(e2ePerS)} ÷ ${f0(rawRate)} = ${ratio.toFixed(3)}  (1 order ≈ ${f1(1 / ratio)} raw inserts' worth of machine)`,
    );
    out.push(
      `       HTTP accept ÷ raw insert = ${(acceptedPerS / rawRate).toFixed(3)}; the two raw samples differ by ${rawSpreadPct.toFixed(0)}%`,
    );
    const busiestOther = Math.max(rawBeforeCpu.otherCores, rawAfterCpu.otherCores, cpuLoad.otherCores);
    if (rawSpreadPct > 20 || busiestOther > 0.25) {
      out.push(
        `NOTE: the machine was not quiet (raw samples ${rawSpreadPct.toFixed(0)}% apart; up to ${busiestOther.toFixed(2)} cores used by processes not ours): compare ratios, and repeat the run`,
      );
    }
    out.push('');
    out.push(
      table(
        ['latency', 'n', 'p50', 'p90', 'p99', 'max'],
        [
          latRow('POST /tickets (request → response)', postLatency),
          ...(opts.openLoop ? [latRow('  same, from the scheduled send time', scheduledPostLatency)] : []),
          latRow('accepted → dispatched (201 → NATS)', latency.acceptedToDispatched),
          ...(opts.openLoop ? [latRow('scheduled send → dispatched (no coord. omission)', latency.scheduledToDispatched)] : []),
          latRow('  same, from server acceptedAt', latency.serverAcceptedAtToDispatched),
          latRow('  201 → ticket.accepted on bus', latency.responseToAcceptedEvent),
          latRow('  ticket.accepted → ticket.dispatched', latency.acceptedEventToDispatchedEvent),
          latRow('ticket.dispatched → sla.clocks-set', latency.dispatchedToClocksSet),
          latRow('raw INSERT (before / after)', rawBefore.latencyMs),
          latRow('', rawAfter.latencyMs),
        ],
      ),
    );
    out.push('');
    out.push(
      `outcome: ${ok.length} accepted, ${failed.length} POSTs failed, ${dispatchedRecs.length} dispatched, ${missing.length} NOT dispatched within ${opts.drainTimeoutS} s of the last POST` +
        `${tAllDispatched ? ` (all dispatched ${f1((tAllDispatched - load.endedAt) / 1000)} s after the last POST)` : ''}; ${unitsUsed} distinct handling units`,
    );
    out.push(
      `bus: every consumer idle ${tSettled ? `${f1((tSettled - tLoad) / 1000)} s after the load began (${f1((tSettled - load.endedAt) / 1000)} s after the last POST)` : `NOT within the drain timeout`}; ` +
        `${duplicateSightings} duplicate event sightings; events seen: ${Object.entries(typeCounts)
          .map(([k, v]) => `${k} ${v}`)
          .join(', ')}`,
    );
    for (const [k, v] of Object.entries(errorsByKind)) out.push(`  POST failures ${k}: ${v.count}, e.g. ${v.example.slice(0, 300)}`);
    if (missing.length) out.push(`  not dispatched, by dispatch state: ${JSON.stringify(diag.notDispatchedStates)}`);
    if (diag.deadLetters.length) {
      out.push(`DEAD LETTERS: ${diag.deadLetters.reduce((a, d) => a + d.count, 0)}`);
      for (const d of diag.deadLetters)
        out.push(`  ${d.schema}.dead_letter ${d.consumer} ${d.reason} ×${d.count}: ${d.errors.slice(0, 300)}`);
    } else out.push('dead letters: none');
    const pendingOutbox = Object.entries(diag.outbox).filter(([, v]) => v.pending > 0);
    out.push(
      `outbox: ${pendingOutbox.length ? pendingOutbox.map(([k, v]) => `${k} ${v.pending} unpublished`).join(', ') : 'all published'}; rows: ${Object.entries(
        diag.outbox,
      )
        .map(([k, v]) => `${k} ${v.total}`)
        .join(', ')}`,
    );
    out.push(
      `consumers at the end (pending/ack-pending/redelivered; max backlog during the run): ${Object.entries(finalConsumers.consumers)
        .map(([k, v]) => `${k.replace(/__/, ' ')} ${v.pending}/${v.ackPending}/${v.redelivered} (max ${maxBacklog[k] ?? 0})`)
        .join('; ')}`,
    );
    out.push(
      `rows: intake.ticket ${diag.intakeTickets}, dispatch.work_order ${JSON.stringify(diag.workOrderStates)}, sla.sla_clock ${diag.slaClocks}, analytics.ticket_fact ${diag.analyticsFacts}`,
    );
    const warnLines = logSummary.filter((l) => l.level !== 'info' && l.level !== 'debug');
    out.push(
      warnLines.length
        ? `service log warnings/errors (LOG_LEVEL=${opts.logLevel}):`
        : `service logs: no warnings or errors (LOG_LEVEL=${opts.logLevel})`,
    );
    for (const l of warnLines.slice(0, 15)) out.push(`  ${l.service} ${l.level} ×${l.count}: ${l.msg}`);
    if (crashed.length)
      out.push(`SERVICES THAT EXITED DURING THE RUN: ${crashed.map((c) => `${c.service} ${JSON.stringify(c.exit)}`).join(', ')}`);
    out.push('');
    const rawRow = (name: string, u: CpuUsage) => [
      name,
      ...SERVICE_NAMES.map(() => ''),
      f1(u.cores.postgres),
      f1(u.cores.nats),
      f1(u.cores.bench),
      f1(u.otherCores),
      `${u.machineBusyPct}%`,
      `${u.stealPct}%`,
    ];
    const cpuRows = (u: CpuUsage) => [...SERVICE_NAMES, 'postgres', 'nats', 'bench'].map((k) => f1(u.cores[k] ?? NaN));
    out.push(
      table(
        ['CPU, cores used on average', ...SERVICE_NAMES, 'postgres', 'nats', 'bench', 'other', 'machine busy', 'steal'],
        [
          rawRow('raw inserts, before', rawBeforeCpu),
          rawRow('raw inserts, after', rawAfterCpu),
          ['POST phase', ...cpuRows(cpuLoad), f1(cpuLoad.otherCores), `${cpuLoad.machineBusyPct}%`, `${cpuLoad.stealPct}%`],
          [
            'POST start → all dispatched',
            ...cpuRows(cpuToDispatched),
            f1(cpuToDispatched.otherCores),
            `${cpuToDispatched.machineBusyPct}%`,
            `${cpuToDispatched.stealPct}%`,
          ],
          [
            'POST start → bus idle',
            ...cpuRows(cpuToSettled),
            f1(cpuToSettled.otherCores),
            `${cpuToSettled.machineBusyPct}%`,
            `${cpuToSettled.stealPct}%`,
          ],
        ],
      ),
    );
    out.push('');
    out.push(
      table(
        ['memory (MB)', ...SERVICE_NAMES],
        [
          ['RSS at the end (bus idle)', ...SERVICE_NAMES.map((n) => f1(memory[n]?.rssMB ?? NaN))],
          ['max RSS sampled during the run', ...SERVICE_NAMES.map((n) => f1(memory[n]?.maxSampledDuringRunMB ?? NaN))],
          ['peak RSS of the process (VmHWM)', ...SERVICE_NAMES.map((n) => f1(memory[n]?.peakMB ?? NaN))],
          ['V8 new space committed at the end', ...SERVICE_NAMES.map((n) => f1(gcEnd[n]?.spaces.new?.totalMB ?? NaN))],
          ['V8 old space committed / used at the end', ...SERVICE_NAMES.map((n) => spaceCell(gcEnd[n]?.spaces.old))],
        ],
      ),
    );
    out.push('');
    out.push(
      table(
        ['GC pauses, POST start → bus idle', ...SERVICE_NAMES],
        [
          ['scavenges (minor): count', ...SERVICE_NAMES.map((n) => String(gcRun[n]?.minor?.count ?? '–'))],
          ['scavenges: ms per order', ...SERVICE_NAMES.map((n) => f2(gcRun[n]?.minor?.msPerOrder ?? NaN))],
          ['mark-compact (major): count', ...SERVICE_NAMES.map((n) => String(gcRun[n]?.major?.count ?? '–'))],
          [
            'major + incremental + weakcb: ms per order',
            ...SERVICE_NAMES.map((n) => f2(['major', 'incremental', 'weakcb'].reduce((a, k) => a + (gcRun[n]?.[k]?.msPerOrder ?? 0), 0))),
          ],
        ],
      ),
    );
    out.push('');
    const cpuMsPerOrder = Object.fromEntries(
      Object.entries(cpuToSettled.cores).map(([k, v]) => [k, round((v * cpuToSettled.wallSeconds * 1000) / Math.max(1, ok.length), 2)]),
    );
    const ourMsPerOrder = Object.values(cpuMsPerOrder).reduce((a, b) => a + b, 0);
    const rawMsPerRow =
      ([rawBeforeCpu, rawAfterCpu].reduce((a, u) => a + (u.cores.postgres + u.cores.bench) * u.wallSeconds, 0) * 1000) /
      Math.max(1, rawBefore.rows + rawAfter.rows);
    out.push(
      `CPU per order (POST start → bus idle): ${Object.entries(cpuMsPerOrder)
        .map(([k, v]) => `${k} ${v.toFixed(1)}`)
        .join(', ')} = ${ourMsPerOrder.toFixed(1)} ms` +
        ` → ceiling on ${machine.nproc} cores ≈ ${f0((machine.nproc * 1000) / ourMsPerOrder)} orders/s; raw insert: ${rawMsPerRow.toFixed(2)} ms per row (postgres + client)`,
    );
    out.push('');
    out.push(
      table(
        ['bench DB backends during the POST phase', 'avg backends'],
        pgActivity.rows.slice(0, 10).map((r) => [r.what, r.avgBackends.toFixed(2)]),
      ),
    );
    out.push('');

    const result = {
      bench: 'pipeline',
      startedAt: startedIso,
      git,
      options: { ...opts, pgAdminUrl: undefined },
      machine,
      database: dbName,
      bus,
      raw: {
        meanRowsPerSecond: round(rawRate, 1),
        spreadPct: round(rawSpreadPct, 1),
        before: { ...rawBefore, latencyMs: roundSummary(rawBefore.latencyMs), cpu: rawBeforeCpu },
        after: { ...rawAfter, latencyMs: roundSummary(rawAfter.latencyMs), cpu: rawAfterCpu },
      },
      http: {
        sent: records.length,
        accepted: ok.length,
        failed: failed.length,
        errorsByKind,
        truncatedByTimeCap: load.truncated,
        windowSeconds: round(httpWindowS, 3),
        acceptedPerSecond: round(acceptedPerS, 2),
        latencyMs: roundSummary(postLatency),
        latencyFromScheduledMs: roundSummary(scheduledPostLatency),
        openLoop: openLoopFacts ?? null,
      },
      memoryMB: memory,
      gc: { duringRun: gcRun, heapSpacesAtEndMB: Object.fromEntries(SERVICE_NAMES.map((n) => [n, gcEnd[n]?.spaces ?? null])) },
      endToEnd: {
        dispatched: dispatchedRecs.length,
        notDispatched: missing.length,
        notDispatchedSample: missing.slice(0, 20),
        notDispatchedStates: diag.notDispatchedStates,
        drainTimeoutSeconds: opts.drainTimeoutS,
        windowSeconds: round(e2eWindowS, 3),
        ordersPerSecond: round(e2ePerS, 2),
        allDispatchedSecondsAfterLastPost: tAllDispatched ? round((tAllDispatched - load.endedAt) / 1000, 2) : null,
        busIdleSecondsAfterLoadStart: tSettled ? round((tSettled - tLoad) / 1000, 2) : null,
        distinctUnits: unitsUsed,
        latencyMs: Object.fromEntries(Object.entries(latency).map(([k, v]) => [k, roundSummary(v)])),
      },
      ratio: {
        pipelineOrdersPerSecondOverRawInsertsPerSecond: round(ratio, 4),
        httpAcceptedPerSecondOverRawInsertsPerSecond: round(acceptedPerS / rawRate, 4),
      },
      busEvents: { typeCounts, duplicateSightings, dispatchedSightings, finalConsumers: finalConsumers.consumers, maxBacklog, samples },
      diagnostics: diag,
      cpu: {
        postPhase: cpuLoad,
        toAllDispatched: cpuToDispatched,
        toBusIdle: cpuToSettled,
        msPerOrder: cpuMsPerOrder,
        rawMsPerRow: round(rawMsPerRow, 3),
      },
      pgActivityDuringPostPhase: pgActivity,
      serviceLogs: logSummary,
      crashed,
      orderMix: Object.fromEntries([...factory.categoryCounts.entries()].sort((a, b) => b[1] - a[1])),
    };
    const dir = resolve(ROOT, opts.resultsDir);
    mkdirSync(dir, { recursive: true });
    const file = join(dir, `pipeline-${startedIso.replace(/[:.]/g, '-')}.json`);
    writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
    out.push(`result: ${relative(ROOT, file)}`);
    console.log(out.join('\n'));
    if (missing.length || failed.length || diag.deadLetters.length || crashed.length) process.exitCode = 2;
  } finally {
    clearInterval(rssSampler);
    clearInterval(sampler);
    clearInterval(progress);
    await activity.stop().catch(() => undefined);
  }
}

function roundSummary(s: Summary): Summary {
  return {
    count: s.count,
    min: round(s.min, 2),
    p50: round(s.p50, 2),
    p90: round(s.p90, 2),
    p99: round(s.p99, 2),
    max: round(s.max, 2),
    mean: round(s.mean, 2),
  };
}

main()
  .catch((e: Error) => {
    if (e instanceof UsageError) {
      console.error(e.message);
      process.exitCode = e.message.startsWith('unknown') ? 1 : 0;
      return;
    }
    log(`FAILED: ${e.message}`);
    process.exitCode = 1;
  })
  .finally(() => cleanup().then(() => process.exit(process.exitCode ?? 0)));
