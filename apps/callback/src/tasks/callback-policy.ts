import { isHoliday, isWorkday } from 'chinese-days';
import { DateTime } from 'luxon';
import { createHash } from 'node:crypto';

export class CalendarGapError extends Error {
  constructor(readonly year: number) {
    super(`no working-day calendar for ${year} in chinese-days`);
  }
}

/** A year counts as known when chinese-days marks National Day a holiday (as sla checks it). */
function isWorkingDay(isoDate: string): boolean {
  const year = Number(isoDate.slice(0, 4));
  if (!isHoliday(`${year}-10-01`)) throw new CalendarGapError(year);
  return isWorkday(isoDate);
}

/**
 * `days` working days after `start` in `zone`, keeping the time of day; a start on a non-working day
 * counts from 00:00 of the next working day (the same rule as sla's time limits). Holidays and
 * adjusted working days (调休) come from chinese-days; throws CalendarGapError for an unknown year.
 */
export function addWorkingDays(start: Date, days: number, zone: string): Date {
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

/**
 * Deterministic sampling: the same order always gets the same answer, so a redelivered or replayed
 * event never changes its mind. `salt` keeps different samples (first contact, spot check) independent.
 */
export function sampled(salt: string, ticketId: string, percent: number): boolean {
  if (percent <= 0) return false;
  if (percent >= 100) return true;
  const bucket = createHash('sha256').update(`${salt}:${ticketId}`).digest().readUInt32BE(0) % 10_000;
  return bucket < percent * 100;
}

/** The local calendar days (in `zone`) a set of instants fall on. */
export function distinctDays(instants: Date[], zone: string): number {
  return new Set(instants.map((d) => DateTime.fromJSDate(d, { zone }).toISODate())).size;
}

export interface AttemptRule {
  maxAttempts: number;
  days: number;
}

/**
 * Unreachable: at least `maxAttempts` failed calls spread over at least `days` distinct local days
 * (no answer at 10:00, 10:05 and 10:10 on one morning is not "unreachable").
 */
export function isUnreachable(attemptTimes: Date[], rule: AttemptRule, zone: string): boolean {
  return attemptTimes.length >= rule.maxAttempts && distinctDays(attemptTimes, zone) >= rule.days;
}
