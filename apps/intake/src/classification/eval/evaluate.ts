/**
 * `npm run eval:classify`: top-1 / top-3 category accuracy (by category root) of the suggestion
 * model on the labelled set, plus request type and urgency accuracy. Two settings:
 *  1. cold start: the model knows only the taxonomy's keywords (a new deployment);
 *  2. with past orders: 5-fold cross-validation, the four other folds standing in for orders
 *     operators have confirmed (how the model is fed in production), never the fold under test.
 * No database, no network: the taxonomy seed and the labelled file are all it reads.
 */
import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RequestType, Urgency } from '@app/contracts';
import { TAXONOMY_SEED, rootOf } from '../../taxonomy/taxonomy.data';
import { CategoryModel, LabelledText, suggestType, suggestUrgency, TaxonomyEntry } from '../classifier';

interface Labelled {
  text: string;
  category: string;
  type: RequestType;
  urgency: Urgency;
  source: string;
}

const items: Labelled[] = readFileSync(join(__dirname, 'labelled.zh.jsonl'), 'utf8')
  .split('\n')
  .filter((l) => l.trim())
  .map((l) => JSON.parse(l) as Labelled);
const taxonomy: TaxonomyEntry[] = TAXONOMY_SEED.map((c) => ({ code: c.code, nameZh: c.zh, keywords: c.keywords }));

function score(model: CategoryModel, test: Labelled[]): { top1: number; top3: number } {
  let top1 = 0;
  let top3 = 0;
  for (const it of test) {
    const ranked = model.rank(it.text).map((g) => g.code);
    const want = rootOf(it.category);
    if (ranked[0] === want) top1++;
    if (ranked.slice(0, 3).includes(want)) top3++;
  }
  return { top1, top3 };
}

const pct = (n: number, d: number) => `${((100 * n) / d).toFixed(1)}%`;
const n = items.length;

const cold = score(new CategoryModel(taxonomy), items);

const folds = 5;
let warm = { top1: 0, top3: 0 };
for (let f = 0; f < folds; f++) {
  const train: LabelledText[] = items.filter((_, i) => i % folds !== f).map((x) => ({ text: x.text, categoryCode: x.category }));
  const test = items.filter((_, i) => i % folds === f);
  const s = score(new CategoryModel(taxonomy, train), test);
  warm = { top1: warm.top1 + s.top1, top3: warm.top3 + s.top3 };
}

const typeOk = items.filter((x) => suggestType(x.text) === x.type).length;
const urgencyOk = items.filter((x) => suggestUrgency(x.text) === x.urgency).length;
const roots = new Set(items.map((x) => rootOf(x.category))).size;
const seeds = items.filter((x) => x.source.startsWith('seed')).length;

console.log(`labelled requests: ${n} (${seeds} from the seed reports), ${roots} category roots`);
console.log(
  `cold start (taxonomy keywords only):   top-1 ${pct(cold.top1, n)} (${cold.top1}/${n})   top-3 ${pct(cold.top3, n)} (${cold.top3}/${n})`,
);
console.log(
  `with past orders (5-fold cross-val.): top-1 ${pct(warm.top1, n)} (${warm.top1}/${n})   top-3 ${pct(warm.top3, n)} (${warm.top3}/${n})`,
);
console.log(`request type (cue words):             ${pct(typeOk, n)} (${typeOk}/${n})`);
console.log(`urgency (cue words):                  ${pct(urgencyOk, n)} (${urgencyOk}/${n})`);
if (process.argv.includes('--misses')) {
  const model = new CategoryModel(taxonomy);
  for (const it of items) {
    const got = model.rank(it.text).slice(0, 3);
    if (got[0].code !== rootOf(it.category)) console.log(`${it.category}\t→ ${got.map((g) => g.code).join(',')}\t${it.text}`);
  }
}
