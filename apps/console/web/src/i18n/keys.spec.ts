/**
 * i18n completeness of the console web: every key the code asks for by a literal (t('a.b')) exists in
 * zh-CN and in English, and the two languages have the same keys (so a switch never shows a raw key).
 * Keys built at run time (t(`handling.states.${s}`)) are checked where their values are known: the
 * states (the screens' one list, `features/handling/states.ts`, itself checked against dispatch's
 * enum), urgencies and flags the handling screens list.
 */
import { describe, expect, test } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { OrderState as DispatchState } from '../../../../dispatch/src/workflow/order-state';
import { RATE_NAMES, VOLUME_NAMES } from '../features/analytics/types';
import { ORDER_STATES } from '../features/handling/states';
import { NOT_ACCEPTED_REASONS } from '../features/intake/types';
import { leafKeys, sourceFiles, webBundle } from './bundles.testing';

const zh = new Set(leafKeys(webBundle('zh-CN')));
const en = new Set(leafKeys(webBundle('en')));

function literalKeys(): Map<string, string> {
  const found = new Map<string, string>();
  for (const file of sourceFiles()) {
    if (file.includes('.spec.') || file.includes('.testing.')) continue;
    const text = readFileSync(file, 'utf8')
      .replace(/\/\*[\s\S]*?\*\//g, '')
      .replace(/^\s*\/\/.*$/gm, '');
    for (const m of text.matchAll(/\bt\(\s*'([a-zA-Z0-9_]+(?:\.[a-zA-Z0-9_]+)+)'/g)) found.set(m[1], file);
  }
  return found;
}

describe('console web i18n', () => {
  test('every zh-CN key has its English twin and the other way round', () => {
    expect([...zh].filter((k) => !en.has(k))).toEqual([]);
    expect([...en].filter((k) => !zh.has(k))).toEqual([]);
  });

  test('every literal key the code uses exists in both languages', () => {
    const used = literalKeys();
    expect(used.size).toBeGreaterThan(300);
    const missing = [...used].filter(([k]) => !zh.has(k) || !en.has(k)).map(([k, file]) => `${k} (${file.replace(/.*\/src\//, '')})`);
    expect(missing).toEqual([]);
  });

  test('the screens’ list of order states is dispatch’s', () => {
    expect([...ORDER_STATES].sort()).toEqual(Object.values(DispatchState).sort());
  });

  test('the order states, urgencies and flags a worklist shows are all named', () => {
    const keys = [
      ...ORDER_STATES.map((s) => `handling.states.${s}`),
      ...['urgent', 'ordinary', 'long_term'].map((u) => `handling.urgency.${u}`),
      ...['repeat', 'concentrated', 'proactive'].map((f) => `handling.flags.${f}`),
    ];
    expect(keys.filter((k) => !zh.has(k) || !en.has(k))).toEqual([]);
  });

  test('the figures the analytics dashboard shows and the reasons a contact was not accepted are all named', () => {
    const keys = [
      ...RATE_NAMES.map((r) => `analytics.rates.${r}`),
      ...VOLUME_NAMES.map((v) => `analytics.volumes.${v}`),
      ...NOT_ACCEPTED_REASONS.map((r) => `analytics.orders.reasons.${r}`),
    ];
    expect(keys.filter((k) => !zh.has(k) || !en.has(k))).toEqual([]);
  });
});
