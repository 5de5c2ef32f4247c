#!/usr/bin/env node
/**
 * Builds the console web (Vite, root apps/console/web) into dist/console-web and weighs each first
 * screen's JavaScript: what a browser must load before a screen opened by address (a reload, a bookmark,
 * the home after login) can show: the entry and the chunks it imports, plus the screen's page chunk and
 * the chunks that imports (lazy chunks it loads later, the order drawer, the English strings, the bell,
 * ECharts, are not counted), gzipped. The screens are the login page and every page in
 * src/app/nav.tsx; the chunk graph is Vite's manifest (dist/console-web/.vite/manifest.json, not served).
 * Above the budget, for any screen, the build fails. Usage: node scripts/build-web.js [--no-build] [--all]
 */
const { execFileSync } = require('node:child_process');
const { readFileSync } = require('node:fs');
const { join, resolve } = require('node:path');
const { gzipSync } = require('node:zlib');

const ROOT = resolve(__dirname, '..');
const WEB = join(ROOT, 'apps/console/web');
const OUT = join(ROOT, 'dist/console-web');
/**
 * KB gzipped: the login page, the 500-order worklist (the screen), and any screen. What the build
 * reached on 2026-12-05 plus a small margin, so they cannot creep back unseen.
 */
const BUDGETS_KB = { '/login': 310, '/handling/worklist': 400, '*': 470 };
const budgetOf = (path) => BUDGETS_KB[path] ?? BUDGETS_KB['*'];

const gzipOf = new Map();
function weigh(file) {
  if (!gzipOf.has(file)) {
    const body = readFileSync(join(OUT, file));
    gzipOf.set(file, { raw: body.length, gzip: gzipSync(body, { level: 9 }).length });
  }
  return gzipOf.get(file);
}

/** The screens to weigh: login, and every page nav.tsx lists (path → source of its page). */
function screens() {
  const nav = readFileSync(join(WEB, 'src/app/nav.tsx'), 'utf8');
  const list = [{ path: '/login', chunks: ['src/features/auth/LoginPage.tsx'] }];
  for (const m of nav.matchAll(/path: '([^']+)'[\s\S]*?import\('\.\.\/(features\/[^']+)'\)/g)) {
    list.push({ path: m[1], chunks: ['src/app/ShellLayout.tsx', `src/${m[2]}.tsx`] });
  }
  return list;
}

function firstScreens() {
  const manifest = JSON.parse(readFileSync(join(OUT, '.vite/manifest.json'), 'utf8'));
  const closure = (key, into = new Set()) => {
    const chunk = manifest[key];
    if (!chunk) throw new Error(`build-web: ${key} is not a chunk of the build (is src/app/nav.tsx's page list still readable?)`);
    if (into.has(chunk.file)) return into;
    into.add(chunk.file);
    for (const dep of chunk.imports ?? []) closure(dep, into);
    return into;
  };
  const entry = Object.keys(manifest).find((k) => manifest[k].isEntry);
  return screens().map(({ path, chunks }) => {
    const files = [...chunks.reduce((into, src) => closure(src, into), closure(entry))];
    const sum = (k) => files.reduce((n, f) => n + weigh(f)[k], 0) / 1024;
    // The stylesheets those chunks bring (Ant Design's static CSS with the entry: src/app/theme.ts), apart.
    const css = [...new Set(files.flatMap((f) => Object.values(manifest).find((c) => c.file === f)?.css ?? []))];
    const cssKb = css.reduce((n, f) => n + weigh(f).gzip, 0) / 1024;
    return { path, files: files.length, gzipKb: sum('gzip'), rawKb: sum('raw'), cssKb };
  });
}

function main() {
  if (!process.argv.includes('--no-build')) {
    execFileSync(process.execPath, [join(ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn', 'apps/console/web'], {
      cwd: ROOT,
      stdio: 'inherit',
    });
  }
  const all = firstScreens();
  const show = (s) => `${s.path} ${s.gzipKb.toFixed(1)} KB (${s.rawKb.toFixed(0)} KB raw, ${s.files} files)`;
  const heaviest = all.reduce((a, b) => (b.gzipKb > a.gzipKb ? b : a));
  const named = ['/login', '/handling/worklist', '/dispatch/queues', '/intake/desk']
    .map((p) => all.find((s) => s.path === p))
    .filter(Boolean);
  const budgets = Object.entries(BUDGETS_KB)
    .map(([p, kb]) => `${p === '*' ? 'any screen' : p} ${kb} KB`)
    .join(', ');
  const css = Math.max(...all.map((s) => s.cssKb));
  const line = `console-web: first screen JS, gzipped: ${named.map(show).join('; ')}; heaviest ${show(heaviest)}; budgets ${budgets}; and CSS ${css.toFixed(1)} KB gzipped (not budgeted)`;
  if (process.argv.includes('--all')) for (const s of all.sort((a, b) => b.gzipKb - a.gzipKb)) console.log(`  ${show(s)}`);
  const over = all.filter((s) => s.gzipKb > budgetOf(s.path));
  if (over.length) {
    console.error(`${line} — OVER BUDGET`);
    for (const s of over) console.error(`  ${show(s)} > ${budgetOf(s.path)} KB`);
    process.exit(1);
  }
  console.log(line);
  return heaviest.gzipKb;
}

module.exports = { firstScreens, screens, BUDGETS_KB };
if (require.main === module) main();
