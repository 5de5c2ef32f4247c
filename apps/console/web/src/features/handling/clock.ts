/**
 * How late an order is on one clock, for the colours of the worklist: green while time is left,
 * yellow in the warning window, red once the due time has passed. dispatch's worklist carries sla's
 * due times (respond-by, finish-by) but not sla's warning rule, so the warning window here is the
 * last quarter of the time the unit was given (from the assignment to the due time), at least the
 * last 4 hours: the point where sla's default policy warns a five-working-day order.
 */
export type ClockTone = 'ok' | 'warning' | 'breached' | 'met' | 'none';

export const WARNING_FRACTION = 0.25;
export const WARNING_MIN_MS = 4 * 3600_000;

export interface ClockReading {
  tone: ClockTone;
  /** Due time minus now, in ms (negative once late); null without a due time. */
  remainingMs: number | null;
}

export function readClock(due: string | null | undefined, start: string | null | undefined, now: number, met: boolean): ClockReading {
  if (!due) return { tone: 'none', remainingMs: null };
  const remainingMs = Date.parse(due) - now;
  if (met) return { tone: 'met', remainingMs };
  if (remainingMs < 0) return { tone: 'breached', remainingMs };
  const total = start ? Date.parse(due) - Date.parse(start) : 0;
  const window = Math.max(total * WARNING_FRACTION, WARNING_MIN_MS);
  return { tone: remainingMs <= window ? 'warning' : 'ok', remainingMs };
}

/** Days, hours and minutes of a duration, for "剩 2天3小时" / "超 5小时". */
export function splitDuration(ms: number): { days: number; hours: number; minutes: number } {
  const abs = Math.abs(ms);
  return {
    days: Math.floor(abs / 86_400_000),
    hours: Math.floor((abs % 86_400_000) / 3_600_000),
    minutes: Math.floor((abs % 3_600_000) / 60_000),
  };
}

/** States in which the respond clock still runs (the citizen not yet contacted). */
export const RESPONDING = ['dispatched', 'signed', 'return_requested'];
/** States in which the finish clock still runs (no reply yet in this cycle). */
export const FINISHING = [...RESPONDING, 'contacted', 'rework', 'reopened', 'signoff_rejected', 'awaiting_signoff'];
