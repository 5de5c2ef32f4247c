import { isHoliday, isWorkday } from 'chinese-days';
import { DateTime } from 'luxon';

/** A year counts as known when chinese-days marks National Day a holiday (as sla and callback check it). */
function knownYear(year: number): boolean {
  return isHoliday(`${year}-10-01`);
}

/**
 * `days` working days after `start` in `zone`, keeping the time of day; a start on a non-working day
 * counts from 00:00 of the next working day (sla's rule for time limits). Holidays and adjusted
 * working days (调休) come from chinese-days. For a year it does not know, returns null: the caller
 * falls back to calendar days rather than refusing a unit's return on a gap in the library.
 */
export function addWorkingDays(start: Date, days: number, zone: string): Date | null {
  let t = DateTime.fromJSDate(start, { zone });
  const working = (d: DateTime): boolean | null => (knownYear(d.year) ? isWorkday(d.toISODate()) : null);
  let w = working(t);
  if (w === null) return null;
  if (!w) {
    t = t.startOf('day');
    do {
      t = t.plus({ days: 1 });
      w = working(t);
      if (w === null) return null;
    } while (!w);
  }
  for (let i = 0; i < days; i++) {
    do {
      t = t.plus({ days: 1 });
      w = working(t);
      if (w === null) return null;
    } while (!w);
  }
  return t.toJSDate();
}
