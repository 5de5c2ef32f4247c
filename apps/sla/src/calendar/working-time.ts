import { DateTime } from 'luxon';

// The working-day rule is shared by every service (libs/platform/src/time/working-days.ts).
import {
  addWorkingDays,
  CalendarGapError,
  cityTime,
  dayInstant,
  nextDate,
  prevDate,
  wallOf,
  WorkingDayFn,
  ZoneDay,
  zoneDay,
} from '@app/platform';

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
 *
 * The walk is luxon's `minus({ days: 1 })`, a day at a time, and gives its instants to the
 * millisecond; where the day stepped to is uniform (`zoneDay`) the step is a calendar-date step and
 * the instant is read off the remembered day, without a zone conversion (tens of microseconds each).
 */
export function subtractWorkingDays(due: Date, days: number, zone: string, isWorkingDay: WorkingDayFn): Date {
  // The walk stands at `at`: local `date` and `time` (ms since 00:00) on `offset`, or at luxon's `t`.
  let t: DateTime | undefined;
  let at = due.getTime();
  let date: string;
  let time: number;
  let offset: number;
  const local = cityTime(due, zone);
  if (local) [date, time, offset] = [local.date, local.time, local.day.offset];
  else ({ date, time, offset } = wallOf((t = DateTime.fromJSDate(due, { zone }))));
  for (let i = 0; i < days; i++) {
    do {
      const prev = t === undefined || t.isValid ? prevDate(date) : undefined;
      const day = prev === undefined ? undefined : zoneDay(zone, prev);
      const ms = day && dayInstant(day, time, offset);
      if (ms !== undefined) {
        [t, at, date, offset] = [undefined, ms, prev!, day!.offset];
      } else {
        t = (t ?? DateTime.fromMillis(at, { zone })).minus({ days: 1 });
        ({ date, time, offset } = wallOf(t));
      }
    } while (!isWorkingDay(date));
  }
  return t ? t.toJSDate() : new Date(at);
}

/**
 * Working time between two instants, in ms: the parts of [from, to) that fall on working days. A
 * working day counts whole (00:00–24:00 local), the same unit `addWorkingDays` counts in, so
 * `workingMsBetween(s, addWorkingDays(s, n)) = n × 24 h` for a start on a working day.
 *
 * The walk is luxon's `startOf('day')`, then `plus({ days: 1 })` a day at a time; where it stands at
 * the midnight of a uniform day (`zoneDay`) the next midnight is read off the remembered day instead.
 */
export function workingMsBetween(from: Date, to: Date, zone: string, isWorkingDay: WorkingDayFn): number {
  if (to <= from) return 0;
  const [start, end] = [from.getTime(), to.getTime()];
  let total = 0;
  const count = (date: string, a: number, b: number) => {
    if (isWorkingDay(date)) {
      const ms = Math.min(b, end) - Math.max(a, start);
      if (ms > 0) total += ms;
    }
  };
  // The walk stands at the midnight of the remembered uniform `day` (local `date`), or at luxon's `t`.
  let t: DateTime | undefined;
  let date = '';
  let day: ZoneDay | undefined;
  const local = cityTime(from, zone);
  if (local) ({ date, day } = local);
  else t = DateTime.fromJSDate(from, { zone }).startOf('day');
  for (;;) {
    if (day) {
      if (!(day.midnight < end)) break;
      const next = day.midnight + day.length;
      count(date, day.midnight, next);
      date = nextDate(date);
      day = zoneDay(zone, date);
      if (!day.uniform || day.midnight !== next) [t, day] = [DateTime.fromMillis(next, { zone }), undefined];
      continue;
    }
    if (!t || !(t.toMillis() < end)) break;
    const next = t.plus({ days: 1 });
    count(t.toISODate()!, t.toMillis(), next.toMillis());
    t = next;
    const back = resume(t, zone);
    if (back && back.midnight === t.toMillis()) [day, date, t] = [back, t.toISODate()!, undefined];
  }
  return total;
}

/**
 * `ms` of working time after `start` (non-working days are skipped whole).
 *
 * The walk is luxon's `startOf('day').plus({ days: 1 })` a day at a time; where it stands in a uniform
 * day (`zoneDay`) the next midnight is read off the remembered day instead.
 */
export function addWorkingMs(start: Date, ms: number, zone: string, isWorkingDay: WorkingDayFn): Date {
  let left = ms;
  // The walk stands at `at` in the remembered uniform `day` (local `date`), or at luxon's `t`.
  let t: DateTime | undefined;
  let at = start.getTime();
  let date = '';
  let day: ZoneDay | undefined;
  const local = cityTime(start, zone);
  if (local) ({ date, day } = local);
  else t = DateTime.fromJSDate(start, { zone });
  for (let guard = 0; guard < 40_000; guard++) {
    if (day) {
      const next = day.midnight + day.length;
      if (isWorkingDay(date)) {
        const room = next - at;
        if (left <= room) return new Date(at + left);
        left -= room;
      }
      [date, at] = [nextDate(date), next];
      day = zoneDay(zone, date);
      if (!day.uniform || day.midnight !== next) [t, day] = [DateTime.fromMillis(next, { zone }), undefined];
      continue;
    }
    if (!t) break; // (never: the walk stands on a remembered day or at t)
    const next = t.startOf('day').plus({ days: 1 });
    if (isWorkingDay(t.toISODate()!)) {
      const room = next.toMillis() - t.toMillis();
      if (left <= room) return new Date(t.toMillis() + left);
      left -= room;
    }
    t = next;
    const back = resume(t, zone);
    if (back) [day, date, at, t] = [back, t.toISODate()!, t.toMillis(), undefined];
  }
  throw new Error(`working time out of range: ${ms} ms after ${start.toISOString()}`);
}

/**
 * The remembered day luxon's walk `t` stands in, when the walk can go on from it without luxon: the
 * day is uniform and `t` inside it, on its offset (what `startOf` and `plus` resolve from).
 */
function resume(t: DateTime, zone: string): ZoneDay | undefined {
  const date = t.isValid ? t.toISODate() : null;
  if (!date) return undefined;
  const day = zoneDay(zone, date);
  const ms = t.toMillis();
  return day.uniform && t.offset === day.offset && ms >= day.midnight && ms < day.midnight + day.length ? day : undefined;
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
