import { DateTime } from 'luxon';

// The working-day rule is shared by every service (libs/platform/src/time/working-days.ts).
import { addWorkingDays, CalendarGapError, WorkingDayFn } from '@app/platform';

export { addWorkingDays, CalendarGapError };
export type { WorkingDayFn };

export type LimitUnit = 'hours' | 'working_days';

/** The due time of a limit started at `start`. Hours are wall-clock hours (urgent matters do not pause). */
export function dueAfter(start: Date, value: number, unit: LimitUnit, zone: string, isWorkingDay: WorkingDayFn): Date {
  return unit === 'hours' ? new Date(start.getTime() + value * 3_600_000) : addWorkingDays(start, value, zone, isWorkingDay);
}

/** The instant `percent`% of the way from start to due. */
export function fractionOf(start: Date, due: Date, percent: number): Date {
  return new Date(start.getTime() + Math.round(((due.getTime() - start.getTime()) * percent) / 100));
}

/**
 * `days` working days before `due`, keeping the time of day (Pingdingshan's "reply two days early").
 *   Tue 2025-10-14 10:00 − 2 → Sat 2025-10-11 10:00 (an adjusted working Saturday)
 */
export function subtractWorkingDays(due: Date, days: number, zone: string, isWorkingDay: WorkingDayFn): Date {
  let t = DateTime.fromJSDate(due, { zone });
  for (let i = 0; i < days; i++) {
    do t = t.minus({ days: 1 });
    while (!isWorkingDay(t.toISODate()!));
  }
  return t.toJSDate();
}

/**
 * Working time between two instants, in ms: the parts of [from, to) that fall on working days. A
 * working day counts whole (00:00–24:00 local), the same unit `addWorkingDays` counts in, so
 * `workingMsBetween(s, addWorkingDays(s, n)) = n × 24 h` for a start on a working day.
 */
export function workingMsBetween(from: Date, to: Date, zone: string, isWorkingDay: WorkingDayFn): number {
  if (to <= from) return 0;
  let total = 0;
  let day = DateTime.fromJSDate(from, { zone }).startOf('day');
  const end = DateTime.fromJSDate(to, { zone });
  while (day < end) {
    const next = day.plus({ days: 1 });
    if (isWorkingDay(day.toISODate()!)) {
      const a = Math.max(day.toMillis(), from.getTime());
      const b = Math.min(next.toMillis(), to.getTime());
      if (b > a) total += b - a;
    }
    day = next;
  }
  return total;
}

/** `ms` of working time after `start` (non-working days are skipped whole). */
export function addWorkingMs(start: Date, ms: number, zone: string, isWorkingDay: WorkingDayFn): Date {
  let t = DateTime.fromJSDate(start, { zone });
  let left = ms;
  for (let guard = 0; guard < 40_000; guard++) {
    const next = t.startOf('day').plus({ days: 1 });
    if (isWorkingDay(t.toISODate()!)) {
      const room = next.toMillis() - t.toMillis();
      if (left <= room) return new Date(t.toMillis() + left);
      left -= room;
    }
    t = next;
  }
  throw new Error(`working time out of range: ${ms} ms after ${start.toISOString()}`);
}

/** Time left until `due` at `now`, in whole minutes (negative when late): wall clock, and working time. */
export function remaining(now: Date, due: Date, zone: string, isWorkingDay: WorkingDayFn): { minutes: number; workingMinutes: number } {
  const sign = due >= now ? 1 : -1;
  const [a, b] = sign > 0 ? [now, due] : [due, now];
  return {
    minutes: sign * Math.floor((b.getTime() - a.getTime()) / 60_000),
    workingMinutes: sign * Math.floor(workingMsBetween(a, b, zone, isWorkingDay) / 60_000),
  };
}
