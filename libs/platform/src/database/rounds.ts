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

/**
 * Locks the rows a set-based write of a consumer batch is about to change, in the order every batch
 * takes its locks: district, then order (the consumer host sorts a batch so, and a handler locks the
 * order its message names as it comes). The write's join takes its rows in whatever order the plan
 * reads the table, so without this a batch locking its orders one by one and a batch ending in such
 * a write could each hold a row the other waits for: a deadlock, seen in dispatch under the bench.
 * `key` is the column holding the order's id (a uuid), `district` its district; one statement, in
 * the caller's transaction.
 */
export async function lockInBatchOrder(
  manager: { query(sql: string, params: unknown[]): Promise<unknown> },
  t: { table: string; key: string; district: string },
  orderIds: readonly string[],
): Promise<void> {
  if (orderIds.length === 0) return;
  await manager.query(`SELECT 1 FROM ${t.table} WHERE ${t.key} = ANY($1::uuid[]) ORDER BY ${t.district} COLLATE "C", ${t.key} FOR UPDATE`, [
    [...new Set(orderIds.map((id) => id.toLowerCase()))],
  ]);
}
