import { EventEnvelope } from '@app/contracts';
import { TransactionHost, TxHost } from '@app/platform';
import { Inject, Injectable } from '@nestjs/common';
import { ANALYTICS_CONFIG, AnalyticsConfig } from '../analytics.config';
import { CallbackForRollup, Counts, FactForRollup, MEASURES, OrderForRollup, RollupKey } from '../rollups/rollup';
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
   * Create the order's row if it is new and lock it for this transaction; returns what the rollup
   * needs of it and of its callbacks. Every change to an order goes through this lock, so the
   * before/after difference applied to the rollup is never computed from a stale row.
   */
  async lockOrder(ticketId: string, districtCode: string): Promise<OrderForRollup> {
    // One statement for an order already known (every event after its first): the row, locked,
    // with its callbacks. A new order's row is created first (a concurrent creator waits on it).
    const read = (): Promise<(FactForRollup & { callbacks: (CallbackForRollup & { completed_at: string })[] })[]> =>
      this.txHost.tx.query(
        `SELECT ${FACT_COLUMNS},
                COALESCE((SELECT json_agg(json_build_object(${CALLBACK_COLUMNS.split(', ')
                  .map((c) => `'${c}', c.${c}`)
                  .join(', ')})) FROM callback_fact c WHERE c.ticket_id = f.ticket_id), '[]'::json) AS callbacks
           FROM ticket_fact f WHERE f.ticket_id = $1 FOR UPDATE OF f`,
        [ticketId],
      );
    let [row] = await read();
    if (!row) {
      await this.txHost.tx.query(`INSERT INTO ticket_fact (ticket_id, district_code) VALUES ($1, $2) ON CONFLICT (ticket_id) DO NOTHING`, [
        ticketId,
        districtCode,
      ]);
      [row] = await read();
    }
    const { callbacks, ...fact } = row;
    return { fact, callbacks: callbacks.map((c) => ({ ...c, completed_at: new Date(c.completed_at) })) };
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

  /** The unit's name as of its latest dispatch. */
  async upsertUnitName({ unitId, districtCode, name, seenAt }: UnitNameSeen): Promise<void> {
    await this.txHost.tx.query(
      `INSERT INTO unit_name (unit_id, district_code, name, seen_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (unit_id) DO UPDATE SET name = EXCLUDED.name, district_code = EXCLUDED.district_code, seen_at = EXCLUDED.seen_at
       WHERE (EXCLUDED.seen_at, EXCLUDED.name) > (unit_name.seen_at, unit_name.name)`,
      [unitId, districtCode, name, seenAt],
    );
  }

  /**
   * Add a difference to the rollup rows (in key order, so concurrent writers lock in one order), and
   * count `event` in the daily volume (`event_daily`) in the same statement; drop rows left at zero.
   * Only a row some counter went down in can be left at zero (the counters never go below it), so
   * the delete runs only for those: most events only count up.
   */
  async applyRollupDelta(delta: [RollupKey, Counts][], event?: EventEnvelope): Promise<void> {
    const cols = MEASURES.join(', ');
    const rows = delta.map(([k, c]) => [k.dimension, k.day, k.districtCode, k.dimKey, ...MEASURES.map((x) => c[x])]);
    const width = 4 + MEASURES.length;
    const values = rows.map((_, i) => `(${Array.from({ length: width }, (__, j) => `$${i * width + j + 1}`).join(', ')})`).join(', ');
    const params: unknown[] = rows.flat();
    const rollup = `INSERT INTO rate_daily (dimension, day, district_code, dim_key, ${cols}) VALUES ${values}
       ON CONFLICT (dimension, day, district_code, dim_key) DO UPDATE SET ${MEASURES.map((x) => `${x} = rate_daily.${x} + EXCLUDED.${x}`).join(', ')}`;
    if (event) {
      const n = params.length;
      params.push(event.occurredAt, this.config.CITY_TIME_ZONE, event.district, event.type);
      const count = `INSERT INTO event_daily (day, district_code, type, count)
       VALUES (($${n + 1}::timestamptz AT TIME ZONE $${n + 2})::date, $${n + 3}, $${n + 4}, 1)
       ON CONFLICT (day, district_code, type) DO UPDATE SET count = event_daily.count + 1`;
      await this.txHost.tx.query(rows.length ? `WITH counted AS (${count}) ${rollup}` : count, params);
    } else if (rows.length) {
      await this.txHost.tx.query(rollup, params);
    }
    if (!delta.length) return;
    const down = delta.filter(([, c]) => MEASURES.some((x) => c[x] < 0)).map(([k]) => k);
    if (!down.length) return;
    await this.txHost.tx.query(
      `DELETE FROM rate_daily r USING (SELECT * FROM unnest($1::text[], $2::date[], $3::text[], $4::text[]) AS t(dimension, day, district_code, dim_key)) t
        WHERE r.dimension = t.dimension AND r.day = t.day AND r.district_code = t.district_code AND r.dim_key = t.dim_key
          AND ${MEASURES.map((x) => `r.${x} = 0`).join(' AND ')}`,
      [down.map((k) => k.dimension), down.map((k) => k.day), down.map((k) => k.districtCode), down.map((k) => k.dimKey)],
    );
  }
}
