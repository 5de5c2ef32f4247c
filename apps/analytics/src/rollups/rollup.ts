import { cityDay } from '@app/platform';

/**
 * The daily rollups: what one order (its fact row and its callbacks) adds to `rate_daily`. The
 * rollup is a pure function of the facts, so maintaining it by the difference before and after each
 * event keeps it independent of arrival order and equal to a replay.
 */

/** Counters of one rollup row, each counted on the city day of its own instant. */
export const MEASURES = [
  'accepted',
  'answered',
  'merged',
  'not_accepted',
  'dispatched',
  'responded_on_time',
  'replied',
  'replied_on_time',
  'reworked',
  'closed',
  'callbacks',
  'callbacks_failed',
  'resolved',
  'satisfied',
  'basically_satisfied',
] as const;
export type Measure = (typeof MEASURES)[number];
export type Counts = Record<Measure, number>;

/**
 * Dimension sets of the rollup: every order lands once in each (the key '' = not known yet).
 * `district` is the district total; `unit_category` (unit/category) feeds a unit's top problems.
 * `not_accepted_reason` (不予受理 by reason) is the exception: only contacts not accepted land in it,
 * so it costs the other orders nothing.
 */
export const DIMENSIONS = [
  'district',
  'street',
  'unit',
  'category',
  'channel',
  'request_type',
  'unit_category',
  'not_accepted_reason',
] as const;
export type Dimension = (typeof DIMENSIONS)[number];

/** The dimension sets of an order that was not refused: all but `not_accepted_reason`. */
const ORDER_DIMENSIONS = DIMENSIONS.filter((d) => d !== 'not_accepted_reason');

/** What the rollup needs of a ticket_fact row. */
export interface FactForRollup {
  district_code: string;
  street_code: string | null;
  unit_id: string | null;
  category_code: string | null;
  channel: string | null;
  request_type: string | null;
  accepted_at: Date | null;
  answered_at: Date | null;
  /** 不予受理: when the contact was refused, and why (`NotAcceptedReason`); null for every other contact. */
  not_accepted_at: Date | null;
  not_accepted_reason: string | null;
  merged_count: number;
  dispatched_at: Date | null;
  contacted_at: Date | null;
  respond_due_at: Date | null;
  respond_breached: boolean;
  first_finish_due_at: Date | null;
  first_replied_at: Date | null;
  sent_back_count: number;
  reopen_count: number;
  closed_at: Date | null;
}

export interface CallbackForRollup {
  unit_id: string;
  completed_at: Date;
  failed: boolean;
  resolved: boolean | null;
  satisfaction: string | null;
}

/** One order as the rollup sees it: its fact row and its callbacks. */
export interface OrderForRollup {
  fact: FactForRollup;
  callbacks: CallbackForRollup[];
}

/** One rollup row's identity: `day|district|dimension|key`. */
export interface RollupKey {
  day: string;
  districtCode: string;
  dimension: Dimension;
  dimKey: string;
}

/** Every counter at zero (an object literal: built for every rollup row of every event, so kept cheap). */
export function emptyCounts(): Counts {
  return {
    accepted: 0,
    answered: 0,
    merged: 0,
    not_accepted: 0,
    dispatched: 0,
    responded_on_time: 0,
    replied: 0,
    replied_on_time: 0,
    reworked: 0,
    closed: 0,
    callbacks: 0,
    callbacks_failed: 0,
    resolved: 0,
    satisfied: 0,
    basically_satisfied: 0,
  };
}

/**
 * `into` += `sign` × `c`, counter by counter. Written out (as `emptyCounts` is) because it runs for
 * every rollup row of every order a batch touches, and a loop over `MEASURES` is a keyed access per
 * counter that V8 cannot specialise (rollup.spec.ts checks that every measure is here).
 */
export function addCounts(into: Counts, c: Counts, sign: 1 | -1): void {
  into.accepted += sign * c.accepted;
  into.answered += sign * c.answered;
  into.merged += sign * c.merged;
  into.not_accepted += sign * c.not_accepted;
  into.dispatched += sign * c.dispatched;
  into.responded_on_time += sign * c.responded_on_time;
  into.replied += sign * c.replied;
  into.replied_on_time += sign * c.replied_on_time;
  into.reworked += sign * c.reworked;
  into.closed += sign * c.closed;
  into.callbacks += sign * c.callbacks;
  into.callbacks_failed += sign * c.callbacks_failed;
  into.resolved += sign * c.resolved;
  into.satisfied += sign * c.satisfied;
  into.basically_satisfied += sign * c.basically_satisfied;
}

/** Whether every counter is zero. */
export function isZeroCounts(c: Counts): boolean {
  return countsInOrder(c).every((v) => v === 0);
}

/** Whether some counter is below zero (a row a difference took away from, which may be left at zero). */
export function hasNegativeCounts(c: Counts): boolean {
  return countsInOrder(c).some((v) => v < 0);
}

/** The counters in `MEASURES`' order (written out, as `addCounts` is). */
export function countsInOrder(c: Counts): number[] {
  return [
    c.accepted,
    c.answered,
    c.merged,
    c.not_accepted,
    c.dispatched,
    c.responded_on_time,
    c.replied,
    c.replied_on_time,
    c.reworked,
    c.closed,
    c.callbacks,
    c.callbacks_failed,
    c.resolved,
    c.satisfied,
    c.basically_satisfied,
  ];
}

export function keyString(k: RollupKey): string {
  return `${k.day}|${k.districtCode}|${k.dimension}|${k.dimKey}`;
}

export function parseKey(s: string): RollupKey {
  // The key of the dimension may hold '|' itself: everything after the third one is it.
  const a = s.indexOf('|');
  const b = s.indexOf('|', a + 1);
  const c = s.indexOf('|', b + 1);
  return { day: s.slice(0, a), districtCode: s.slice(a + 1, b), dimension: s.slice(b + 1, c) as Dimension, dimKey: s.slice(c + 1) };
}

function dimensionKeys(f: FactForRollup, unitId: string | null): Record<Dimension, string> {
  return {
    district: '',
    street: f.street_code ?? '',
    unit: unitId ?? '',
    category: f.category_code ?? '',
    channel: f.channel ?? '',
    request_type: f.request_type ?? '',
    unit_category: `${unitId ?? ''}/${f.category_code ?? ''}`,
    not_accepted_reason: f.not_accepted_reason ?? '',
  };
}

class Collector {
  readonly rows = new Map<string, Counts>();
  /** The dimension keys of the order, by unit (its own, or a callback's): `dimension|key` each. */
  private readonly keys = new Map<string | null, string[]>();

  constructor(private readonly zone: string) {}

  add(f: FactForRollup, unitId: string | null, at: Date, measures: Partial<Counts>): void {
    const prefix = `${cityDay(at, this.zone)}|${f.district_code}|`;
    let keys = this.keys.get(unitId);
    if (!keys) {
      const k = dimensionKeys(f, unitId);
      const dimensions = f.not_accepted_reason === null ? ORDER_DIMENSIONS : DIMENSIONS;
      this.keys.set(unitId, (keys = dimensions.map((d) => `${d}|${k[d]}`)));
    }
    for (const dk of keys) {
      const k = prefix + dk; // keyString()
      let row = this.rows.get(k);
      if (!row) this.rows.set(k, (row = emptyCounts()));
      for (const m in measures) row[m as Measure] += measures[m as Measure]!;
    }
  }
}

/** Everything one order contributes to the rollup, by row. The formulas are in docs/architecture.md. */
export function contributions(f: FactForRollup | null, callbacks: CallbackForRollup[], zone: string): Map<string, Counts> {
  const c = new Collector(zone);
  if (!f) return c.rows;
  const unit = f.unit_id;
  const contactDay = f.accepted_at ?? f.answered_at;
  if (f.accepted_at) c.add(f, unit, f.accepted_at, { accepted: 1 });
  if (f.answered_at) c.add(f, unit, f.answered_at, { answered: 1 });
  if (f.not_accepted_at) c.add(f, unit, f.not_accepted_at, { not_accepted: 1 });
  if (contactDay && f.merged_count > 0) c.add(f, unit, contactDay, { merged: f.merged_count });
  if (f.dispatched_at) {
    const onTime = !!f.contacted_at && !f.respond_breached && (!f.respond_due_at || f.contacted_at <= f.respond_due_at);
    c.add(f, unit, f.dispatched_at, { dispatched: 1, responded_on_time: onTime ? 1 : 0 });
  }
  if (f.first_replied_at) {
    const onTime = !!f.first_finish_due_at && f.first_replied_at <= f.first_finish_due_at;
    const reworked = f.sent_back_count + f.reopen_count > 0;
    c.add(f, unit, f.first_replied_at, { replied: 1, replied_on_time: onTime ? 1 : 0, reworked: reworked ? 1 : 0 });
  }
  if (f.closed_at) c.add(f, unit, f.closed_at, { closed: 1 });
  for (const cb of callbacks) {
    // A callback counts for the unit whose reply was called back (the hotline centre for first-contact answers).
    if (cb.failed) c.add(f, cb.unit_id, cb.completed_at, { callbacks_failed: 1 });
    else
      c.add(f, cb.unit_id, cb.completed_at, {
        callbacks: 1,
        resolved: cb.resolved ? 1 : 0,
        satisfied: cb.satisfaction === 'satisfied' ? 1 : 0,
        basically_satisfied: cb.satisfaction === 'basically_satisfied' ? 1 : 0,
      });
  }
  return c.rows;
}

/**
 * Add each row of `rows` into `into` (`sign` −1: take it away): a rollup difference summed over the
 * orders an event or a batch changed (their contributions after, less before).
 */
export function addContributions(into: Map<string, Counts>, rows: Map<string, Counts>, sign: 1 | -1): void {
  for (const [key, c] of rows) {
    let sum = into.get(key);
    if (!sum) into.set(key, (sum = emptyCounts()));
    addCounts(sum, c, sign);
  }
}

/** after − before, without the rows that did not change; sorted by key so that writers lock rows in one order. */
export function rollupDelta(before: Map<string, Counts>, after: Map<string, Counts>): [RollupKey, Counts][] {
  const sum = new Map<string, Counts>();
  addContributions(sum, before, -1);
  addContributions(sum, after, 1);
  return [...sum.keys()]
    .filter((k) => !isZeroCounts(sum.get(k)!))
    .sort()
    .map((k) => [parseKey(k), sum.get(k)!]);
}

/** The daily volume's counts of `events`: how many of them by `day|district|type` (the city day of each one's instant). */
export function countEvents(events: Iterable<{ occurredAt: string; district: string; type: string }>, zone: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const e of events) {
    const k = `${cityDay(new Date(e.occurredAt), zone)}|${e.district}|${e.type}`;
    counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  return counts;
}
