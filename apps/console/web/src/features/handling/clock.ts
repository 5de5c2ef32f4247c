/**
 * How late an order is on one clock, for the colours of the worklists: green while time is left,
 * yellow from the warning point of the order's SLA policy (sla computes it on the working-day clock
 * and sends it with the due times in `sla.clocks-set.v1`; dispatch's order view carries it as
 * `respondWarnAt` / `finishWarnAt`), red once the due time has passed.
 *
 * Orders whose due times were set before sla sent warning points have none; for them the yellow
 * window is estimated as before (the last quarter of the time given, at least 4 hours) and the
 * reading says so (`estimated`), so the screen can tell it apart.
 */
export type ClockTone = 'ok' | 'warning' | 'breached' | 'met' | 'none';

export const WARNING_FRACTION = 0.25;
export const WARNING_MIN_MS = 4 * 3600_000;

export interface ClockReading {
  tone: ClockTone;
  /** Due time minus now, in ms (negative once late); null without a due time. */
  remainingMs: number | null;
  /** True when the yellow point was estimated because sla sent none. */
  estimated: boolean;
}

export interface ClockTimes {
  due: string | null | undefined;
  /** sla's warning point. */
  warnAt?: string | null;
  /** When the unit was given the order (for the estimate only). */
  start?: string | null;
}

export function readClock(times: ClockTimes, now: number, met: boolean): ClockReading {
  const { due, warnAt, start } = times;
  if (!due) return { tone: 'none', remainingMs: null, estimated: false };
  const dueMs = Date.parse(due);
  const remainingMs = dueMs - now;
  if (met) return { tone: 'met', remainingMs, estimated: false };
  if (remainingMs <= 0) return { tone: 'breached', remainingMs, estimated: false };
  if (warnAt) return { tone: now >= Date.parse(warnAt) ? 'warning' : 'ok', remainingMs, estimated: false };
  const total = start ? dueMs - Date.parse(start) : 0;
  const window = Math.max(total * WARNING_FRACTION, WARNING_MIN_MS);
  return { tone: remainingMs <= window ? 'warning' : 'ok', remainingMs, estimated: true };
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
