import { EventEnvelope } from '@app/contracts';
import { durableName, TxHost } from '@app/platform';
import { randomUUID } from 'node:crypto';
import { arrayLiteral } from '../common/pg-array';
import { AnalyticsConfig } from '../analytics.config';
import { categoryChangeOf } from '../categories/category-names.handlers';
import { CategoryChange, CategoryNamesRepository } from '../categories/category-names.repository';
import { applyEffects, CallbackState, OrderInBatch, orderAsRead, touchedBy } from '../facts/fact-batch';
import { effectOf } from '../facts/fact-effects';
import { FactRow } from '../facts/fact-merge';
import { FactsRepository } from '../facts/facts.repository';
import { countEvents } from '../rollups/rollup';

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
 * the per-event differences the live projector applies. The batch's `category.changed.v1` events
 * are no order's facts: they go to the category names as their live consumer writes them
 * (CategoryNamesRepository.apply), and nowhere else. Run it in one transaction per batch (the
 * caller's `txHost.withTransaction`).
 */
export class BatchProjector {
  private blank?: FactRow;
  private readonly facts: FactsRepository;
  private readonly names: CategoryNamesRepository;

  constructor(
    private readonly txHost: TxHost,
    private readonly config: AnalyticsConfig,
  ) {
    this.facts = new FactsRepository(txHost, config);
    this.names = new CategoryNamesRepository(txHost);
  }

  /** Apply `events` in the transaction of the TransactionHost (`txHost.withTransaction`). */
  async apply(events: EventEnvelope[]): Promise<BatchOutcome> {
    const m = this.txHost.tx;
    if (!events.length) return { applied: 0, duplicates: 0 };
    const zone = this.config.CITY_TIME_ZONE;

    // 1. the inbox: what is new (the first of a repeated event id only). Postgres answers with the
    // events it already had (applied by a live consumer, or earlier in the stream): usually none.
    const first = new Set<string>();
    const unique: EventEnvelope[] = [];
    for (const e of events) {
      const key = `${e.type} ${e.id}`;
      if (first.has(key)) continue;
      first.add(key);
      unique.push(e);
    }
    const had: { n: string }[] = await m.query(
      `WITH t AS (SELECT * FROM unnest($1::text[], $2::uuid[]) WITH ORDINALITY AS t(consumer, event_id, n)),
            ins AS (INSERT INTO inbox (consumer, event_id) SELECT consumer, event_id FROM t ON CONFLICT DO NOTHING RETURNING consumer, event_id)
       SELECT n FROM t WHERE NOT EXISTS (SELECT 1 FROM ins WHERE ins.consumer = t.consumer AND ins.event_id = t.event_id)`,
      [arrayLiteral(unique.map((e) => inboxConsumer(e.type))), arrayLiteral(unique.map((e) => e.id))],
    );
    const skip = new Set(had.map((r) => Number(r.n) - 1));
    const fresh = skip.size ? unique.filter((_, i) => !skip.has(i)) : unique;
    const outcome = { applied: fresh.length, duplicates: events.length - fresh.length };
    // The category names apart: no order's fact, not counted in the daily volume (the facts' consumers never see them).
    const apply: EventEnvelope[] = [];
    const names: CategoryChange[] = [];
    for (const e of fresh) {
      if (e.type === 'category.changed.v1') names.push(categoryChangeOf(e));
      else apply.push(e);
    }
    await this.names.apply(names);
    if (!apply.length) return outcome;

    // 2. the effects, and the orders they touch (created under the district of their first change)
    const effects = apply.map(effectOf);
    const { districts: firstDistrict, taskIds } = touchedBy(effects);
    const ids = [...firstDistrict.keys()].sort();
    const orders = new Map<string, OrderInBatch>();
    const created = new Set<string>();
    const knownTasks = new Set<string>();
    if (ids.length) {
      // The orders already recorded, locked (in ticket order, as the live consumers lock one at a
      // time); the others start as the row an insert of (ticket_id, district_code) would make, and
      // are inserted once, as they stand after the batch.
      const facts: FactRow[] = await m.query(`SELECT * FROM ticket_fact WHERE ticket_id = ANY($1::uuid[]) ORDER BY ticket_id FOR UPDATE`, [
        arrayLiteral(ids),
      ]);
      const callbacks: CallbackState[] = await m.query(
        `SELECT task_id, ticket_id, unit_id, completed_at, failed, resolved, satisfaction FROM callback_fact
          WHERE ticket_id = ANY($1::uuid[]) OR task_id = ANY($2::uuid[])`,
        [arrayLiteral(ids), arrayLiteral(taskIds)],
      );
      const callbacksOf = new Map<string, CallbackState[]>();
      for (const c of callbacks) {
        knownTasks.add(c.task_id);
        const list = callbacksOf.get(c.ticket_id);
        if (list) list.push(c);
        else callbacksOf.set(c.ticket_id, [c]);
      }
      for (const f of facts) orders.set(f.ticket_id, orderAsRead(f, callbacksOf.get(f.ticket_id)));
      const missing = ids.filter((id) => !orders.has(id));
      if (missing.length) {
        const blank = await this.blankFact();
        for (const id of missing) {
          const f: FactRow = { ...blank, ticket_id: id, district_code: firstDistrict.get(id)! };
          orders.set(id, { ...orderAsRead(f, callbacksOf.get(id)), fact: { ...f }, changed: true });
          created.add(id);
        }
      }
    }

    // 3. in memory, in stream order; 4. the rollup difference
    const { units, newCallbacks, delta } = applyEffects(effects, orders, knownTasks, created, zone);

    // 5. writes
    const inserted = [...created].map((id) => orders.get(id)!.fact);
    if (inserted.length) {
      const rows: unknown[] = await m.query(
        `INSERT INTO ticket_fact SELECT * FROM jsonb_populate_recordset(NULL::ticket_fact, $1::jsonb) ORDER BY ticket_id
         ON CONFLICT (ticket_id) DO NOTHING RETURNING ticket_id`,
        [JSON.stringify(inserted)],
      );
      // A live consumer created one of them since the read: this batch's view of it is stale; the caller runs it again.
      if (rows.length !== inserted.length) throw new BatchRaceError(inserted.length - rows.length);
    }
    await this.facts.updateFacts([...orders.values()].filter((o) => o.changed && !created.has(o.fact.ticket_id)).map((o) => o.fact));
    await this.facts.insertCallbacks(newCallbacks);
    // the unit names, the event counts and the rollup rows that moved, each in key order (as the live projector writes them)
    await this.facts.upsertUnitNames(units);
    await this.facts.addEventCounts(countEvents(apply, zone));
    await this.facts.addToRollup(delta);
    return outcome;
  }

  /**
   * The row `INSERT INTO ticket_fact (ticket_id, district_code)` makes (the columns' defaults), as
   * Postgres returns it: asked once, in a savepoint rolled back, so nothing is left of it.
   */
  private async blankFact(): Promise<FactRow> {
    if (this.blank) return this.blank;
    const m = this.txHost.tx;
    await m.query('SAVEPOINT blank_fact');
    const [row]: FactRow[] = await m.query(`INSERT INTO ticket_fact (ticket_id, district_code) VALUES ($1, '') RETURNING *`, [
      randomUUID(),
    ]);
    await m.query('ROLLBACK TO SAVEPOINT blank_fact');
    this.blank = row;
    return row;
  }
}

const CONSUMERS = new Map<string, string>();

/** The live durable consumer of a type, under whose name its events go into the inbox. */
function inboxConsumer(type: string): string {
  let c = CONSUMERS.get(type);
  if (c === undefined) CONSUMERS.set(type, (c = durableName('analytics', type)));
  return c;
}

/** A live consumer recorded an order this batch was about to create: run the batch again (in a new transaction). */
export class BatchRaceError extends Error {
  constructor(readonly orders: number) {
    super(`${orders} order(s) recorded by a live consumer during the batch; it must run again`);
  }
}
