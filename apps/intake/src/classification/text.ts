import { Jieba } from '@node-rs/jieba';
import { readFileSync } from 'node:fs';

/**
 * Chinese word segmentation (jieba) shared by the classifier, the duplicate check and the
 * knowledge-base search. The dictionary loads once per process (about a second); the taxonomy's
 * keywords are added to it so that they come out as single tokens.
 */
let jieba: Jieba | null = null;
const added = new Set<string>();

function segmenter(): Jieba {
  // The dictionary file is read here and its buffer let go once jieba has built its own tables: the
  // package's `@node-rs/jieba/dict` module would keep it (5 MB) and the unused idf table (6 MB) for
  // the life of the process.
  jieba ??= Jieba.withDict(readFileSync(require.resolve('@node-rs/jieba/dict.txt')));
  return jieba;
}

/** Teach the segmenter domain words (`暖气不热`, `困人`); idempotent. */
export function addWords(words: Iterable<string>): void {
  const fresh = [...words].map((w) => w.trim()).filter((w) => w.length > 1 && !/\s/.test(w) && !added.has(w));
  if (!fresh.length) return;
  fresh.forEach((w) => added.add(w));
  segmenter().loadDict(Buffer.from(fresh.map((w) => `${w} 20000 n`).join('\n')));
}

const STOP = new Set(
  (
    '的 了 是 在 我 我们 你 你们 他 她 它 他们 有 和 与 及 就 都 也 还 很 太 又 这 那 这个 那个 一个 一直 什么 怎么 ' +
    '没有 没 不 吗 呢 吧 啊 呀 着 把 被 给 让 请 请问 要 想 说 到 从 对 为 为了 因为 所以 但是 可是 而且 已经 现在 ' +
    '希望 能 能够 可以 一下 一些 好几 几 多 个 里 上 下 后 前 时候 天天 每天 市民 反映 诉求 问题 情况 处理 解决 ' +
    '西宁 西宁市 小区 家 家里 附近 门口 楼 号 单元'
  ).split(' '),
);

/** Word tokens for matching: punctuation, digits, single Latin letters and stop words dropped. */
export function tokens(text: string): string[] {
  return segmenter()
    .cut(text.normalize('NFKC'), true)
    .map((t) => t.trim().toLowerCase())
    .filter((t) => t.length > 0 && !STOP.has(t) && /[\p{Script=Han}a-z]/u.test(t) && !/^[a-z]$/.test(t));
}

/** Search-mode tokens (also the shorter words inside long ones): for full-text indexing and queries. */
export function searchTokens(text: string): string[] {
  return [
    ...new Set(
      segmenter()
        .cutForSearch(text.normalize('NFKC'), true)
        .map((t) => t.trim().toLowerCase())
        .filter((t) => t.length > 0 && !STOP.has(t) && /[\p{Script=Han}a-z0-9]/u.test(t)),
    ),
  ];
}

/** Cosine similarity of two token bags, 0..1. */
export function cosine(a: string[], b: string[]): number {
  if (!a.length || !b.length) return 0;
  const ca = counts(a);
  const cb = counts(b);
  let dot = 0;
  for (const [t, n] of ca) dot += n * (cb.get(t) ?? 0);
  const norm = (c: Map<string, number>) => Math.sqrt([...c.values()].reduce((s, n) => s + n * n, 0));
  return dot / (norm(ca) * norm(cb));
}

function counts(ts: string[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const t of ts) m.set(t, (m.get(t) ?? 0) + 1);
  return m;
}
