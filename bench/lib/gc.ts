/**
 * Garbage collection and V8 heap of one service, from its own `/metrics` (prom-client's default
 * metrics: `nodejs_gc_duration_seconds` per kind, `nodejs_heap_space_size_*_bytes` per space). The
 * GC durations are the main-thread pauses V8 reports (what a collection costs the event loop);
 * concurrent marking on V8's helper threads is not in them, but is in the process's CPU.
 */
export interface GcTotals {
  /** Seconds and collections per kind (`minor` = scavenge, `major` = mark-compact, `incremental`, `weakcb`). */
  kinds: Record<string, { seconds: number; count: number }>;
  /** Committed (`total`) and `used` bytes per heap space, in MB. */
  spaces: Record<string, { totalMB: number; usedMB: number }>;
}

const LINE = /^(nodejs_gc_duration_seconds_(?:sum|count)|nodejs_heap_space_size_(?:total|used)_bytes)\{([^}]*)\}\s+(\S+)/;

export function parseGcMetrics(text: string): GcTotals {
  const out: GcTotals = { kinds: {}, spaces: {} };
  for (const line of text.split('\n')) {
    const m = LINE.exec(line);
    if (!m) continue;
    const [, name, labels, raw] = m;
    const value = Number(raw);
    if (name.startsWith('nodejs_gc')) {
      const kind = /kind="([^"]+)"/.exec(labels)?.[1] ?? '?';
      const k = (out.kinds[kind] ??= { seconds: 0, count: 0 });
      if (name.endsWith('_sum')) k.seconds = value;
      else k.count = value;
    } else {
      const space = /space="([^"]+)"/.exec(labels)?.[1] ?? '?';
      const s = (out.spaces[space] ??= { totalMB: 0, usedMB: 0 });
      const mb = Math.round((value / 1048576) * 10) / 10;
      if (name.includes('_total_')) s.totalMB = mb;
      else s.usedMB = mb;
    }
  }
  return out;
}

/** Scrapes `http://127.0.0.1:<port>/metrics`; undefined when the service does not answer in 5 s. */
export async function gcTotals(port: number): Promise<GcTotals | undefined> {
  try {
    const res = await fetch(`http://127.0.0.1:${port}/metrics`, { signal: AbortSignal.timeout(5000) });
    if (!res.ok) return undefined;
    return parseGcMetrics(await res.text());
  } catch {
    return undefined;
  }
}

/** GC between two scrapes: per kind, collections and milliseconds of pause per order. */
export function gcBetween(
  a: GcTotals | undefined,
  b: GcTotals | undefined,
  orders: number,
): Record<string, { count: number; msPerOrder: number }> | undefined {
  if (!a || !b) return undefined;
  const out: Record<string, { count: number; msPerOrder: number }> = {};
  for (const [kind, end] of Object.entries(b.kinds)) {
    const start = a.kinds[kind] ?? { seconds: 0, count: 0 };
    out[kind] = {
      count: end.count - start.count,
      msPerOrder: Math.round(((end.seconds - start.seconds) * 1000 * 1000) / Math.max(1, orders)) / 1000,
    };
  }
  return out;
}
