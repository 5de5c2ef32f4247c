import { addContributions, CallbackForRollup, contributions, Counts, FactForRollup } from '../rollups/rollup';
import type { EventEffect, UnitNameSeen } from './fact-effects';
import { FactRow, mergeFact, moveFact } from './fact-merge';

/** A callback as the rollup reads it, with its keys. */
export interface CallbackState extends CallbackForRollup {
  task_id: string;
  ticket_id: string;
}

/** One order in a batch: its rows as read (locked) before the batch, and as the batch leaves them. */
export interface OrderInBatch {
  before: { fact: FactRow; callbacks: CallbackState[] };
  fact: FactRow;
  callbacks: CallbackState[];
  /** Whether `fact` differs from the stored row (or, for an order the batch creates, is not stored yet). */
  changed: boolean;
}

/** An order's rows as read, not yet changed by the batch. */
export function orderAsRead(fact: FactRow, callbacks: CallbackState[] = []): OrderInBatch {
  return { before: { fact, callbacks }, fact, callbacks: [...callbacks], changed: false };
}

/**
 * What a batch's effects touch: each order (by lower-case ticket id) with the district its row is
 * created under if new (that of its first change), and the callback tasks they record.
 */
export function touchedBy(effects: readonly EventEffect[]): { districts: Map<string, string>; taskIds: string[] } {
  const districts = new Map<string, string>();
  const taskIds: string[] = [];
  for (const { change } of effects) {
    if (!change) continue;
    const id = change.ticketId.toLowerCase();
    if (!districts.has(id)) districts.set(id, change.district);
    if (change.kind === 'callback') taskIds.push(change.row.taskId);
  }
  return { districts, taskIds };
}

/** What a batch's effects come to: the rows to write, and the rollup's difference. */
export interface BatchEffects {
  units: UnitNameSeen[];
  /** callback_fact rows the batch adds (each task once). */
  newCallbacks: Record<string, unknown>[];
  /** The rollup difference summed over the orders: + what each contributes after the batch, − before it. */
  delta: Map<string, Counts>;
}

/**
 * A batch's effects (`effectOf`, in stream order) applied in memory to its orders' rows, read and
 * locked by the caller (keyed by lower-case ticket id; every order an effect names must be there),
 * with the merge rules of fact-merge.ts. `knownTasks`: the callback tasks already recorded (a task is
 * recorded once). `created`: orders the batch inserts, which contributed nothing before it. The
 * rows in `orders` are left as the batch leaves them (`changed` set); `before` is never modified.
 *
 * The live consumers (FactsProjector, a bus batch per transaction) and the replay (BatchProjector)
 * both apply events through this one function, so the two cannot drift apart.
 */
export function applyEffects(
  effects: readonly EventEffect[],
  orders: Map<string, OrderInBatch>,
  knownTasks: Set<string>,
  created: ReadonlySet<string>,
  zone: string,
): BatchEffects {
  const units: UnitNameSeen[] = [];
  const newCallbacks: Record<string, unknown>[] = [];
  for (const { unitName, change } of effects) {
    if (unitName) units.push(unitName);
    if (!change) continue;
    const o = orders.get(change.ticketId.toLowerCase());
    if (!o) throw new Error(`order ${change.ticketId} was not read for the batch`);
    switch (change.kind) {
      case 'merge':
        // One copy of the row per order, merged into in place from then on.
        o.fact = o.changed ? mergeFact(o.fact, change.values, o.fact) : mergeFact(o.fact, change.values);
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

  const delta = new Map<string, Counts>();
  for (const o of orders.values()) {
    if (!o.changed && o.callbacks.length === o.before.callbacks.length) continue;
    if (!created.has(o.before.fact.ticket_id))
      addContributions(delta, contributions(o.before.fact as unknown as FactForRollup, o.before.callbacks, zone), -1);
    addContributions(delta, contributions(o.fact as unknown as FactForRollup, o.callbacks, zone), 1);
  }
  return { units, newCallbacks, delta };
}
