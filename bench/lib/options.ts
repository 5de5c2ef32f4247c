/**
 * Options for the pipeline bench: `--name value` (or `--name=value`) on the command line, else the
 * environment variable BENCH_<NAME> (upper case, `-` → `_`), else the default.
 */

export interface BenchOptions {
  /** Orders pushed through POST /tickets and measured. */
  orders: number;
  /**
   * Open loop: offer `rate` orders per second for `seconds` (orders = rate × seconds) on a fixed
   * schedule, whatever the answers, and measure latency from each order's scheduled instant.
   */
  openLoop: boolean;
  /** Open loop: orders per second offered. */
  rate: number;
  /** Open loop: seconds of offered load. */
  seconds: number;
  /** Requests in flight at once (also the raw-insert clients). */
  concurrency: number;
  /** Orders sent (and waited for) before measuring, to warm the JITs and the pools. */
  warmup: number;
  /** After the last POST: how long to wait for dispatched events. */
  drainTimeoutS: number;
  /** Hard cap on the POST phase. */
  maxLoadS: number;
  /** Raw insert phase: stop after this many seconds ... */
  rawSeconds: number;
  /** ... or this many rows, whichever comes first. */
  rawRows: number;
  /** Payload seed: the same seed sends the same orders. */
  seed: number;
  /** DB_POOL_SIZE for every service (empty = the service default). */
  pool: string;
  /** BUS_CONCURRENCY for every service (empty = the service default). */
  busConcurrency: string;
  /** BUS_BATCH for every service (empty = the service default; 1 = one message per transaction). */
  busBatch: string;
  logLevel: string;
  build: boolean;
  /** Keep the database and the stream afterwards (for inspection). */
  keep: boolean;
  /** Start each service with the NODE_OPTIONS of its Kubernetes manifest (its V8 heap sizes) and the image's allocator settings (MALLOC_ARENA_MAX, MIMALLOC_ALLOW_THP), as deployed. */
  asDeployed: boolean;
  pgAdminUrl: string;
  natsUrl: string;
  /** Where result JSON goes. */
  resultsDir: string;
  /**
   * The Node the services run under: empty = the bench's own (`process.execPath`); `24` = Node 24 LTS,
   * the services' image's runtime (scripts/node24.sh installs it from the npm registry once); else a path.
   */
  node: string;
  /** Services (comma-separated) run with V8's --cpu-prof: a .cpuprofile each, written when they stop, under resultsDir. */
  cpuProf: string;
}

const DEFAULTS: BenchOptions = {
  orders: 2000,
  openLoop: false,
  rate: 100,
  seconds: 60,
  concurrency: 32,
  warmup: 100,
  drainTimeoutS: 180,
  maxLoadS: 900,
  rawSeconds: 10,
  rawRows: 200_000,
  seed: 12345,
  pool: '',
  busConcurrency: '',
  busBatch: '',
  logLevel: 'warn',
  build: true,
  keep: false,
  asDeployed: false,
  pgAdminUrl: 'postgres://postgres@127.0.0.1:5432/postgres',
  natsUrl: 'nats://127.0.0.1:4222',
  resultsDir: 'bench/results',
  node: '',
  cpuProf: '',
};

const FLAGS: Record<string, keyof BenchOptions> = {
  orders: 'orders',
  n: 'orders',
  'open-loop': 'openLoop',
  rate: 'rate',
  seconds: 'seconds',
  concurrency: 'concurrency',
  c: 'concurrency',
  warmup: 'warmup',
  'drain-timeout': 'drainTimeoutS',
  'max-load-seconds': 'maxLoadS',
  'raw-seconds': 'rawSeconds',
  'raw-rows': 'rawRows',
  seed: 'seed',
  pool: 'pool',
  'bus-concurrency': 'busConcurrency',
  'bus-batch': 'busBatch',
  'log-level': 'logLevel',
  build: 'build',
  keep: 'keep',
  'as-deployed': 'asDeployed',
  'pg-url': 'pgAdminUrl',
  'nats-url': 'natsUrl',
  'results-dir': 'resultsDir',
  'cpu-prof': 'cpuProf',
  node: 'node',
};

export const USAGE = `npm run bench -- [options]     (each also as env BENCH_<NAME>, e.g. BENCH_ORDERS=5000)
  --orders N            orders measured (default ${DEFAULTS.orders})
  --open-loop           fixed arrival rate instead of a closed loop (latency from the scheduled send time)
  --rate R              open loop: orders offered per second (default ${DEFAULTS.rate})
  --seconds S           open loop: seconds of offered load; orders = rate × seconds (default ${DEFAULTS.seconds})
  --concurrency C       POSTs in flight, and raw-insert clients (default ${DEFAULTS.concurrency})
  --warmup W            orders sent and dispatched before measuring (default ${DEFAULTS.warmup})
  --drain-timeout S     seconds to wait for dispatched events after the last POST (default ${DEFAULTS.drainTimeoutS})
  --max-load-seconds S  cap on the POST phase (default ${DEFAULTS.maxLoadS})
  --raw-seconds S       raw-insert phase length (default ${DEFAULTS.rawSeconds}) ...
  --raw-rows R          ... or rows, whichever first (default ${DEFAULTS.rawRows})
  --seed X              payload seed (default ${DEFAULTS.seed})
  --pool P              DB_POOL_SIZE for every service (default: the services' own, 10)
  --bus-concurrency B   BUS_CONCURRENCY for every service (default: the services' own, 8)
  --bus-batch N         BUS_BATCH for every service (default: the services' own, 32; 1 = a transaction per message)
  --log-level L         services' LOG_LEVEL (default warn)
  --no-build            do not run \`npm run build\` first (dist/ must be current)
  --keep                keep the database and the stream afterwards
  --as-deployed         start each service with the NODE_OPTIONS of deploy/k8s/base/apps/<name> (V8 heap sizes)
                        and the image's MALLOC_ARENA_MAX and MIMALLOC_ALLOW_THP (Dockerfile)
  --node 24|PATH        the Node the services run under: 24 = Node 24 LTS as in the image (scripts/node24.sh
                        installs it once), or a binary's path (default: the bench's own node)
  --pg-url URL          admin URL of the local Postgres (default ${DEFAULTS.pgAdminUrl})
  --nats-url URL        local NATS (default ${DEFAULTS.natsUrl})
  --results-dir DIR     where the JSON goes (default ${DEFAULTS.resultsDir})
  --cpu-prof S1,S2      profile these services (V8 --cpu-prof; open the .cpuprofile in Chrome's DevTools), under DIR/prof-<run>`;

function coerce(key: keyof BenchOptions, raw: string): BenchOptions[keyof BenchOptions] {
  const d = DEFAULTS[key];
  if (typeof d === 'number') {
    const n = Number(raw);
    if (!Number.isFinite(n) || n < 0) throw new Error(`--${key}: not a non-negative number: ${raw}`);
    return n;
  }
  if (typeof d === 'boolean') return !['0', 'false', 'no', 'off'].includes(raw.toLowerCase());
  return raw;
}

/** `--help`, or an option the bench does not know: the message is the usage. */
export class UsageError extends Error {}

export function parseOptions(argv: string[], env: NodeJS.ProcessEnv): BenchOptions {
  const o: BenchOptions = { ...DEFAULTS };
  const set = <K extends keyof BenchOptions>(k: K, v: BenchOptions[K]) => {
    o[k] = v;
  };
  for (const [flag, key] of Object.entries(FLAGS)) {
    const v = env[`BENCH_${flag.toUpperCase().replace(/-/g, '_')}`];
    if (v !== undefined && v !== '') set(key, coerce(key, v));
  }
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '-h' || a === '--help') throw new UsageError(USAGE);
    const m = /^--?(no-)?([a-z-]+)(?:=(.*))?$/.exec(a);
    if (!m || !FLAGS[m[2]]) throw new UsageError(`unknown option ${a}\n${USAGE}`);
    const key = FLAGS[m[2]];
    if (typeof DEFAULTS[key] === 'boolean') {
      set(key, m[1] ? false : m[3] !== undefined ? (coerce(key, m[3]) as boolean) : true);
      continue;
    }
    const v = m[3] ?? argv[++i];
    if (v === undefined) throw new Error(`${a} needs a value`);
    set(key, coerce(key, v));
  }
  if (o.openLoop) {
    if (o.rate <= 0 || o.rate > 5000) throw new Error('--rate must be in (0, 5000]');
    if (o.seconds <= 0) throw new Error('--seconds must be positive');
    o.orders = Math.max(1, Math.round(o.rate * o.seconds));
  }
  if (o.orders < 1 || o.orders > 1_000_000) throw new Error('--orders must be 1..1000000');
  if (o.concurrency < 1 || o.concurrency > 512) throw new Error('--concurrency must be 1..512');
  for (const url of [o.pgAdminUrl, o.natsUrl]) {
    const host = new URL(url).hostname;
    if (!['127.0.0.1', 'localhost', '[::1]'].includes(host))
      throw new Error(`the bench only talks to this machine; ${url} is not loopback`);
  }
  return o;
}
