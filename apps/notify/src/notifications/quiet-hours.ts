import { DateTime } from 'luxon';

/** `HH:MM` → minutes after midnight. */
export const minutesOf = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/**
 * When a non-urgent message may go out: `now` itself outside the quiet hours, else the end of the
 * quiet hours (city time). Quiet hours may span midnight (22:00–07:00); equal ends mean none.
 */
export function afterQuietHours(now: Date, quietStart: string, quietEnd: string, zone: string): Date {
  const start = minutesOf(quietStart);
  const end = minutesOf(quietEnd);
  if (start === end) return now;
  const local = DateTime.fromJSDate(now, { zone });
  const m = local.hour * 60 + local.minute;
  const quiet = start < end ? m >= start && m < end : m >= start || m < end;
  if (!quiet) return now;
  let until = local.startOf('day').plus({ minutes: end });
  if (until <= local) until = until.plus({ days: 1 });
  return until.toJSDate();
}

/** The next daily digest time (city time) strictly after `now`. */
export function nextDigest(now: Date, digestAt: string, zone: string): Date {
  const local = DateTime.fromJSDate(now, { zone });
  let at = local.startOf('day').plus({ minutes: minutesOf(digestAt) });
  if (at <= local) at = at.plus({ days: 1 });
  return at.toJSDate();
}
