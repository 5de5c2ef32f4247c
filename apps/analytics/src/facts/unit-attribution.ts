import { TicketDispatchedV1 } from '@app/contracts';
import type { Merge } from './facts.repository';

/**
 * Which unit an order counts for in the per-unit figures (the `unit` and `unit_category` rollups,
 * the rankings, a unit's top problems, the wall's responsible unit).
 *
 * The order counts for the unit that finally handled its first cycle: the unit of the latest
 * `ticket.dispatched.v1` of cycle 1. A 转办 or an accepted return (退单) moves the order, and with it
 * every counter of the order (dispatched, responded, replied, on time, rework, closed, on their own
 * days), from the unit it left to the one it went to; the district figures do not change. Callbacks
 * keep counting for the unit whose reply was called back (`callback.*.v1` unitId).
 *
 * "Latest" is by `dispatchedAt` (`unit_dispatched_at`), so a late older dispatch never takes the
 * order back and the row is the same in any arrival order; at the same instant the one applied last
 * wins. Dispatches of later cycles (a re-dispatch after a reopen to another unit) do not move it:
 * the per-unit rates measure the first cycle (its dispatch, response and first reply); they only
 * fill the unit in if no first-cycle dispatch has arrived yet.
 */
export function unitColumns(
  d: Pick<TicketDispatchedV1, 'unitId' | 'unitName' | 'cycle' | 'dispatchedAt'>,
): Record<string, [unknown, Merge]> {
  if (d.cycle !== 1) return { unit_id: [d.unitId, 'first'], unit_name: [d.unitName, 'first'] };
  const latest: Merge = { by: ['unit_dispatched_at'] };
  return {
    unit_id: [d.unitId, latest],
    unit_name: [d.unitName, latest],
    unit_dispatched_at: [d.dispatchedAt, latest],
  };
}
