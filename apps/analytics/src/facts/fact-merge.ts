import type { Merge } from './facts.repository';

/**
 * The merge rules of the fact rows (`Merge`, facts.repository.ts) and the 转区 move, in memory:
 * the live consumers and the replay apply a batch of events to the rows they have read and locked
 * (fact-batch.ts `applyEffects`), then write each changed row once. SQL's null semantics are kept
 * (LEAST / GREATEST ignore nulls, a row comparison with a null is not false), as when these merges
 * were per-event upserts.
 */

/** A ticket_fact row as Postgres returns it (timestamps as Date). */
export type FactRow = Record<string, unknown> & { ticket_id: string; district_code: string };

/** The timestamptz columns of ticket_fact: event values (ISO strings) become Dates, as Postgres returns them. */
export const FACT_TIMESTAMPS = new Set([
  'district_moved_at',
  'unit_dispatched_at',
  'finish_due_at',
  'finish_due_set_at',
  'accepted_at',
  'answered_at',
  'not_accepted_at',
  'dispatched_at',
  'contacted_at',
  'respond_due_at',
  'respond_due_set_at',
  'first_finish_due_at',
  'first_finish_due_set_at',
  'first_replied_at',
  'last_replied_at',
  'closed_at',
]);

function typed(column: string, v: unknown): unknown {
  if (v === undefined || v === null) return null;
  return FACT_TIMESTAMPS.has(column) && !(v instanceof Date) ? new Date(v as string) : v;
}

/** SQL's comparison of two non-null values of one column: <0, 0, >0. */
function compare(a: unknown, b: unknown): number {
  if (a instanceof Date && b instanceof Date) return a.getTime() - b.getTime();
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  const [x, y] = [String(a), String(b)];
  return x < y ? -1 : x > y ? 1 : 0;
}

/** LEAST / GREATEST: nulls ignored. */
function extreme(a: unknown, b: unknown, sign: 1 | -1): unknown {
  if (a === null) return b;
  if (b === null) return a;
  return compare(a, b) * sign >= 0 ? a : b;
}

/** `(ROW(neu) >= ROW(old)) IS NOT FALSE`: decided by the first pair that differs or holds a null. */
function rowNotOlder(neu: unknown[], old: unknown[]): boolean {
  for (let i = 0; i < neu.length; i++) {
    if (neu[i] === null || old[i] === null) return true;
    const c = compare(neu[i], old[i]);
    if (c !== 0) return c > 0;
  }
  return true;
}

/**
 * `values` merged into the row, each column by its rule. Every column is worked out from `old` (as
 * an UPDATE's SET reads the row before it); the result goes into `into` (which may be `old` itself:
 * a batch keeps one copy per order) or a new row.
 */
export function mergeFact(old: FactRow, values: Record<string, [unknown, Merge]>, into?: FactRow): FactRow {
  const proposed = (c: string) => (c in values ? typed(c, values[c][0]) : null);
  const set: [string, unknown][] = [];
  for (const [c, [raw, how]] of Object.entries(values)) {
    const v = typed(c, raw);
    const o = (old[c] ?? null) as unknown;
    if (typeof how === 'object') {
      set.push([
        c,
        rowNotOlder(
          how.by.map(proposed),
          how.by.map((b) => old[b] ?? null),
        )
          ? v
          : o,
      ]);
      continue;
    }
    switch (how) {
      case 'first':
        set.push([c, o ?? v]);
        break;
      case 'first_here':
        set.push([c, o ?? (typeof v === 'string' && v.startsWith(old.district_code) ? v : null)]);
        break;
      case 'earliest':
        set.push([c, extreme(o, v, -1)]);
        break;
      case 'latest':
      case 'greatest':
        set.push([c, extreme(o, v, 1)]);
        break;
      case 'add':
        set.push([c, o === null || v === null ? null : (o as number) + (v as number)]);
        break;
      case 'or':
        set.push([c, o === true || v === true ? true : o === null || v === null ? null : false]);
        break;
    }
  }
  const next: FactRow = into ?? { ...old };
  for (const [c, v] of set) next[c] = v;
  return next;
}

/**
 * 转区: the order counts for its new district from now on, in every period (the district that
 * handles it answers for it). The street stays only when it lies in the new district. The latest
 * move wins, whatever order the events arrive in: null when an older move changed nothing.
 */
export function moveFact(old: FactRow, to: string, streetCode: string | null, at: string): FactRow | null {
  const when = new Date(at);
  const movedAt = old.district_moved_at as Date | null;
  if (movedAt && movedAt.getTime() > when.getTime()) return null;
  const street = old.street_code as string | null;
  const community = old.community_code as string | null;
  return {
    ...old,
    district_code: to,
    district_moved_at: when,
    street_code: streetCode !== null ? streetCode : street !== null && street.startsWith(to) ? street : null,
    community_code: community !== null && community.startsWith(streetCode ?? to) ? community : null,
  };
}
