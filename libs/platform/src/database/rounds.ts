/**
 * `items` split into rounds for set-based writes (`UPDATE … FROM unnest(…)`, `INSERT … SELECT …
 * ON CONFLICT DO UPDATE`), which change a row at most once per statement: the k-th item of each key
 * goes in the k-th round, so the items of one key are written one statement after the other, in the
 * order given, and a round holds each key once, in the order given. `key` must be the row's key as
 * the statement compares it: a UUID lower-cased (Postgres reads `A1…` and `a1…` as one uuid, and an
 * event may name an order in either case).
 */
export function roundsByKey<T>(items: readonly T[], key: (item: T) => string): T[][] {
  const rounds: T[][] = [];
  const seen = new Map<string, number>();
  for (const item of items) {
    const k = key(item);
    const n = seen.get(k) ?? 0;
    seen.set(k, n + 1);
    (rounds[n] ??= []).push(item);
  }
  return rounds;
}
