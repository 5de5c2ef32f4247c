import { RequestType, Urgency } from '@app/contracts';
import { rootOf } from '../taxonomy/taxonomy.data';
import { addWords, tokens } from './text';

/** What the model learns from: the taxonomy's categories with their keywords. */
export interface TaxonomyEntry {
  code: string;
  nameZh: string;
  keywords: string[];
}

/** A past order whose category an operator confirmed (or corrected: a correction counts double). */
export interface LabelledText {
  text: string;
  categoryCode: string;
  corrected?: boolean;
}

export interface CategoryGuess {
  code: string;
  score: number;
}

const KEYWORD_WEIGHT = 3;
const SAMPLE_WEIGHT = 1;
const CORRECTION_WEIGHT = 2;
const ALPHA = 0.3;
/** Added to a root's log score for each of its keywords found verbatim in the text. */
const KEYWORD_HIT_BONUS = 1.2;

/**
 * 智能分类: multinomial naive Bayes over jieba tokens, one class per category root. Each root's
 * "document" is its keywords and labels (and those of its sub-categories), plus the text of past
 * orders confirmed in that root. Keywords found verbatim in the text add a bonus, which keeps short
 * requests working. Within the winning roots the sub-category with the most keyword hits is named.
 * Pure and synchronous: the service feeds it, the evaluation script runs it without a database.
 */
export class CategoryModel {
  private readonly termCounts = new Map<string, Map<string, number>>();
  private readonly totals = new Map<string, number>();
  private readonly vocabulary = new Set<string>();
  private readonly keywordsByCode = new Map<string, string[]>();
  private readonly roots: string[];

  constructor(taxonomy: TaxonomyEntry[], samples: LabelledText[] = []) {
    addWords(taxonomy.flatMap((c) => c.keywords));
    this.roots = [...new Set(taxonomy.map((c) => rootOf(c.code)))].filter((r) => r !== 'other');
    for (const c of taxonomy) {
      this.keywordsByCode.set(
        c.code,
        c.keywords.filter((k) => k.length > 1),
      );
      const root = rootOf(c.code);
      if (root === 'other') continue;
      for (const k of [...c.keywords, c.nameZh]) this.add(root, tokens(k), KEYWORD_WEIGHT);
    }
    for (const s of samples) this.learn(s);
  }

  /** Add one confirmed order (incremental: corrections improve later suggestions at once); `words` = `tokens(s.text)` if already cut. */
  learn(s: LabelledText, words?: string[]): void {
    const root = rootOf(s.categoryCode);
    if (!this.roots.includes(root)) return;
    this.add(root, words ?? tokens(s.text), s.corrected ? CORRECTION_WEIGHT : SAMPLE_WEIGHT);
  }

  private add(root: string, ts: string[], weight: number): void {
    const m = this.termCounts.get(root) ?? new Map<string, number>();
    for (const t of ts) {
      m.set(t, (m.get(t) ?? 0) + weight);
      this.vocabulary.add(t);
    }
    this.termCounts.set(root, m);
    this.totals.set(root, (this.totals.get(root) ?? 0) + ts.length * weight);
  }

  /** Every root scored (probabilities summing to 1), best first. */
  rank(text: string): CategoryGuess[] {
    const ts = tokens(text).filter((t) => this.vocabulary.has(t));
    const v = this.vocabulary.size || 1;
    const logs = this.roots.map((root) => {
      const m = this.termCounts.get(root) ?? new Map<string, number>();
      const total = this.totals.get(root) ?? 0;
      let s = 0;
      for (const t of ts) s += Math.log(((m.get(t) ?? 0) + ALPHA) / (total + ALPHA * v));
      s += KEYWORD_HIT_BONUS * this.hits(root, text, true);
      return { code: root, log: s };
    });
    const max = Math.max(...logs.map((l) => l.log));
    const exp = logs.map((l) => ({ code: l.code, e: Math.exp(l.log - max) }));
    const sum = exp.reduce((a, b) => a + b.e, 0);
    return exp.map((x) => ({ code: x.code, score: x.e / sum })).sort((a, b) => b.score - a.score);
  }

  /** Top three roots, each refined to its best-matching sub-category where one matches. */
  suggestCategories(text: string, n = 3): CategoryGuess[] {
    return this.rank(text)
      .slice(0, n)
      .map((g) => ({ code: this.refine(g.code, text), score: Math.round(g.score * 1000) / 1000 }));
  }

  /** Keywords of a root (and, with `deep`, of its sub-categories) found verbatim in the text. */
  private hits(code: string, text: string, deep: boolean): number {
    let n = 0;
    for (const [c, kws] of this.keywordsByCode) {
      if (c !== code && !(deep && c.startsWith(`${code}.`))) continue;
      for (const k of kws) if (text.includes(k)) n++;
    }
    return n;
  }

  private refine(root: string, text: string): string {
    let best = root;
    let bestHits = 0;
    for (const code of this.keywordsByCode.keys()) {
      if (!code.startsWith(`${root}.`)) continue;
      const h = this.hits(code, text, false) + code.split('.').length * 0.01; // deeper wins a tie
      if (h >= 1 && h > bestHits) [best, bestHits] = [code, h];
    }
    return best;
  }
}

const TYPE_CUES: [RequestType, RegExp][] = [
  [RequestType.Praise, /表扬|感谢|点赞|致谢|锦旗|特此表扬/],
  [RequestType.Report, /举报|违法|违规|私自|偷偷|无证|假冒|地沟油|巡查发现|违章/],
  [RequestType.Suggestion, /建议|希望.*(增设|开通|安装|设置|延长|错峰)|能否|可否/],
  [
    RequestType.Inquiry,
    /请问|咨询|怎么(办|申请|交|缴|申领)|如何|哪里|在哪|什么条件|需要.*(材料|手续)|政策是什么|有优惠吗|合理吗|吗[？?]?$/,
  ],
  [RequestType.Help, /求助|帮忙|帮助|协调|调解|被困|申请修剪|请派人|抢修/],
];

const URGENT =
  /爆裂|爆管|漏气|煤气味|燃气泄漏|被困|困在|困人|着火|起火|冒烟|冒火花|塌陷|井盖.*(丢|没了|缺失)|危险|咬伤|中毒|拉肚子|停水|停气|没电|整栋楼|倒下|断掉|掉在路上|夹到|欠.*工资.*(过年|包工头)|包工头跑|半夜|凌晨三点|十二度/;
const LONG_TERM = /多年|好几年|一年多|长期|半年|五年|建议|政策|一到.*就|增设|开通|配套/;

/** 诉求类型 from cue words; a complaint when nothing else matches. */
export function suggestType(text: string): RequestType {
  for (const [type, re] of TYPE_CUES) if (re.test(text)) return type;
  return RequestType.Complaint;
}

/** 急迫诉求见面办 / 长期诉求持续办 / otherwise ordinary, from cue words. */
export function suggestUrgency(text: string): Urgency {
  if (URGENT.test(text)) return Urgency.Urgent;
  if (LONG_TERM.test(text)) return Urgency.LongTerm;
  return Urgency.Ordinary;
}
