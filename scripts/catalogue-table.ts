/**
 * Prints the event catalogue as a markdown table with each type's producers and consumers, read
 * from the code: `outbox.publish('<type>'` calls and `@OnEvent(...)` handlers under
 * apps/<service>/src. Used to keep docs/contracts.md true:  npx ts-node scripts/catalogue-table.ts
 */
import 'reflect-metadata';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { EVENT_CATALOGUE, EVENT_TYPES } from '../libs/contracts/src';

const root = join(__dirname, '..', 'apps');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) return f === 'migrations' ? [] : files(p);
    return p.endsWith('.ts') && !/\.(spec|int-spec|e2e-spec)\.ts$/.test(p) ? [p] : [];
  });
}

const producers = new Map<string, Set<string>>();
const consumers = new Map<string, Set<string>>();
const add = (m: Map<string, Set<string>>, type: string, svc: string) => m.set(type, (m.get(type) ?? new Set()).add(svc));

for (const svc of readdirSync(root)) {
  for (const f of files(join(root, svc, 'src'))) {
    const src = readFileSync(f, 'utf8');
    for (const m of src.matchAll(/\.publish\(\s*(?:[\w.]+\s*,\s*)?'([a-z0-9.-]+\.v\d+)'/g)) add(producers, m[1], svc);
    for (const m of src.matchAll(/@OnEvent\(([^)]*)\)/g)) {
      const types = m[1].includes('EVENT_TYPES') ? EVENT_TYPES : [...m[1].matchAll(/'([a-z0-9.-]+\.v\d+)'/g)].map((x) => x[1]);
      for (const t of types) add(consumers, t, svc);
    }
  }
}

const list = (s?: Set<string>) => (s && s.size ? [...s].sort().join(', ') : 'none');
console.log('| type | class | producers | consumers |');
console.log('| --- | --- | --- | --- |');
for (const type of EVENT_TYPES) {
  console.log(`| \`${type}\` | \`${EVENT_CATALOGUE[type].name}\` | ${list(producers.get(type))} | ${list(consumers.get(type))} |`);
}
