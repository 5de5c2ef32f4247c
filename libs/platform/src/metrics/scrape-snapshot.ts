/**
 * One reading shared by every gauge of a scrape: the first gauge's collect() starts it, the others
 * await the same promise, and it is forgotten shortly after so the next scrape reads afresh. A failed
 * reading (database down) gives `undefined`: the gauges then keep their last values rather than
 * failing the whole /metrics answer.
 */
export function scrapeSnapshot<T>(read: () => Promise<T>, ttlMs = 500): () => Promise<T | undefined> {
  let pending: Promise<T | undefined> | undefined;
  return () => {
    pending ??= read()
      .catch(() => undefined)
      .finally(() => setTimeout(() => (pending = undefined), ttlMs).unref());
    return pending;
  };
}
