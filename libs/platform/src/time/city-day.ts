import { DateTime } from 'luxon';

/**
 * The city day (ISO date in `zone`) of an instant. Remembered per zone and quarter hour: offsets are
 * whole quarter hours and change only on quarter-hour instants, so a quarter hour never spans two
 * days; a replay asks for the same few thousand quarter hours millions of times, and intake numbers
 * every order by its day (luxon's zone arithmetic costs about 0.1 ms a call).
 */
export function cityDay(d: Date, zone: string): string {
  const ms = d.getTime();
  // Before 1970 some zones still kept local mean time (offsets in seconds): no shortcut there.
  if (!(ms >= 0)) return DateTime.fromJSDate(d, { zone }).toISODate()!;
  const q = Math.floor(ms / QUARTER_HOUR);
  let days = DAYS.get(zone);
  if (!days || days.size > 200_000) DAYS.set(zone, (days = new Map<number, string>()));
  let day = days.get(q);
  if (day === undefined) days.set(q, (day = DateTime.fromMillis(q * QUARTER_HOUR, { zone }).toISODate()!));
  return day;
}

const QUARTER_HOUR = 15 * 60_000;
const DAYS = new Map<string, Map<number, string>>();
