/**
 * The console web's strings: every key in zh-CN has its English twin and the other way round, for the
 * shared file and each feature's, so a language switch never shows a raw key.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const WEB = join(__dirname, '../apps/console/web/src');

function keys(tree: unknown, prefix = ''): string[] {
  if (tree === null || typeof tree !== 'object') return [prefix];
  return Object.entries(tree as Record<string, unknown>).flatMap(([k, v]) => keys(v, prefix ? `${prefix}.${k}` : k));
}

const read = (path: string): unknown => JSON.parse(readFileSync(path, 'utf8'));

const bundles = [
  ['shared', join(WEB, 'i18n')],
  ...readdirSync(join(WEB, 'features'))
    .filter((f) => readdirSync(join(WEB, 'features', f)).includes('i18n'))
    .map((f) => [f, join(WEB, 'features', f, 'i18n')]),
];

test.each(bundles)('%s: zh-CN and en have the same keys', (_name, dir) => {
  const zh = keys(read(join(dir, 'zh-CN.json'))).sort();
  const en = keys(read(join(dir, 'en.json'))).sort();
  expect(en.filter((k) => !zh.includes(k))).toEqual([]);
  expect(zh.filter((k) => !en.includes(k))).toEqual([]);
});
