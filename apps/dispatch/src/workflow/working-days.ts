import { addWorkingDays as addStatutoryWorkingDays, CalendarGapError } from '@app/platform';

/**
 * The return limit: `days` working days after `start` on the statutory calendar (the shared rule, see
 * libs/platform/src/time/working-days.ts). For a year the calendar does not know, returns null: the
 * caller falls back to calendar days rather than refusing a unit's return on a gap in the library.
 */
export function addWorkingDays(start: Date, days: number, zone: string): Date | null {
  try {
    return addStatutoryWorkingDays(start, days, zone);
  } catch (e) {
    if (e instanceof CalendarGapError) return null;
    throw e;
  }
}
