import { DateTime, Info, Settings } from 'luxon';

/**
 * The city day (ISO date in `zone`) of an instant. Remembered per zone and quarter hour: after 1970
 * offsets are whole quarter hours and change only on quarter-hour instants, so a quarter hour lies
 * within one day; a replay asks for the same few thousand quarter hours millions of times, and intake
 * numbers every order by its day (luxon's zone arithmetic costs about 0.1 ms a call). Where a
 * midnight falls inside a quarter hour (Monrovia until 1972, Kiritimati until 1979), that quarter
 * hour is remembered as split and each instant in it asked of luxon.
 */
export function cityDay(d: Date, zone: string): string {
  const ms = d.getTime();
  // Before 1970 some zones still kept local mean time (offsets in seconds): no shortcut there.
  if (!(ms >= 0)) return DateTime.fromJSDate(d, { zone }).toISODate()!;
  const q = Math.floor(ms / QUARTER_HOUR);
  let days = DAYS.get(zone);
  if (!days || days.size > 200_000) DAYS.set(zone, (days = new Map<number, string>()));
  let day = days.get(q);
  if (day === undefined) {
    day = DateTime.fromMillis(q * QUARTER_HOUR, { zone }).toISODate()!;
    if (DateTime.fromMillis((q + 1) * QUARTER_HOUR - 1, { zone }).toISODate() !== day) day = SPLIT;
    days.set(q, day);
  }
  return day === SPLIT ? DateTime.fromMillis(ms, { zone }).toISODate()! : day;
}

/** A quarter hour with a midnight inside it (see `cityDay`). */
const SPLIT = 'split';
const QUARTER_HOUR = 15 * 60_000;
const DAYS = new Map<string, Map<number, string>>();

/** A calendar day of a zone as luxon sees it (see `zoneDay`). */
export interface ZoneDay {
  /** The instant (epoch ms) of the day's 00:00 (where the clocks change, luxon's `startOf('day')` from the day's noon). */
  readonly midnight: number;
  /** Ms from `midnight` to the next day's midnight (23 or 25 hours on a day the clocks change). */
  readonly length: number;
  /** The UTC offset at `midnight`, in minutes (luxon's `offset`). */
  readonly offset: number;
  /**
   * 24 hours on one offset, midnight to midnight (and after 1970): the time of day of an instant in
   * it is the instant minus `midnight`, and the instant of a time of day is `midnight` plus it, as
   * luxon has them. False on a day the clocks change (at its midnight too) and before 1970.
   */
  readonly uniform: boolean;
  /** Uniform, and on the same offset for the two hours either side of it too (see `dayInstant`). */
  readonly steady: boolean;
}

/**
 * A local calendar day (`YYYY-MM-DD`) of `zone`: its midnight, its length and whether its clocks
 * stand still, measured once per zone and day from the zone's offsets (luxon's, a handful of look-ups)
 * and remembered. A zone conversion costs tens of microseconds; the working-day walks of every
 * service ask for the same few hundred days over and over, mostly to read the instant of a time of
 * day off `midnight`.
 *
 * A day is judged by the offsets at its two midnights (and two hours beyond them): a clock change
 * and its reversal within a day would go unseen, and the tz database has none (no zone changes its
 * clocks twice within 30 hours from 1970 to 2040; tzdata 2025b, every zone).
 */
export function zoneDay(zone: string, isoDate: string): ZoneDay {
  let days = ZONE_DAYS.get(zone);
  if (!days || days.size > 200_000) ZONE_DAYS.set(zone, (days = new Map<string, ZoneDay>()));
  let day = days.get(isoDate);
  if (day === undefined) days.set(isoDate, (day = measureDay(zone, isoDate)));
  return day;
}

const ZONE_DAYS = new Map<string, Map<string, ZoneDay>>();
const DAY = 86_400_000;
/** How far either side of a steady day its offset holds, in minutes. */
const MARGIN_MINUTES = 120;

function measureDay(zone: string, isoDate: string): ZoneDay {
  const [year, month, date] = isoDate.split('-').map(Number);
  const wall = Date.UTC(year, month - 1, date); // the day's 00:00 on the city's clocks, read as UTC
  if (!/^\d{4}-\d{2}-\d{2}$/.test(isoDate) || !(wall >= 0) || new Date(wall).toISOString().slice(0, 10) !== isoDate) {
    return luxonDay(zone, isoDate);
  }
  // Most days: one offset from 00:00 to 24:00, which puts midnight at the wall time less the offset.
  const guess = offsetAt(wall, zone);
  const offset = offsetAt(wall - guess * 60_000, zone);
  const midnight = wall - offset * 60_000;
  if (
    !(midnight >= 0) ||
    !Number.isInteger(midnight) ||
    (offset !== guess && offsetAt(midnight, zone) !== offset) ||
    offsetAt(midnight + DAY, zone) !== offset
  ) {
    return luxonDay(zone, isoDate);
  }
  const margin = MARGIN_MINUTES * 60_000;
  const steady = offsetAt(midnight - margin, zone) === offset && offsetAt(midnight + DAY + margin - 1, zone) === offset;
  return { midnight, length: DAY, offset, uniform: true, steady };
}

/**
 * A day the clocks change (or one before 1970, or no date at all): its midnights as luxon's
 * `startOf('day')` finds them from the day's noon (by the day's own offset, as from an instant in the
 * day, and not by today's: St John's put its clocks back at 00:01 until 2010, and had two midnights).
 */
function luxonDay(zone: string, isoDate: string): ZoneDay {
  const start = startOfDay(isoDate, zone);
  const midnight = start.toMillis();
  const length = start.isValid ? startOfDay(nextDate(isoDate), zone).toMillis() - midnight : NaN;
  return { midnight, length, offset: start.offset, uniform: false, steady: false };
}

/** luxon's `startOf('day')` from the day's noon. */
function startOfDay(isoDate: string, zone: string): DateTime {
  return DateTime.fromISO(`${isoDate}T12:00`, { zone }).startOf('day');
}

/** The zone's offset at an instant, in minutes (what a DateTime there has as `offset`). */
function offsetAt(ms: number, zone: string): number {
  return Info.normalizeZone(zone).offset(ms);
}

/**
 * The local date, and the time of day in ms since its midnight, of an instant, read off the
 * remembered day (`cityDay`, then `zoneDay`) without a zone conversion; undefined when only luxon
 * can say (a day the clocks change, an instant before 1970).
 */
export function cityTime(d: Date, zone: string): { date: string; time: number; day: ZoneDay } | undefined {
  const ms = d.getTime();
  if (!(ms >= 0)) return undefined;
  const date = cityDay(d, zone);
  if (!date) return undefined; // a zone luxon does not know
  const day = zoneDay(zone, date);
  const time = ms - day.midnight;
  // The range check keeps this exact where cityDay's quarter hours are not (Monrovia −0:44:30 until 1972, Kiritimati −10:40 until 1979).
  return day.uniform && time >= 0 && time < day.length ? { date, time, day } : undefined;
}

/**
 * The instant luxon resolves the local time `time` (ms after 00:00) of `day` to, when it starts
 * from the offset `guess` (its first try: the zone's offset now for `DateTime.fromObject`, the
 * DateTime's own offset for `plus`, `minus` and `startOf`); undefined when only luxon can say.
 * On a uniform day luxon's first try lands in the day when the guess is the day's offset; on a
 * steady day also when the guess is within two hours of it (a DST zone in the other season), the
 * correction then landing in the day. Elsewhere its answer depends on the guess, and is luxon's own.
 */
export function dayInstant(day: ZoneDay, time: number, guess: number): number | undefined {
  if (!day.uniform) return undefined;
  if (guess === day.offset || (day.steady && Math.abs(guess - day.offset) <= MARGIN_MINUTES)) return day.midnight + time;
  return undefined;
}

/**
 * The zone's offset now (luxon's `Settings.now()`), in minutes: the guess `DateTime.fromObject`
 * starts from. Remembered per zone for the current second (luxon reads offsets to the second).
 */
export function zoneOffsetNow(zone: string): number {
  const now = Settings.now();
  const second = Math.floor(now / 1000);
  let o = NOW.get(zone);
  if (o === undefined || o.second !== second) NOW.set(zone, (o = { second, offset: offsetAt(now, zone) }));
  return o.offset;
}

const NOW = new Map<string, { second: number; offset: number }>();

/** A luxon DateTime's local date, time of day (ms since 00:00) and offset: what the walks step from where luxon has to say. */
export function wallOf(t: DateTime): { date: string; time: number; offset: number } {
  return { date: t.toISODate()!, time: ((t.hour * 60 + t.minute) * 60 + t.second) * 1000 + t.millisecond, offset: t.offset };
}

/** The calendar date after `isoDate` (`YYYY-MM-DD`), zone-free. */
export function nextDate(isoDate: string): string {
  // Days 1–27 have their successor in the same month: a string step (the walks take millions of them).
  if (NEXT_IN_MONTH.test(isoDate)) return `${isoDate.slice(0, 8)}${String(Number(isoDate.slice(8)) + 1).padStart(2, '0')}`;
  const d = new Date(`${isoDate}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

/** The calendar date before `isoDate` (`YYYY-MM-DD`), zone-free. */
export function prevDate(isoDate: string): string {
  if (PREV_IN_MONTH.test(isoDate)) return `${isoDate.slice(0, 8)}${String(Number(isoDate.slice(8)) - 1).padStart(2, '0')}`;
  const d = new Date(`${isoDate}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - 1);
  return d.toISOString().slice(0, 10);
}

const NEXT_IN_MONTH = /^\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|1\d|2[0-7])$/;
const PREV_IN_MONTH = /^\d{4}-(?:0[1-9]|1[0-2])-(?:0[2-9]|1\d|2[0-8])$/;
