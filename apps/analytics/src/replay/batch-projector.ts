import { EventEnvelope } from '@app/contracts';
import { durableName, TxHost } from '@app/platform';
import { AnalyticsConfig } from '../analytics.config';
import { effectOf, UnitNameSeen } from '../facts/fact-effects';
import { FactRow, mergeFact, moveFact } from '../facts/fact-merge';
import {
  CallbackForRollup,
  cityDay,
  contributions,
  Counts,
  emptyCounts,
  FactForRollup,
  keyString,
  MEASURES,
  parseKey,
  rollupDelta,
} from '../rollups/rollup';

interface CallbackState extends CallbackForRollup {
  task_id: string;
  ticket_id: string;
}

interface OrderState {
  before: { fact: FactRow; callbacks: CallbackState[] };
  fact: FactRow;
  callbacks: CallbackState[];
  changed: boolean;
}

export interface BatchOutcome {
  applied: number;
  /** Already in the inbox (applied by the live consumers, or earlier in the stream). */
  duplicates: number;
}

/**
 * The replay's projector: a batch of events (in stream order) applied in memory with exactly the
 * live projector's effects (`effectOf`) and merge rules (`mergeFact`, `moveFact`), then written with
 * a fixed number of set-based statements whatever the batch size: the inbox rows, the orders'
 * rows created and locked, their callbacks read, the final rows written, the new callbacks, the unit
 * names, the event counts and the rollup difference (and the delete of rollup rows left at zero).
 * The rollup moves by (contributions after the batch − before it) per order, which is the sum of
 * the per-event differences the live projector applies. Run it in one transaction per batch (the caller's `txHost.withTransaction`).
 */
export class BatchProjector {
  constructor(
    private readonly txHost: TxHost,
    private readonly config: AnalyticsConfig,
  ) {}

  /** Apply `events` in the transaction of the TransactionHost (`txHost.withTransaction`). */
  async apply(events: EventEnvelope[]): Promise<BatchOutcome> {
    const m = this.txHost.tx;
    if (!events.length) return { applied: 0, duplicates: 0 };
    const zone = this.config.CITY_TIME_ZONE;

    // 1. the inbox: what is new (the first of a repeated event id only)
    const consumers = events.map((e) => durableName('analytics', e.type));
    const fresh: { consumer: string; event_id: string }[] = await m.query(
      `INSERT INTO inbox (consumer, event_id) SELECT * FROM unnest($1::text[], $2::uuid[])
       ON CONFLICT DO NOTHING RETURNING consumer, event_id`,
      [consumers, events.map((e) => e.id)],
    );
    const todo = new Set(fresh.map((r) => `${r.consumer} ${r.event_id}`));
    const apply = events.filter((e, i) => todo.delete(`${consumers[i]} ${e.id}`));
    const outcome = { applied: apply.length, duplicates: events.length - apply.length };
    if (!apply.length) return outcome;

    // 2. the effects, and the orders they touch (created under the district of their first change)
    const effects = apply.map(effectOf);
    const firstDistrict = new Map<string, string>();
    for (const { change } of effects)
      if (change && !firstDistrict.has(change.ticketId)) firstDistrict.set(change.ticketId, change.district);
    const ids = [...firstDistrict.keys()].sort();
    const orders = new Map<string, OrderState>();
    const taskIds = effects.flatMap(({ change }) => (change?.kind === 'callback' ? [change.row.taskId] : []));
    const knownTasks = new Set<string>();
    if (ids.length) {
      await m.query(
        `INSERT INTO ticket_fact (ticket_id, district_code) SELECT * FROM unnest($1::uuid[], $2::text[]) ORDER BY 1
         ON CONFLICT (ticket_id) DO NOTHING`,
        [ids, ids.map((id) => firstDistrict.get(id)!)],
      );
      const facts: FactRow[] = await m.query(`SELECT * FROM ticket_fact WHERE ticket_id = ANY($1::uuid[]) ORDER BY ticket_id FOR UPDATE`, [
        ids,
      ]);
      const callbacks: CallbackState[] = await m.query(
        `SELECT task_id, ticket_id, unit_id, completed_at, failed, resolved, satisfaction FROM callback_fact
          WHERE ticket_id = ANY($1::uuid[]) OR task_id = ANY($2::uuid[])`,
        [ids, taskIds],
      );
      for (const f of facts) orders.set(f.ticket_id, { before: { fact: f, callbacks: [] }, fact: f, callbacks: [], changed: false });
      for (const c of callbacks) {
        knownTasks.add(c.task_id);
        const o = orders.get(c.ticket_id);
        if (o) {
          o.before.callbacks.push(c);
          o.callbacks.push(c);
        }
      }
    }

    // 3. in memory, in stream order
    const units = new Map<string, UnitNameSeen>();
    const newCallbacks: Record<string, unknown>[] = [];
    for (const { unitName, change } of effects) {
      if (unitName) {
        const had = units.get(unitName.unitId);
        const newer = (a: UnitNameSeen, b: UnitNameSeen) => {
          const [ta, tb] = [Date.parse(a.seenAt), Date.parse(b.seenAt)];
          return ta !== tb ? ta > tb : a.name > b.name;
        };
        if (!had || newer(unitName, had)) units.set(unitName.unitId, unitName);
      }
      if (!change) continue;
      const o = orders.get(change.ticketId)!;
      switch (change.kind) {
        case 'merge':
          o.fact = mergeFact(o.fact, change.values);
          o.changed = true;
          break;
        case 'move': {
          const moved = moveFact(o.fact, change.district, change.streetCode, change.at);
          if (moved) {
            o.fact = moved;
            o.changed = true;
          }
          break;
        }
        case 'callback': {
          const r = change.row;
          if (knownTasks.has(r.taskId)) break;
          knownTasks.add(r.taskId);
          o.callbacks = [
            ...o.callbacks,
            {
              task_id: r.taskId,
              ticket_id: r.ticketId,
              unit_id: r.unitId,
              completed_at: r.completedAt,
              failed: r.failed,
              resolved: r.resolved,
              satisfaction: r.satisfaction,
            },
          ];
          newCallbacks.push({
            task_id: r.taskId,
            ticket_id: r.ticketId,
            district_code: r.districtCode,
            unit_id: r.unitId,
            cycle: r.cycle,
            completed_at: r.completedAt,
            failed: r.failed,
            contacted: r.contacted,
            resolved: r.resolved,
            satisfaction: r.satisfaction,
            kind: r.kind,
            comment: r.comment,
          });
          break;
        }
      }
    }

    // 4. the rollup difference, summed over the orders
    const delta = new Map<string, Counts>();
    for (const o of orders.values()) {
      const d = rollupDelta(
        contributions(o.before.fact as unknown as FactForRollup, o.before.callbacks, zone),
        contributions(o.fact as unknown as FactForRollup, o.callbacks, zone),
      );
      for (const [k, c] of d) {
        const key = keyString(k);
        const sum = delta.get(key) ?? emptyCounts();
        for (const x of MEASURES) sum[x] += c[x];
        delta.set(key, sum);
      }
    }

    // 5. writes
    const changed = [...orders.values()].filter((o) => o.changed).map((o) => o.fact);
    if (changed.length) {
      const cols = Object.keys(changed[0]).filter((c) => c !== 'ticket_id');
      await m.query(
        `UPDATE ticket_fact t SET ${cols.map((c) => `${c} = r.${c}`).join(', ')}
           FROM jsonb_populate_recordset(NULL::ticket_fact, $1::jsonb) r WHERE t.ticket_id = r.ticket_id`,
        [JSON.stringify(changed)],
      );
    }
    if (newCallbacks.length) {
      await m.query(
        `INSERT INTO callback_fact SELECT * FROM jsonb_populate_recordset(NULL::callback_fact, $1::jsonb) ON CONFLICT (task_id) DO NOTHING`,
        [JSON.stringify(newCallbacks)],
      );
    }
    if (units.size) {
      const u = [...units.values()].sort((a, b) => (a.unitId < b.unitId ? -1 : 1));
      await m.query(
        `INSERT INTO unit_name (unit_id, district_code, name, seen_at)
         SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::timestamptz[])
         ON CONFLICT (unit_id) DO UPDATE SET name = EXCLUDED.name, district_code = EXCLUDED.district_code, seen_at = EXCLUDED.seen_at
         WHERE (EXCLUDED.seen_at, EXCLUDED.name) > (unit_name.seen_at, unit_name.name)`,
        [u.map((x) => x.unitId), u.map((x) => x.districtCode), u.map((x) => x.name), u.map((x) => x.seenAt)],
      );
    }
    const counts = new Map<string, number>();
    for (const e of apply) {
      const k = `${cityDay(new Date(e.occurredAt), zone)}|${e.district}|${e.type}`;
      counts.set(k, (counts.get(k) ?? 0) + 1);
    }
    const countKeys = [...counts.keys()].sort().map((k) => k.split('|'));
    await m.query(
      `INSERT INTO event_daily (day, district_code, type, count) SELECT * FROM unnest($1::date[], $2::text[], $3::text[], $4::int[])
       ON CONFLICT (day, district_code, type) DO UPDATE SET count = event_daily.count + EXCLUDED.count`,
      [countKeys.map((k) => k[0]), countKeys.map((k) => k[1]), countKeys.map((k) => k[2]), countKeys.map((k) => counts.get(k.join('|')))],
    );
    const rows = [...delta.entries()].filter(([, c]) => MEASURES.some((x) => c[x] !== 0)).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    if (rows.length) {
      const keys = rows.map(([k]) => parseKey(k));
      await m.query(
        `INSERT INTO rate_daily (dimension, day, district_code, dim_key, ${MEASURES.join(', ')})
         SELECT * FROM unnest($1::text[], $2::date[], $3::text[], $4::text[], ${MEASURES.map((_, i) => `$${i + 5}::int[]`).join(', ')})
         ON CONFLICT (dimension, day, district_code, dim_key) DO UPDATE SET ${MEASURES.map((x) => `${x} = rate_daily.${x} + EXCLUDED.${x}`).join(', ')}`,
        [
          keys.map((k) => k.dimension),
          keys.map((k) => k.day),
          keys.map((k) => k.districtCode),
          keys.map((k) => k.dimKey),
          ...MEASURES.map((x) => rows.map(([, c]) => c[x])),
        ],
      );
      const down = rows.filter(([, c]) => MEASURES.some((x) => c[x] < 0)).map(([k]) => parseKey(k));
      if (down.length) {
        await m.query(
          `DELETE FROM rate_daily r USING unnest($1::text[], $2::date[], $3::text[], $4::text[]) AS t(dimension, day, district_code, dim_key)
            WHERE r.dimension = t.dimension AND r.day = t.day AND r.district_code = t.district_code AND r.dim_key = t.dim_key
              AND ${MEASURES.map((x) => `r.${x} = 0`).join(' AND ')}`,
          [down.map((k) => k.dimension), down.map((k) => k.day), down.map((k) => k.districtCode), down.map((k) => k.dimKey)],
        );
      }
    }
    return outcome;
  }
}
