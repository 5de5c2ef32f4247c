import { TransactionHost, TxHost } from '@app/platform';
import { Inject, Injectable } from '@nestjs/common';
import { ANALYTICS_CONFIG, AnalyticsConfig } from '../analytics.config';
import { arrayLiteral } from '../common/pg-array';
import { Counts, countsInOrder, hasNegativeCounts, isZeroCounts, MEASURES, parseKey } from '../rollups/rollup';
import { CallbackState, OrderInBatch, orderAsRead } from './fact-batch';
import type { UnitNameSeen } from './fact-effects';
import type { FactRow } from './fact-merge';

/**
 * How a new value merges with the stored one (`mergeFact`, fact-merge.ts, with SQL's null
 * semantics): `first` keeps the stored value when there is one; `first_here` likewise, but takes
 * only a value inside the order's district (a code prefixed by it), so a street or community from
 * before a 转区 that arrives after the move never comes back; `earliest` / `latest` / `greatest` as
 * LEAST / GREATEST; `add` sums; `or` ORs. `{ by }` takes the new value when its ordering columns
 * (compared as a row, new ≥ old, a null deciding for the new) are not older: the reply text with the
 * latest reply, the finish due time with the latest cycle.
 */
export type Merge = 'first' | 'first_here' | 'earliest' | 'latest' | 'greatest' | 'add' | 'or' | { by: string[] };

export interface CallbackRow {
  taskId: string;
  ticketId: string;
  districtCode: string;
  unitId: string;
  cycle: number;
  completedAt: Date;
  failed: boolean;
  contacted: boolean | null;
  resolved: boolean | null;
  satisfaction: string | null;
  /** The citizen's comment (callback.completed.v1), or the reason the callback failed. */
  comment: string | null;
  kind: string;
}

/** What the rollup reads of a callback (`CallbackState`). */
const CALLBACK_COLUMNS = ['task_id', 'ticket_id', 'unit_id', 'completed_at', 'failed', 'resolved', 'satisfaction'];

/**
 * Upserts into the fact tables and the daily rollup. Each fact column says how a new value merges
 * with what is there, which is what makes the read model independent of arrival order.
 */
@Injectable()
export class FactsRepository {
  constructor(
    @Inject(TransactionHost) private readonly txHost: TxHost,
    @Inject(ANALYTICS_CONFIG) private readonly config: AnalyticsConfig,
  ) {}

  /**
   * Create the orders' rows that are new (under the district given) and lock every one of them for
   * this transaction, in ticket order, in one statement: `INSERT … ON CONFLICT DO UPDATE … WHERE
   * false` inserts the new rows and locks the existing ones without writing them, row after row in
   * the order of its input. Every transaction of the projector takes its orders' locks this way and
   * before any other row of the read model, so two batches over the same orders queue instead of
   * deadlocking. Then reads them as they stand (a new snapshot), with their callbacks, by
   * (lower-case) ticket id: every change to an order goes through this lock, so the before/after
   * difference applied to the rollup is never computed from a stale row. `knownTasks`: of `taskIds`
   * and the orders' callbacks, the tasks already recorded.
   */
  async lockOrders(
    districts: ReadonlyMap<string, string>,
    taskIds: readonly string[],
  ): Promise<{ orders: Map<string, OrderInBatch>; knownTasks: Set<string> }> {
    const ids = [...districts.keys()].sort();
    const orders = new Map<string, OrderInBatch>();
    const knownTasks = new Set<string>();
    if (!ids.length) return { orders, knownTasks };
    await this.txHost.tx.query(
      `INSERT INTO ticket_fact (ticket_id, district_code)
       SELECT id, district FROM unnest($1::uuid[], $2::text[]) WITH ORDINALITY AS t(id, district, n) ORDER BY n
       ON CONFLICT (ticket_id) DO UPDATE SET district_code = EXCLUDED.district_code WHERE false`,
      [arrayLiteral(ids), arrayLiteral(ids.map((id) => districts.get(id) ?? ''))],
    );
    const rows: (FactRow & { callbacks_of_order: (CallbackState & { completed_at: string })[] })[] = await this.txHost.tx.query(
      `SELECT f.*, COALESCE((SELECT json_agg(json_build_object(${CALLBACK_COLUMNS.map((c) => `'${c}', c.${c}`).join(', ')}))
                               FROM callback_fact c WHERE c.ticket_id = f.ticket_id), '[]'::json) AS callbacks_of_order
         FROM ticket_fact f WHERE f.ticket_id = ANY($1::uuid[])`,
      [arrayLiteral(ids)],
    );
    for (const { callbacks_of_order, ...fact } of rows) {
      const callbacks = callbacks_of_order.map((c) => ({ ...c, completed_at: new Date(c.completed_at) }));
      for (const c of callbacks) knownTasks.add(c.task_id);
      orders.set(fact.ticket_id, orderAsRead(fact, callbacks));
    }
    const unknown = taskIds.filter((t) => !knownTasks.has(t));
    if (unknown.length) {
      const known: { task_id: string }[] = await this.txHost.tx.query(`SELECT task_id FROM callback_fact WHERE task_id = ANY($1::uuid[])`, [
        arrayLiteral(unknown),
      ]);
      for (const k of known) knownTasks.add(k.task_id);
    }
    return { orders, knownTasks };
  }

  /** Write the orders' rows as they are now (every column), in one statement: rows that exist, locked by this transaction. */
  async updateFacts(facts: readonly FactRow[]): Promise<void> {
    if (!facts.length) return;
    const cols = Object.keys(facts[0]).filter((c) => c !== 'ticket_id');
    await this.txHost.tx.query(
      `UPDATE ticket_fact t SET ${cols.map((c) => `${c} = r.${c}`).join(', ')}
         FROM jsonb_populate_recordset(NULL::ticket_fact, $1::jsonb) r WHERE t.ticket_id = r.ticket_id`,
      [JSON.stringify(facts)],
    );
  }

  /** New callback_fact rows (as `applyEffects` gives them), each task once, in one statement. */
  async insertCallbacks(rows: readonly Record<string, unknown>[]): Promise<void> {
    if (!rows.length) return;
    await this.txHost.tx.query(
      `INSERT INTO callback_fact SELECT * FROM jsonb_populate_recordset(NULL::callback_fact, $1::jsonb) ON CONFLICT (task_id) DO NOTHING`,
      [JSON.stringify(rows)],
    );
  }

  /**
   * The units' names as of their latest dispatch (of several sightings of one unit, the latest; the
   * stored one when it is later still), in unit order, in one statement.
   */
  async upsertUnitNames(seen: UnitNameSeen[]): Promise<void> {
    const latest = new Map<string, UnitNameSeen>();
    for (const u of seen) {
      const had = latest.get(u.unitId);
      if (!had || isLaterSighting(u, had)) latest.set(u.unitId, u);
    }
    if (!latest.size) return;
    const u = [...latest.values()].sort((a, b) => (a.unitId < b.unitId ? -1 : a.unitId > b.unitId ? 1 : 0));
    await this.txHost.tx.query(
      `INSERT INTO unit_name (unit_id, district_code, name, seen_at)
       SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::timestamptz[])
       ON CONFLICT (unit_id) DO UPDATE SET name = EXCLUDED.name, district_code = EXCLUDED.district_code, seen_at = EXCLUDED.seen_at
       WHERE (EXCLUDED.seen_at, EXCLUDED.name COLLATE "C", EXCLUDED.district_code COLLATE "C")
           > (unit_name.seen_at, unit_name.name COLLATE "C", unit_name.district_code COLLATE "C")`,
      [
        arrayLiteral(u.map((x) => x.unitId)),
        arrayLiteral(u.map((x) => x.districtCode)),
        u.map((x) => x.name),
        arrayLiteral(u.map((x) => x.seenAt)),
      ],
    );
  }

  /** Count events in the daily volume: `count` by `day|district|type` key, in key order, one statement. */
  async addEventCounts(counts: Map<string, number>): Promise<void> {
    if (!counts.size) return;
    const keys = [...counts.keys()].sort();
    const parts = keys.map((k) => k.split('|'));
    await this.txHost.tx.query(
      `INSERT INTO event_daily (day, district_code, type, count) SELECT * FROM unnest($1::date[], $2::text[], $3::text[], $4::int[])
       ON CONFLICT (day, district_code, type) DO UPDATE SET count = event_daily.count + EXCLUDED.count`,
      [
        arrayLiteral(parts.map((k) => k[0])),
        arrayLiteral(parts.map((k) => k[1])),
        arrayLiteral(parts.map((k) => k[2])),
        arrayLiteral(keys.map((k) => counts.get(k) ?? 0)),
      ],
    );
  }

  /**
   * Add a difference (by `keyString` key) to the rollup rows, in key order (so that concurrent
   * writers lock them in one order), in one statement; then drop the rows left at zero. Only a row
   * some counter went down in can be left at zero (the counters never go below it), so the delete
   * runs only for those: most batches only count up.
   */
  async addToRollup(delta: Map<string, Counts>): Promise<void> {
    const moved: string[] = [];
    for (const [k, c] of delta) if (!isZeroCounts(c)) moved.push(k);
    if (!moved.length) return;
    moved.sort();
    const keys = moved.map(parseKey);
    const sums = moved.map((k) => delta.get(k)!);
    // One array per counter (in MEASURES' order), filled in one pass over the rows.
    const columns = MEASURES.map(() => new Array<number>(sums.length));
    for (let i = 0; i < sums.length; i++) {
      const values = countsInOrder(sums[i]);
      for (let j = 0; j < values.length; j++) columns[j][i] = values[j];
    }
    const keyColumns = (ks: typeof keys) => [
      arrayLiteral(ks.map((k) => k.dimension)),
      arrayLiteral(ks.map((k) => k.day)),
      arrayLiteral(ks.map((k) => k.districtCode)),
      arrayLiteral(ks.map((k) => k.dimKey)),
    ];
    await this.txHost.tx.query(
      `INSERT INTO rate_daily (dimension, day, district_code, dim_key, ${MEASURES.join(', ')})
       SELECT * FROM unnest($1::text[], $2::date[], $3::text[], $4::text[], ${MEASURES.map((_, i) => `$${i + 5}::int[]`).join(', ')})
       ON CONFLICT (dimension, day, district_code, dim_key) DO UPDATE SET ${MEASURES.map((x) => `${x} = rate_daily.${x} + EXCLUDED.${x}`).join(', ')}`,
      [...keyColumns(keys), ...columns.map(arrayLiteral)],
    );
    const down = keys.filter((_, i) => hasNegativeCounts(sums[i]));
    if (!down.length) return;
    await this.txHost.tx.query(
      `DELETE FROM rate_daily r USING unnest($1::text[], $2::date[], $3::text[], $4::text[]) AS t(dimension, day, district_code, dim_key)
        WHERE r.dimension = t.dimension AND r.day = t.day AND r.district_code = t.district_code AND r.dim_key = t.dim_key
          AND ${MEASURES.map((x) => `r.${x} = 0`).join(' AND ')}`,
      keyColumns(down),
    );
  }
}

/** Of two sightings of one unit, whether `a` is the later (by time, then name, then district, as the upsert compares them: a total order, so batches and one by one agree). */
function isLaterSighting(a: UnitNameSeen, b: UnitNameSeen): boolean {
  const [ta, tb] = [Date.parse(a.seenAt), Date.parse(b.seenAt)];
  if (ta !== tb) return ta > tb;
  return a.name !== b.name ? a.name > b.name : a.districtCode > b.districtCode;
}
