/**
 * 转办 and accepted returns: what one dispatch of a cycle does to a clock of that cycle. Dispatch
 * publishes `ticket.dispatched.v1` again, with the same cycle and the new unit, whenever it moves an
 * order in hand to another unit. The rule, whatever order the cycle's dispatches arrive in:
 *
 * - **The time limit is not restarted.** A clock runs from the first dispatch of its cycle; only a
 *   dispatch older than the clock's start (the first dispatch arriving after a re-dispatch) moves
 *   the start, back to it.
 * - **The unit that holds the order is the one held to it.** A clock names the unit of the latest
 *   dispatch made while it ran (before it stopped): a dispatch made while it ran hands it over when
 *   it is not older than the dispatch the clock names (`unitAssignedAt`), or when that one came
 *   after the stop. So a late older dispatch never takes it back, and a clock stopped before the
 *   re-dispatch (the respond clock of a unit that had already contacted the citizen) keeps the unit
 *   that stopped it.
 *
 * Two dispatches at the same instant: the one applied last wins (as dispatch's due times do). The
 * stop itself does not look back: a stop applied after a later re-dispatch that it preceded leaves
 * the clock with the later unit (only a respond clock, and only if the contact event is held up
 * past the next re-dispatch).
 */

/** What the rule reads of a clock. */
export interface ClockHolder {
  unitId: string;
  unitAssignedAt: Date;
  startedAt: Date;
  stoppedAt: Date | null;
}

/** One dispatch of the clock's cycle: the unit and `dispatchedAt`. */
export interface CycleDispatch {
  unitId: string;
  at: Date;
}

export type Reassignment = Pick<ClockHolder, 'unitId' | 'unitAssignedAt' | 'startedAt'>;

/** The clock's unit, assignment time and start after the dispatch; null when the dispatch changes nothing. */
export function applyDispatch(c: ClockHolder, d: CycleDispatch): Reassignment | null {
  const at = d.at.getTime();
  const ran = (t: number) => c.stoppedAt === null || t < c.stoppedAt.getTime();
  const startedAt = at < c.startedAt.getTime() ? d.at : c.startedAt;
  const takes = ran(at) && (at >= c.unitAssignedAt.getTime() || !ran(c.unitAssignedAt.getTime()));
  const unitId = takes ? d.unitId : c.unitId;
  const unitAssignedAt = takes ? d.at : c.unitAssignedAt;
  // Instants, not Date objects: a dispatch read off the bus is never the object the clock holds.
  if (unitId === c.unitId && unitAssignedAt.getTime() === c.unitAssignedAt.getTime() && startedAt.getTime() === c.startedAt.getTime())
    return null;
  return { unitId, unitAssignedAt, startedAt };
}
