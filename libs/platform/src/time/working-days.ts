import { getHolidaysInRange, isWorkday } from 'chinese-days';
import { DateTime } from 'luxon';

import { cityTime, dayInstant, nextDate, wallOf, zoneDay, zoneOffsetNow } from './city-day';

/** Is this local date (`YYYY-MM-DD`) a working day? The strict rule throws CalendarGapError for a year without data. */
export type WorkingDayFn = (isoDate: string) => boolean;

export class CalendarGapError extends Error {
  constructor(readonly year: number) {
    super(`no working-day calendar for ${year}: load the statutory holidays (update chinese-days or add calendar overrides)`);
  }
}

const knownYears = new Map<number, boolean>();

/**
 * chinese-days knows a year once the State Council's notice is in it: the year then has statutory
 * holidays on weekdays. (Asking whether 1 October is a holiday is not enough: the library also calls
 * weekends holidays, so a year whose 1 October is a Sunday, such as 2028, would pass with no data.)
 */
export function statutoryYearKnown(year: number): boolean {
  let known = knownYears.get(year);
  if (known === undefined) {
    known = getHolidaysInRange(`${year}-01-01`, `${year}-12-31`, false).length > 0;
    knownYears.set(year, known);
  }
  return known;
}

const libraryDays = new Map<string, boolean>();

/**
 * chinese-days' answer for a date (`YYYY-MM-DD`), remembered: the library's data does not change in a
 * running process, and each of its answers parses the date again (tens of microseconds; the sla tick
 * asks about a handful of days for every clock it fires). Ask only for a year it knows.
 */
export function libraryWorkday(isoDate: string): boolean {
  let working = libraryDays.get(isoDate);
  if (working === undefined) {
    working = isWorkday(isoDate);
    if (libraryDays.size < 50_000) libraryDays.set(isoDate, working);
  }
  return working;
}

/** China's statutory calendar (holidays and adjusted working days, 调休) from chinese-days; never a guess. */
export const statutoryWorkingDay: WorkingDayFn = (isoDate) => {
  const year = Number(isoDate.slice(0, 4));
  if (!statutoryYearKnown(year)) throw new CalendarGapError(year);
  return libraryWorkday(isoDate);
};

/** The provisional rule for a year without data: Monday to Friday work, weekends do not. */
export const weekdaysOnly: WorkingDayFn = (isoDate) => {
  const d = new Date(`${isoDate}T00:00:00Z`).getUTCDay();
  return d !== 0 && d !== 6;
};

/** A working-day rule that never throws for a gap, and says which gap years it had to guess. */
export interface ProvisionalCalendar {
  readonly isWorkingDay: WorkingDayFn;
  /** The years without data this calendar answered for with `weekdaysOnly` (sorted on read). */
  readonly provisionalYears: ReadonlySet<number>;
}

/**
 * Wraps a strict rule: a day whose rule throws CalendarGapError is answered by `weekdaysOnly` and
 * its year remembered, so the computation still gets a result (a deadline is never missing) and its
 * caller can mark it provisional (a deadline is never silently wrong). Other errors pass through.
 * One instance per computation: what it remembers is what that computation touched.
 */
export function provisionalCalendar(strict: WorkingDayFn): ProvisionalCalendar {
  const years = new Set<number>();
  return {
    provisionalYears: years,
    isWorkingDay: (isoDate) => {
      try {
        return strict(isoDate);
      } catch (e) {
        if (!(e instanceof CalendarGapError)) throw e;
        years.add(e.year);
        return weekdaysOnly(isoDate);
      }
    },
  };
}

/**
 * `days` working days after `start`, in `zone`, keeping the time of day. A start on a non-working day
 * counts from 00:00 of the next working day. The one rule every service counts working days by (sla's
 * time limits, dispatch's return limit, callback's due dates).
 *   Tue 2025-09-30 10:00 + 5 → Tue 2025-10-14 10:00 (1–8 Oct off; Sat 11 Oct is a working day)
 *
 * The days are walked as plain calendar dates and the zone is consulted twice (the local date and
 * time of `start`, the instant of the result), both through the remembered days of `cityTime` and
 * `dayInstant`: a zone conversion costs tens of microseconds, a date step well under one, and the
 * sla service computes this several times for every order and every clock it fires. On a day the
 * clocks change (and before 1970) the two conversions are luxon's, as they always were; the
 * remembered days give the same instants to the millisecond everywhere else.
 */
export function addWorkingDays(start: Date, days: number, zone: string, isWorkingDay: WorkingDayFn = statutoryWorkingDay): Date {
  // The local date and time of day (ms since 00:00) of `start`.
  let { date, time } = cityTime(start, zone) ?? wallOf(DateTime.fromJSDate(start, { zone }));
  if (!isWorkingDay(date)) {
    time = 0;
    do date = nextDate(date);
    while (!isWorkingDay(date));
  }
  for (let i = 0; i < days; i++) {
    do date = nextDate(date);
    while (!isWorkingDay(date));
  }
  const at = dayInstant(zoneDay(zone, date), time, zoneOffsetNow(zone));
  if (at !== undefined) return new Date(at);
  const [year, month, day] = date.split('-').map(Number);
  const [hour, minute, second, millisecond] = [
    Math.floor(time / 3_600_000),
    Math.floor(time / 60_000) % 60,
    Math.floor(time / 1000) % 60,
    time % 1000,
  ];
  return DateTime.fromObject({ year, month, day, hour, minute, second, millisecond }, { zone }).toJSDate();
}
