#!/usr/bin/env node
// What `npm start` and `npm test` make sure of before anything else, so that a fresh clone needs no
// step the README does not show:
//
//   node scripts/prepare.js deps    node_modules matches package-lock.json, else `npm ci` (said in one line)
//   node scripts/prepare.js build   dist/ is newer than the sources, else `npm run build`
//   node scripts/prepare.js built   records that a build just finished (the last step of `npm run build`)
//
// "Matches" means: every package the lockfile installs on this platform is in node_modules at the
// locked version. A match is remembered (node_modules/.jiesu-lock, the lockfile's hash), so the
// next check reads one file. Also used as a library by scripts/start.js.
//
// Plain CommonJS with node built-ins only: it runs before the dependencies are installed.
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const crypto = require('node:crypto');
const { spawnSync } = require('node:child_process');

const ROOT = path.resolve(__dirname, '..');
const LOCKFILE = path.join(ROOT, 'package-lock.json');
const MARKER = path.join(ROOT, 'node_modules', '.jiesu-lock');
const BUILD_STAMP = path.join(ROOT, 'dist', '.build-stamp');
/** What the build reads: any of these newer than the stamp makes dist/ stale. */
const BUILD_INPUTS = ['apps', 'libs', 'scripts', 'bench', 'tsconfig.json', 'tsconfig.build.json', 'package.json', 'package-lock.json'];

let logger = (msg) => console.log(`[prepare] ${msg}`);
function setLogger(fn) {
  logger = fn;
}

function sha256(file) {
  return crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

/** glibc or musl on Linux (npm's `libc` field), null elsewhere. */
function libc() {
  if (process.platform !== 'linux') return null;
  const header = process.report && process.report.getReport().header;
  return header && header.glibcVersionRuntime ? 'glibc' : 'musl';
}

/** npm's os/cpu/libc rule: a list allows what it names, `!x` excludes x. */
function allows(list, value) {
  if (!list || list.length === 0) return true;
  if (value === null) return true;
  const denied = list.filter((x) => x.startsWith('!')).map((x) => x.slice(1));
  if (denied.includes(value)) return false;
  const allowed = list.filter((x) => !x.startsWith('!'));
  return allowed.length === 0 || allowed.includes(value);
}

/**
 * The first difference between node_modules and the lockfile (a sentence), or null when every
 * package the lockfile installs on this platform is there at its locked version.
 */
function depsMismatch(root = ROOT) {
  if (!fs.existsSync(path.join(root, 'node_modules'))) return 'node_modules is missing';
  const lock = JSON.parse(fs.readFileSync(path.join(root, 'package-lock.json'), 'utf8'));
  const c = libc();
  for (const [key, entry] of Object.entries(lock.packages || {})) {
    if (key === '' || !key.startsWith('node_modules/') || entry.link) continue;
    const here = allows(entry.os, process.platform) && allows(entry.cpu, process.arch) && allows(entry.libc, c);
    if (!here) continue; // another platform's binding: npm does not install it here
    let installed = null;
    try {
      installed = JSON.parse(fs.readFileSync(path.join(root, key, 'package.json'), 'utf8')).version;
    } catch {
      // missing
    }
    if (installed === entry.version) continue;
    const name = key.slice(key.lastIndexOf('node_modules/') + 'node_modules/'.length);
    return installed ? `${name} ${installed} is installed, the lockfile has ${entry.version}` : `${name} ${entry.version} is not installed`;
  }
  return null;
}

/** [command, args] for npm: under `npm run`, npm's own CLI with this node. */
function npmCommand(args) {
  const execPath = process.env.npm_execpath;
  if (execPath && /npm-cli\.js$/.test(execPath)) return [process.execPath, [execPath, ...args]];
  return [process.platform === 'win32' ? 'npm.cmd' : 'npm', args];
}

function runNpm(args) {
  const [cmd, argv] = npmCommand(args);
  const r = spawnSync(cmd, argv, { cwd: ROOT, stdio: 'inherit' });
  if (r.error) throw new Error(`npm ${args.join(' ')}: ${r.error.message}`);
  if (r.status !== 0) throw new Error(`npm ${args.join(' ')} failed (exit ${r.status ?? r.signal})`);
}

/** Node older than `engines` gets a warning (the run goes on: the failure, if any, tells more). */
function checkNode() {
  const range = require(path.join(ROOT, 'package.json')).engines?.node || '';
  const m = /^>=\s*(\d+)\.(\d+)/.exec(range);
  const [maj, min] = process.versions.node.split('.').map(Number);
  if (m && (maj < Number(m[1]) || (maj === Number(m[1]) && min < Number(m[2])))) {
    logger(`warning: Node ${process.versions.node} is older than the supported ${range} (Node 24 LTS is recommended)`);
  }
}

/** Installs the dependencies with `npm ci` unless node_modules already matches the lockfile. */
function ensureDeps() {
  checkNode();
  const hash = sha256(LOCKFILE);
  try {
    if (fs.readFileSync(MARKER, 'utf8').trim() === hash) return { installed: false };
  } catch {
    // no marker yet: compare package by package
  }
  const why = depsMismatch();
  if (why) {
    logger(`dependencies do not match package-lock.json (${why}): running npm ci`);
    runNpm(['ci', '--no-audit', '--no-fund']);
    const still = depsMismatch();
    if (still) throw new Error(`after npm ci, node_modules still differs from package-lock.json: ${still}`);
  }
  fs.writeFileSync(MARKER, `${hash}\n`);
  return { installed: !!why };
}

/** The newest modification time (ms) of a file or of any file under a directory. */
function newest(p) {
  let st;
  try {
    st = fs.statSync(p);
  } catch {
    return 0;
  }
  if (!st.isDirectory()) return st.mtimeMs;
  let max = st.mtimeMs; // a deleted file changes its directory
  for (const e of fs.readdirSync(p, { withFileTypes: true })) {
    if (e.name === 'node_modules' || e.name === 'dist' || e.name.startsWith('.')) continue;
    max = Math.max(max, newest(path.join(p, e.name)));
  }
  return max;
}

/** Why dist/ is stale (a sentence), or null when the last build is newer than every input. */
function buildStale() {
  let stamp;
  try {
    stamp = fs.statSync(BUILD_STAMP).mtimeMs;
  } catch {
    return 'no build yet';
  }
  for (const input of BUILD_INPUTS) {
    if (newest(path.join(ROOT, input)) > stamp) return `${input} changed since the last build`;
  }
  return null;
}

/** Runs `npm run build` when dist/ is older than the sources. */
function ensureBuild() {
  const why = buildStale();
  if (!why) {
    logger('build: dist/ is up to date');
    return { built: false };
  }
  logger(`build: ${why}: running npm run build`);
  runNpm(['run', 'build']);
  return { built: true };
}

function markBuilt() {
  fs.mkdirSync(path.dirname(BUILD_STAMP), { recursive: true });
  fs.writeFileSync(BUILD_STAMP, `${new Date().toISOString()}\n`);
}

module.exports = { ensureDeps, ensureBuild, depsMismatch, buildStale, setLogger };

if (require.main === module) {
  const cmd = process.argv[2];
  try {
    if (cmd === 'deps') ensureDeps();
    else if (cmd === 'build') ensureBuild();
    else if (cmd === 'built') markBuilt();
    else {
      console.error('usage: node scripts/prepare.js deps | build | built');
      process.exit(2);
    }
  } catch (err) {
    console.error(`[prepare] FAILED: ${err.message}`);
    process.exit(1);
  }
}
