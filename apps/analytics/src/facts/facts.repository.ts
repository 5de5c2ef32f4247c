import { TransactionHost, TxHost } from '@app/platform';
import { Inject, Injectable } from '@nestjs/common';
import { ANALYTICS_CONFIG, AnalyticsConfig } from '../analytics.config';
import { arrayLiteral } from '../common/pg-array';
import { CallbackForRollup, Counts, FactForRollup, Measure, MEASURES, OrderForRollup, parseKey } from '../rollups/rollup';
import type { UnitNameSeen } from './fact-effects';

/**
 * How a new value merges with the stored one. `{ by }` takes the new value when its ordering
 * columns (compared as a row, new ≥ old, nulls losing) are not older: the reply text with the
 * latest reply, the finish due time with the latest cycle.
 */
/**
 * `first_here`: like `first`, but only a value inside the order's district (a code prefixed by it),
 * so a street or community from before a 转区 that arrives after the move never comes back.
 */
export type Merge = 'first' | 'first_here' | 'earliest' | 'latest' | 'greatest' | 'add' | 'or' | { by: string[] };

function mergeSql(c: string, how: Merge): string {
  if (typeof how === 'object') {
    const row = (t: string) => `ROW(${how.by.map((b) => `${t}.${b}`).join(', ')})`;
    return `${c} = CASE WHEN (${row('EXCLUDED')} >= ${row('ticket_fact')}) IS NOT FALSE THEN EXCLUDED.${c} ELSE ticket_fact.${c} END`;
  }
  switch (how) {
    case 'first':
      return `${c} = COALESCE(ticket_fact.${c}, EXCLUDED.${c})`;
    case 'first_here':
      return `${c} = COALESCE(ticket_fact.${c}, CASE WHEN EXCLUDED.${c} LIKE ticket_fact.district_code || '%' THEN EXCLUDED.${c} END)`;
    case 'earliest':
      return `${c} = LEAST(ticket_fact.${c}, EXCLUDED.${c})`;
    case 'latest':
    case 'greatest':
      return `${c} = GREATEST(ticket_fact.${c}, EXCLUDED.${c})`;
    case 'add':
      return `${c} = ticket_fact.${c} + EXCLUDED.${c}`;
    case 'or':
      return `${c} = ticket_fact.${c} OR EXCLUDED.${c}`;
  }
}

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

const FACT_COLUMNS = `district_code, street_code, unit_id, category_code, channel, request_type, accepted_at, answered_at,
  merged_count, dispatched_at, contacted_at, respond_due_at, respond_breached, first_finish_due_at, first_replied_at,
  sent_back_count, reopen_count, closed_at`;
const CALLBACK_COLUMNS = 'unit_id, completed_at, failed, resolved, satisfaction';

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
   * deadlocking. Returns, by (lower-case) ticket id, what the rollup needs of each order and of its
   * callbacks: every change to an order goes through this lock, so the before/after difference
   * applied to the rollup is never computed from a stale row.
   */
  async lockOrders(orders: { ticketId: string; districtCode: string }[]): Promise<Map<string, OrderForRollup>> {
    const byId = new Map<string, string>();
    for (const o of orders) if (!byId.has(o.ticketId.toLowerCase())) byId.set(o.ticketId.toLowerCase(), o.districtCode);
    const ids = [...byId.keys()].sort();
    const out = new Map<string, OrderForRollup>();
    if (!ids.length) return out;
    await this.txHost.tx.query(
      `INSERT INTO ticket_fact (ticket_id, district_code)
       SELECT id, district FROM unnest($1::uuid[], $2::text[]) WITH ORDINALITY AS t(id, district, n) ORDER BY n
       ON CONFLICT (ticket_id) DO UPDATE SET district_code = EXCLUDED.district_code WHERE false`,
      [arrayLiteral(ids), arrayLiteral(ids.map((id) => byId.get(id) ?? ''))],
    );
    // Locked by this transaction now: read as they stand (a new snapshot), with their callbacks.
    const rows: (FactForRollup & { ticket_id: string; callbacks: (CallbackForRollup & { completed_at: string })[] })[] =
      await this.txHost.tx.query(
        `SELECT f.ticket_id, ${FACT_COLUMNS},
                COALESCE((SELECT json_agg(json_build_object(${CALLBACK_COLUMNS.split(', ')
                  .map((c) => `'${c}', c.${c}`)
                  .join(', ')})) FROM callback_fact c WHERE c.ticket_id = f.ticket_id), '[]'::json) AS callbacks
           FROM ticket_fact f WHERE f.ticket_id = ANY($1::uuid[])`,
        [arrayLiteral(ids)],
      );
    for (const { ticket_id, callbacks, ...fact } of rows) {
      out.set(ticket_id, { fact, callbacks: callbacks.map((c) => ({ ...c, completed_at: new Date(c.completed_at) })) });
    }
    return out;
  }

  /** Merge `values` into the order's row; returns the row as written (what the rollup needs of it). */
  async upsertTicket(ticketId: string, districtCode: string, values: Record<string, [unknown, Merge]>): Promise<FactForRollup> {
    const cols = Object.keys(values);
    const params = [ticketId, districtCode, ...cols.map((c) => values[c][0])];
    const placeholders = cols.map((_, i) => `$${i + 3}`);
    const [fact]: FactForRollup[] = await this.txHost.tx.query(
      `INSERT INTO ticket_fact (ticket_id, district_code${cols.map((c) => `, ${c}`).join('')})
       VALUES ($1, $2${placeholders.map((p) => `, ${p}`).join('')})
       ON CONFLICT (ticket_id) DO UPDATE SET ${cols.map((c) => mergeSql(c, values[c][1])).join(', ') || 'district_code = EXCLUDED.district_code'}
       RETURNING ${FACT_COLUMNS}`,
      params,
    );
    return fact;
  }

  /**
   * 转区: the order counts for its new district from now on, in every period (the district that
   * handles it answers for it). The street stays only when it lies in the new district. The latest
   * move wins, whatever order the events arrive in. Returns the row as written, or null when an
   * older move arrived late and changed nothing.
   */
  async moveDistrict(ticketId: string, to: string, streetCode: string | null, at: string): Promise<FactForRollup | null> {
    const [rows]: [FactForRollup[], number] = await this.txHost.tx.query(
      `UPDATE ticket_fact SET district_code = $2, district_moved_at = $4,
              street_code = CASE WHEN $3::text IS NOT NULL THEN $3::text WHEN street_code LIKE $2 || '%' THEN street_code END,
              community_code = CASE WHEN community_code LIKE COALESCE($3::text, $2) || '%' THEN community_code END
        WHERE ticket_id = $1 AND (district_moved_at IS NULL OR district_moved_at <= $4)
        RETURNING ${FACT_COLUMNS}`,
      [ticketId, to, streetCode, at],
    );
    return rows[0] ?? null;
  }

  /** Record a callback once; returns what the rollup needs of it, or null when it was already there. */
  async upsertCallback(f: CallbackRow): Promise<CallbackForRollup | null> {
    const [added]: CallbackForRollup[] = await this.txHost.tx.query(
      `INSERT INTO callback_fact (task_id, ticket_id, district_code, unit_id, cycle, completed_at, failed, contacted, resolved, satisfaction, kind, comment)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) ON CONFLICT (task_id) DO NOTHING
       RETURNING ${CALLBACK_COLUMNS}`,
      [
        f.taskId,
        f.ticketId,
        f.districtCode,
        f.unitId,
        f.cycle,
        f.completedAt,
        f.failed,
        f.contacted,
        f.resolved,
        f.satisfaction,
        f.kind,
        f.comment,
      ],
    );
    return added ?? null;
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
    const moved = [...delta.keys()].filter((k) => MEASURES.some((x) => delta.get(k)?.[x] !== 0)).sort();
    if (!moved.length) return;
    const keys = moved.map(parseKey);
    const sums = moved.map((k) => delta.get(k) as Counts);
    const column = (x: Measure) => {
      const out = new Array<number>(sums.length);
      for (let i = 0; i < sums.length; i++) out[i] = sums[i][x];
      return arrayLiteral(out);
    };
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
      [...keyColumns(keys), ...MEASURES.map(column)],
    );
    const down = keys.filter((_, i) => MEASURES.some((x) => sums[i][x] < 0));
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
