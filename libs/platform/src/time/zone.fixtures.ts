import { DateTime } from 'luxon';
import type { WorkingDayFn } from './working-days';

/** Test fixtures of the working-day specs (libs/platform's and sla's): where the clocks change, and a calendar with no pattern. */

/** The instants `zone` changes its offset at between 1971 and 2040 (weekly samples, bisected to the ms). */
export function clockChanges(zone: string): number[] {
  const offset = (ms: number) => DateTime.fromMillis(ms, { zone }).offset;
  const week = 7 * 86_400_000;
  const changes: number[] = [];
  for (let t = Date.parse('1971-01-01T00:00:00Z'); t < Date.parse('2041-01-01T00:00:00Z'); t += week) {
    if (offset(t) === offset(t + week)) continue;
    let [lo, hi] = [t, t + week];
    while (hi - lo > 1) {
      const mid = Math.floor((lo + hi) / 2);
      if (offset(mid) === offset(lo)) lo = mid;
      else hi = mid;
    }
    changes.push(hi);
  }
  return changes;
}

/** A day off for about three dates in ten, in no pattern (weekends included). */
export const scatteredHolidays: WorkingDayFn = (isoDate) => {
  let h = 2_166_136_261;
  for (let i = 0; i < isoDate.length; i++) h = Math.imul(h ^ isoDate.charCodeAt(i), 16_777_619) >>> 0;
  return h % 10 >= 3;
};
