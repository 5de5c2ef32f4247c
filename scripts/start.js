#!/usr/bin/env node
// `npm start`: the whole platform on one machine, for development and demos.
//
//   0. dependencies matching package-lock.json, else `npm ci` (scripts/prepare.js)
//   1. PostgreSQL and NATS/JetStream (scripts/infra.js: uses running ones, else starts its own)
//   2. npm run build when dist/ is older than the sources (skip with --no-build or JIESU_SKIP_BUILD=1)
//   3. migrations and demo data (dist/scripts/migrate.js run, dist/scripts/seed-demo.js)
//   4. the six services, each line of their output prefixed with the service name
//   5. waits for every /health/ready, then prints where the APIs and their docs are, the demo
//      tokens command and Open311's base path with its demo API key
//
// Ports 3000-3006 (console, then the six services); JIESU_PORT_OFFSET=100 moves them all (3100-3106).
//
// Ctrl-C (or SIGTERM) stops the services, then whatever this script itself started (an embedded
// PostgreSQL, a nats-server); the machine's own servers keep running. Data stays on disk (Postgres
// and JetStream), so the next `npm start` continues where this one stopped.
//
// Plain CommonJS: it runs before anything is built.
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const crypto = require('node:crypto');
const readline = require('node:readline');
const { spawn } = require('node:child_process');
const infra = require('./infra');
const prepare = require('./prepare');

const ROOT = path.resolve(__dirname, '..');
const DATA_DIR = path.join(ROOT, '.data');
const SECRETS_FILE = path.join(DATA_DIR, 'dev-secrets.json');
const REGISTER = './scripts/register-paths.js';

const PORT_OFFSET = Number(process.env.JIESU_PORT_OFFSET || 0);
const SERVICES = [
  { name: 'console', port: 3000, needsPii: true },
  { name: 'intake', port: 3001, needsPii: true },
  { name: 'dispatch', port: 3002 },
  { name: 'sla', port: 3003 },
  { name: 'callback', port: 3004 },
  { name: 'analytics', port: 3005 },
  { name: 'notify', port: 3006, needsPii: true },
].map((s) => ({ ...s, port: s.port + PORT_OFFSET }));
const READY_TIMEOUT_MS = 60_000;
const STOP_GRACE_MS = 10_000;
const TAIL_LINES = 200;

// ---------------------------------------------------------------------------------------------
// output

const useColour = process.stdout.isTTY && !process.env.NO_COLOR;
const COLOURS = [36, 35, 33, 32, 34]; // cyan, magenta, yellow, green, blue
const paint = (code, s) => (useColour ? `\x1b[${code}m${s}\x1b[0m` : s);
const bold = (s) => paint(1, s);
const red = (s) => paint(31, s);
const NAME_WIDTH = Math.max(...SERVICES.map((s) => s.name.length), 'start'.length);

function say(msg) {
  console.log(`${paint(1, 'start'.padEnd(NAME_WIDTH))} | ${msg}`);
}
function warn(msg) {
  console.error(`${paint(1, 'start'.padEnd(NAME_WIDTH))} | ${red(msg)}`);
}
infra.setLogger((msg) => console.log(`${paint(1, 'infra'.padEnd(NAME_WIDTH))} | ${msg}`));
prepare.setLogger(say);

const PINO_LEVELS = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };
const RAW_LOGS = process.env.JIESU_RAW_LOGS === '1';

/** Pino JSON lines are shown as `time LEVEL msg {other fields}`; anything else as it came. */
function formatLine(line) {
  if (RAW_LOGS || !line.startsWith('{')) return line;
  let rec;
  try {
    rec = JSON.parse(line);
  } catch {
    return line;
  }
  if (typeof rec !== 'object' || rec === null || !('msg' in rec || 'level' in rec)) return line;
  const { time, level, msg, pid: _pid, hostname: _host, err, ...rest } = rec;
  const t = typeof time === 'number' || typeof time === 'string' ? new Date(time) : null;
  const ts = t && !Number.isNaN(t.getTime()) ? t.toTimeString().slice(0, 8) : '';
  const lvl = (PINO_LEVELS[level] || String(level || '').toUpperCase()).padEnd(5);
  const lvlShown = level >= 50 || lvl.startsWith('ERR') || lvl.startsWith('FAT') ? red(lvl) : level >= 40 ? paint(33, lvl) : lvl;
  const extra = Object.keys(rest).length ? ` ${JSON.stringify(rest)}` : '';
  const errText = err ? `\n${typeof err === 'string' ? err : err.stack || JSON.stringify(err)}` : '';
  return `${ts} ${lvlShown} ${msg ?? ''}${extra}${errText}`;
}

// ---------------------------------------------------------------------------------------------
// state and shutdown

const children = new Map(); // name -> { child, tail: string[], exited: Promise, done: boolean }
const infraStarted = []; // results of ensure* that this run started (stop() not null)
let currentStep = null; // a build/migrate/seed child running in the foreground
let shuttingDown = false;

function killChild(child, signal) {
  try {
    // services run in their own process group (detached), so signal the group
    process.kill(-child.pid, signal);
  } catch {
    try {
      child.kill(signal);
    } catch {
      // already gone
    }
  }
}

async function shutdown(code, reason) {
  if (shuttingDown) {
    // a second Ctrl-C: do not wait any longer
    warn('forcing: SIGKILL to the services');
    for (const c of children.values()) if (!c.done) killChild(c.child, 'SIGKILL');
    return;
  }
  shuttingDown = true;
  if (reason) say(reason);
  if (currentStep && currentStep.exitCode === null) killChild(currentStep, 'SIGTERM');
  const live = [...children.entries()].filter(([, c]) => !c.done);
  if (live.length) {
    say(`stopping ${live.map(([n]) => n).join(', ')} (SIGTERM, up to ${STOP_GRACE_MS / 1000} s)`);
    for (const [, c] of live) killChild(c.child, 'SIGTERM');
    const timer = new Promise((resolve) => setTimeout(resolve, STOP_GRACE_MS, 'timeout'));
    const all = Promise.all(live.map(([, c]) => c.exited));
    if ((await Promise.race([all, timer])) === 'timeout') {
      for (const [n, c] of live) {
        if (!c.done) {
          warn(`${n} did not stop in ${STOP_GRACE_MS / 1000} s: SIGKILL`);
          killChild(c.child, 'SIGKILL');
        }
      }
      await Promise.race([all, new Promise((resolve) => setTimeout(resolve, 2000))]);
    }
  }
  for (const started of infraStarted.reverse()) {
    try {
      await started.stop();
    } catch (err) {
      warn(`could not stop ${started.description}: ${err.message}`);
    }
  }
  say(code === 0 ? 'stopped' : `stopped (exit ${code})`);
  process.exit(code);
}

process.on('SIGINT', () => void shutdown(0, 'Ctrl-C: shutting down'));
process.on('SIGTERM', () => void shutdown(0, 'SIGTERM: shutting down'));
process.on('SIGHUP', () => void shutdown(0, 'SIGHUP: shutting down'));
process.on('uncaughtException', (err) => {
  warn(`internal error: ${err.stack || err}`);
  void shutdown(1);
});
process.on('unhandledRejection', (err) => {
  warn(`internal error: ${(err && err.stack) || err}`);
  void shutdown(1);
});
// last resort (e.g. process.exit from elsewhere): never leave services behind
process.on('exit', () => {
  for (const c of children.values()) if (!c.done) killChild(c.child, 'SIGKILL');
});

// ---------------------------------------------------------------------------------------------
// steps

/** The demo Open311 client's key (`demo:<key>` in OPEN311_API_KEYS). */
const newOpen311Key = () => crypto.randomBytes(18).toString('base64url');

/**
 * Intake's secrets: PII keys and the demo Open311 API key. From the environment, else generated
 * once into .data/dev-secrets.json (which `mint-tokens` also reads to print OPEN311_API_KEY).
 */
function devSecrets() {
  if (process.env.PII_KEYS && process.env.PII_HASH_KEY) {
    say('PII_KEYS and PII_HASH_KEY: from the environment');
    return {
      PII_KEYS: process.env.PII_KEYS,
      PII_HASH_KEY: process.env.PII_HASH_KEY,
      OPEN311_API_KEY: process.env.OPEN311_API_KEY || newOpen311Key(),
    };
  }
  let secrets = null;
  if (fs.existsSync(SECRETS_FILE)) {
    try {
      secrets = JSON.parse(fs.readFileSync(SECRETS_FILE, 'utf8'));
    } catch (err) {
      throw new Error(
        `${path.relative(ROOT, SECRETS_FILE)} is not valid JSON (${err.message}); fix it, or move it away to generate new keys (data encrypted with the old ones would then be unreadable)`,
      );
    }
    if (!secrets || typeof secrets.PII_KEYS !== 'string' || typeof secrets.PII_HASH_KEY !== 'string') {
      throw new Error(`${path.relative(ROOT, SECRETS_FILE)} lacks PII_KEYS or PII_HASH_KEY`);
    }
    if (typeof secrets.OPEN311_API_KEY !== 'string') {
      // written by an earlier version: add the demo Open311 key, keep the rest
      secrets.OPEN311_API_KEY = newOpen311Key();
      fs.writeFileSync(SECRETS_FILE, `${JSON.stringify(secrets, null, 2)}\n`, { mode: 0o600 });
    }
    say(`PII_KEYS, PII_HASH_KEY and the demo Open311 key: from ${path.relative(ROOT, SECRETS_FILE)}`);
  } else {
    secrets = {
      PII_KEYS: `dev1:${crypto.randomBytes(32).toString('base64')}`,
      PII_HASH_KEY: crypto.randomBytes(32).toString('base64'),
      OPEN311_API_KEY: newOpen311Key(),
    };
    fs.mkdirSync(DATA_DIR, { recursive: true });
    fs.writeFileSync(SECRETS_FILE, `${JSON.stringify(secrets, null, 2)}\n`, { mode: 0o600 });
    say(
      `PII_KEYS, PII_HASH_KEY and the demo Open311 key: generated into ${path.relative(ROOT, SECRETS_FILE)} (keep it: it decrypts the stored citizens' data)`,
    );
  }
  return {
    PII_KEYS: process.env.PII_KEYS || secrets.PII_KEYS,
    PII_HASH_KEY: process.env.PII_HASH_KEY || secrets.PII_HASH_KEY,
    OPEN311_API_KEY: process.env.OPEN311_API_KEY || secrets.OPEN311_API_KEY,
  };
}

/** Runs a command in the foreground with inherited output; rejects on a non-zero exit. */
function step(title, cmd, args, env) {
  return new Promise((resolve, reject) => {
    say(`${title}: ${[path.basename(cmd), ...args].join(' ')}`);
    const child = spawn(cmd, args, { cwd: ROOT, env, stdio: ['ignore', 'inherit', 'inherit'] });
    currentStep = child;
    child.once('error', (err) => reject(new Error(`${title}: ${err.message}`)));
    child.once('exit', (code, signal) => {
      currentStep = null;
      if (shuttingDown) return; // shutdown() takes it from here
      if (code === 0) resolve();
      else reject(new Error(`${title} failed (${signal ? `signal ${signal}` : `exit ${code}`})`));
    });
  });
}

function startService(svc, index, env) {
  const colour = COLOURS[index % COLOURS.length];
  const prefix = `${paint(colour, svc.name.padEnd(NAME_WIDTH))} | `;
  const main = path.join('dist', 'apps', svc.name, 'src', 'main.js');
  const child = spawn(process.execPath, ['-r', REGISTER, main], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true, // own process group: Ctrl-C reaches only this script, which stops them in order
  });
  const entry = { child, tail: [], done: false, exited: null };
  entry.exited = new Promise((resolve) => {
    child.once('exit', (code, signal) => {
      entry.done = true;
      entry.code = code;
      entry.signal = signal;
      resolve();
      if (!shuttingDown) {
        warn(`${svc.name} exited unexpectedly (${signal ? `signal ${signal}` : `exit ${code}`})`);
        void shutdown(1, 'stopping everything');
      }
    });
  });
  child.once('error', (err) => {
    warn(`${svc.name}: could not start: ${err.message}`);
    entry.done = true;
    void shutdown(1);
  });
  for (const [stream, out] of [
    [child.stdout, process.stdout],
    [child.stderr, process.stderr],
  ]) {
    readline.createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) => {
      entry.tail.push(line);
      if (entry.tail.length > TAIL_LINES) entry.tail.shift();
      out.write(`${prefix}${formatLine(line).split('\n').join(`\n${prefix}`)}\n`);
    });
  }
  children.set(svc.name, entry);
}

/** Polls /health/ready of every service until each answers 200 or the time is up. */
async function waitReady() {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  const pending = new Map(SERVICES.map((s) => [s.name, { svc: s, last: 'no answer yet' }]));
  while (pending.size && Date.now() < deadline && !shuttingDown) {
    await Promise.all(
      [...pending.values()].map(async (p) => {
        try {
          const res = await fetch(`http://127.0.0.1:${p.svc.port}/health/ready`, { signal: AbortSignal.timeout(2000) });
          const body = await res.text();
          if (shuttingDown) return;
          if (res.status === 200) {
            pending.delete(p.svc.name);
            say(`${p.svc.name} is ready`);
          } else {
            p.last = `HTTP ${res.status} ${body.slice(0, 500)}`;
          }
        } catch (err) {
          p.last = (err.cause && err.cause.code) || err.message;
        }
      }),
    );
    if (pending.size) await new Promise((resolve) => setTimeout(resolve, 500));
  }
  return [...pending.values()];
}

/** The demo logins that dist/scripts/seed-console-demo.js wrote down. */
function consoleLogins() {
  const file = path.join(DATA_DIR, 'console-demo-logins.json');
  if (!fs.existsSync(file)) return [];
  const { logins, password } = JSON.parse(fs.readFileSync(file, 'utf8'));
  return [
    bold(`  Console: http://localhost:${3000 + PORT_OFFSET}  password ${password} for every demo login:`),
    `    ${logins.join(', ')}`,
    '',
  ];
}

function printSummary(pg, nats, open311Key) {
  const intake = SERVICES.find((s) => s.name === 'intake');
  const rows = SERVICES.map((s) => [s.name, `http://localhost:${s.port}`, `http://localhost:${s.port}/docs`]);
  const head = ['service', 'API', 'docs (Swagger UI)'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells) => `  ${cells.map((c, i) => c.padEnd(widths[i])).join('   ')}`;
  const out = [
    '',
    bold('Jiesu is running.'),
    '',
    bold(line(head)),
    ...rows.map(line),
    '',
    ...consoleLogins(),
    '  Each service also serves /health/live, /health/ready and /metrics.',
    `  PostgreSQL: ${infra.redact(pg.url)} (${pg.description})`,
    `  NATS:       ${nats.url} (${nats.description})`,
    '',
    '  Dev tokens for every demo person (TOKEN_OPERATOR, TOKEN_DESK_MARKET, ...) and OPEN311_API_KEY, into this shell:',
    `    eval "$(node -r ${REGISTER} dist/scripts/mint-tokens.js)"`,
    `  then e.g.  curl -H "Authorization: Bearer $TOKEN_OPERATOR" http://localhost:${intake.port}/tickets`,
    '  or paste a token into "Authorize" on a /docs page. The README walks through the demo stories.',
    '',
    `  Open311 GeoReport v2: http://localhost:${intake.port}/open311/v2  (discovery.json, services.json, requests.json)`,
    `    demo API key for POST (client \`demo\`): ${open311Key}`,
    '',
    '  Ctrl-C stops everything this command started; the data stays for the next `npm start`.',
    '',
  ];
  console.log(out.join('\n'));
}

// ---------------------------------------------------------------------------------------------

async function main(argv) {
  const skipBuild = argv.includes('--no-build') || process.env.JIESU_SKIP_BUILD === '1';
  prepare.ensureDeps(); // before anything needs node_modules: `npm ci` when they do not match the lockfile

  // ports first: a second `npm start` must not half-start
  for (const s of SERVICES) {
    if (await infra.canConnect('127.0.0.1', s.port, 500)) {
      throw new Error(`port ${s.port} (${s.name}) is already in use: is another \`npm start\` running?`);
    }
  }

  const pg = await infra.ensurePostgres();
  if (pg.stop) infraStarted.push(pg);
  if (shuttingDown) return;
  const nats = await infra.ensureNats();
  if (nats.stop) infraStarted.push(nats);
  if (shuttingDown) return;

  const { OPEN311_API_KEY: open311Key, ...pii } = devSecrets();
  const base = {
    ...process.env,
    DATABASE_URL: pg.url,
    NATS_URL: nats.url,
    LOG_LEVEL: process.env.LOG_LEVEL || 'info',
    NODE_ENV: 'development',
    // The services verify the console's per-call tokens (ES256) against its public keys and, for the
    // README's curl walk-through, also accept `npm run tokens` development tokens (never in production).
    AUTH_JWKS_URL: process.env.AUTH_JWKS_URL || `http://127.0.0.1:${3000 + PORT_OFFSET}/.well-known/jwks.json`,
    AUTH_ISSUER: process.env.AUTH_ISSUER || 'jiesu-console',
    AUTH_DEV_TOKENS: process.env.AUTH_DEV_TOKENS || 'true',
    // Every service of this platform runs this release: sla may name a closed item's level and unit.
    SUPERVISION_CLOSED_DETAILS: process.env.SUPERVISION_CLOSED_DETAILS || 'true',
  };
  delete base.PORT;
  delete base.PII_KEYS;
  delete base.PII_HASH_KEY;
  const withPii = { ...base, ...pii };
  // intake only: the demo Open311 client (plus any the environment configures)
  const intakeEnv = { ...withPii, OPEN311_API_KEYS: [`demo:${open311Key}`, process.env.OPEN311_API_KEYS].filter(Boolean).join(',') };

  if (skipBuild) {
    say('build skipped (--no-build)');
  } else {
    prepare.ensureBuild();
  }
  for (const s of SERVICES) {
    if (!fs.existsSync(path.join(ROOT, 'dist', 'apps', s.name, 'src', 'main.js'))) {
      throw new Error(`dist/apps/${s.name}/src/main.js is missing: the build did not produce it`);
    }
  }

  await step('migrate', process.execPath, ['-r', REGISTER, 'dist/scripts/migrate.js', 'run'], withPii);
  if (shuttingDown) return;
  if (fs.existsSync(path.join(ROOT, 'dist', 'scripts', 'seed-demo.js'))) {
    await step('demo data', process.execPath, ['-r', REGISTER, 'dist/scripts/seed-demo.js'], withPii);
  } else {
    warn('dist/scripts/seed-demo.js is missing: starting without demo data');
  }
  if (fs.existsSync(path.join(ROOT, 'dist', 'scripts', 'seed-console-demo.js'))) {
    await step('demo accounts', process.execPath, ['-r', REGISTER, 'dist/scripts/seed-console-demo.js'], withPii);
  }
  if (shuttingDown) return;

  say(`starting ${SERVICES.map((s) => `${s.name}:${s.port}`).join(', ')}`);
  SERVICES.forEach((s, i) =>
    startService(s, i, { ...(s.name === 'intake' ? intakeEnv : s.needsPii ? withPii : base), PORT: String(s.port), AUTH_AUDIENCE: s.name }),
  );

  const notReady = await waitReady();
  if (shuttingDown) return;
  if (notReady.length) {
    for (const p of notReady) {
      const c = children.get(p.svc.name);
      warn(`${p.svc.name} was not ready within ${READY_TIMEOUT_MS / 1000} s (last /health/ready: ${p.last}); its last lines:`);
      for (const l of c.tail.slice(-40)) console.error(`  ${l}`);
    }
    await shutdown(1, 'stopping everything');
    return;
  }
  printSummary(pg, nats, open311Key);
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((err) => {
    if (shuttingDown) return;
    warn(`FAILED: ${err.message}`);
    void shutdown(1);
  });
}
