#!/usr/bin/env node
/**
 * Builds the console web (Vite, root apps/console/web) into dist/console-web and checks the first
 * screen's JavaScript against its budget: the entry script and every chunk index.html preloads,
 * gzipped. Above the budget the build fails. Usage: node scripts/build-web.js [--no-build]
 */
const { execFileSync } = require('node:child_process');
const { readFileSync } = require('node:fs');
const { join, resolve } = require('node:path');
const { gzipSync } = require('node:zlib');

const ROOT = resolve(__dirname, '..');
const OUT = join(ROOT, 'dist/console-web');
const BUDGET_KB = 400;

function firstScreenJs() {
  const html = readFileSync(join(OUT, 'index.html'), 'utf8');
  const files = new Set();
  for (const m of html.matchAll(/<script[^>]+src="\/([^"]+\.js)"/g)) files.add(m[1]);
  for (const m of html.matchAll(/<link[^>]+rel="modulepreload"[^>]+href="\/([^"]+\.js)"/g)) files.add(m[1]);
  return [...files].map((f) => {
    const body = readFileSync(join(OUT, f));
    return { file: f, raw: body.length, gzip: gzipSync(body, { level: 9 }).length };
  });
}

function main() {
  if (!process.argv.includes('--no-build')) {
    execFileSync(process.execPath, [join(ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn', 'apps/console/web'], {
      cwd: ROOT,
      stdio: 'inherit',
    });
  }
  const files = firstScreenJs();
  const gzipKb = files.reduce((n, f) => n + f.gzip, 0) / 1024;
  const rawKb = files.reduce((n, f) => n + f.raw, 0) / 1024;
  const line = `console-web: first screen JS ${gzipKb.toFixed(1)} KB gzipped (${rawKb.toFixed(0)} KB raw, ${files.length} files); budget ${BUDGET_KB} KB`;
  if (gzipKb > BUDGET_KB) {
    console.error(`${line} — OVER BUDGET`);
    for (const f of files.sort((a, b) => b.gzip - a.gzip)) console.error(`  ${(f.gzip / 1024).toFixed(1)} KB  ${f.file}`);
    process.exit(1);
  }
  console.log(line);
  return gzipKb;
}

module.exports = { firstScreenJs, BUDGET_KB };
if (require.main === module) main();
