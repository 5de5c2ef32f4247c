import { DateTime } from 'luxon';
import { createHash } from 'node:crypto';

// Due dates count working days by the shared statutory rule (libs/platform/src/time/working-days.ts).
export { addWorkingDays, CalendarGapError } from '@app/platform';

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
