import { DateTime } from 'luxon';

/** Is this local date (`YYYY-MM-DD`) a working day? Throws CalendarGapError for a year without data. */
export type WorkingDayFn = (isoDate: string) => boolean;

export class CalendarGapError extends Error {
  constructor(readonly year: number) {
    super(`no working-day calendar for ${year}: load the statutory holidays (update chinese-days or add calendar overrides)`);
  }
}

/**
 * `days` working days after `start`, in the city's time zone, keeping the time of day. A start on a
 * non-working day counts from 00:00 of the next working day. Holidays and adjusted working days
 * (调休) come from `isWorkingDay`.
 *   Tue 2025-09-30 10:00 + 5 → Tue 2025-10-14 10:00 (1–8 Oct off; Sat 11 Oct is a working day)
 */
export function addWorkingDays(start: Date, days: number, zone: string, isWorkingDay: WorkingDayFn): Date {
  let t = DateTime.fromJSDate(start, { zone });
  if (!isWorkingDay(t.toISODate()!)) {
    t = t.startOf('day');
    do t = t.plus({ days: 1 });
    while (!isWorkingDay(t.toISODate()!));
  }
  for (let i = 0; i < days; i++) {
    do t = t.plus({ days: 1 });
    while (!isWorkingDay(t.toISODate()!));
  }
  return t.toJSDate();
}

export type LimitUnit = 'hours' | 'working_days';

/** The due time of a limit started at `start`. Hours are wall-clock hours (urgent matters do not pause). */
export function dueAfter(start: Date, value: number, unit: LimitUnit, zone: string, isWorkingDay: WorkingDayFn): Date {
  return unit === 'hours' ? new Date(start.getTime() + value * 3_600_000) : addWorkingDays(start, value, zone, isWorkingDay);
}

/** The instant `percent`% of the way from start to due. */
export function fractionOf(start: Date, due: Date, percent: number): Date {
  return new Date(start.getTime() + Math.round(((due.getTime() - start.getTime()) * percent) / 100));
}
