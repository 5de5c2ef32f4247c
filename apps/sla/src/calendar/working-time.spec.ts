import { isWorkday } from 'chinese-days';
import { DateTime, Settings } from 'luxon';
import {
  addWorkingDays,
  addWorkingMs,
  CalendarGapError,
  dueAfter,
  remaining,
  subtractWorkingDays,
  WorkingDayFn,
  workingMsBetween,
} from './working-time';
import { clockChanges, scatteredHolidays } from '@app/platform/time/zone.fixtures';

const ZONE = 'Asia/Shanghai';
const HOUR = 3_600_000;
const cal = (d: string) => {
  if (!d.startsWith('2025') && !d.startsWith('2026')) throw new CalendarGapError(Number(d.slice(0, 4)));
  return isWorkday(d);
};
const at = (local: string) => new Date(`${local}+08:00`);
const local = (d: Date) => new Date(d.getTime() + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');

describe('addWorkingDays on the statutory calendar (Asia/Shanghai), 2025–2026', () => {
  it.each([
    // start (local)              days  due (local)          why
    ['2025-09-30T10:00:00', 5, '2025-10-14 10:00'], // day before National Day; Sat 11 Oct is a working day
    ['2025-09-26T17:30:00', 5, '2025-10-10 17:30'], // Fri before the holiday: Sun 28 Sep works, 29, 30, then 9, 10 Oct
    ['2025-09-26T17:30:00', 1, '2025-09-28 17:30'], // Fri → adjusted working Sunday 28 Sep
    ['2025-10-01T09:00:00', 1, '2025-10-10 00:00'], // starts in the holiday: counts from Thu 9 Oct 00:00
    ['2025-10-11T09:00:00', 1, '2025-10-13 09:00'], // starts on the adjusted working Saturday
    ['2025-10-12T09:00:00', 1, '2025-10-14 00:00'], // Sunday start: Monday counts as day one
    ['2026-02-13T16:00:00', 3, '2026-02-25 16:00'], // Fri before Spring Festival 2026: Sat 14 Feb works, 15–23 Feb off, then 24, 25
    ['2026-02-27T10:00:00', 1, '2026-02-28 10:00'], // Fri → adjusted working Saturday 28 Feb
    ['2025-01-24T09:00:00', 5, '2025-02-07 09:00'], // Spring Festival 2025: Sun 26 Jan works, Mon 27, 28 Jan–4 Feb off, 5–7 Feb
    ['2025-02-07T09:00:00', 1, '2025-02-08 09:00'], // Fri → adjusted working Saturday 8 Feb 2025
    ['2025-12-31T10:00:00', 1, '2026-01-04 10:00'], // across the year: 1–3 Jan 2026 off, Sun 4 Jan works
    ['2025-04-30T18:00:00', 2, '2025-05-07 18:00'], // Labour Day 1–5 May 2025; Sun 27 Apr works
    ['2026-04-30T18:00:00', 3, '2026-05-08 18:00'], // Labour Day 1–5 May 2026
    ['2026-05-08T09:00:00', 1, '2026-05-09 09:00'], // Fri → adjusted working Saturday 9 May 2026
    ['2026-06-18T12:00:00', 2, '2026-06-23 12:00'], // Dragon Boat Fri 19 Jun 2026 off
    ['2026-09-18T15:00:00', 1, '2026-09-20 15:00'], // Fri → adjusted working Sunday 20 Sep 2026
    ['2026-09-24T09:00:00', 1, '2026-09-28 09:00'], // Mid-Autumn Fri 25 Sep 2026 off
    ['2026-09-30T10:00:00', 5, '2026-10-13 10:00'], // day before National Day 2026: 8, 9, Sat 10 (works), 12, 13 Oct
    ['2026-11-20T09:15:00', 5, '2026-11-27 09:15'], // an ordinary week
    ['2026-11-21T11:00:00', 1, '2026-11-24 00:00'], // Saturday start: Monday counts as day one
  ])('%s + %i working days → %s', (start, days, due) => {
    expect(local(addWorkingDays(at(start), days, ZONE, cal))).toBe(due);
  });

  it('counts hours on the wall clock, across nights and holidays', () => {
    expect(local(dueAfter(at('2025-09-30T23:00:00'), 24, 'hours', ZONE, cal))).toBe('2025-10-01 23:00');
  });

  it('refuses to guess a year without calendar data', () => {
    expect(() => addWorkingDays(at('2026-12-30T10:00:00'), 5, ZONE, cal)).toThrow(CalendarGapError);
  });
});

describe('working days before a due time (Pingdingshan: reply two days early)', () => {
  it.each([
    ['2025-10-14T10:00:00', 2, '2025-10-11 10:00'], // back over Sunday to the adjusted working Saturday
    ['2025-10-10T17:30:00', 2, '2025-09-30 17:30'], // back over the whole National Day holiday
    ['2026-03-02T09:00:00', 2, '2026-02-27 09:00'], // Mon: Sat 28 Feb works, so Fri 27 Feb is the second
  ])('%s − %i working days → %s', (due, days, warn) => {
    expect(local(subtractWorkingDays(at(due), days, ZONE, cal))).toBe(warn);
  });
});

describe('working time between instants, to the minute', () => {
  it('is whole working days between a start and its due time', () => {
    expect(workingMsBetween(at('2025-09-30T10:00:00'), at('2025-10-14T10:00:00'), ZONE, cal)).toBe(5 * 24 * HOUR);
  });

  it('counts an adjusted working Saturday and skips the Sunday', () => {
    // Fri 10 Oct 18:00 → Mon 13 Oct 09:00: 6 h Friday + 24 h Saturday (works) + 0 Sunday + 9 h Monday.
    expect(workingMsBetween(at('2025-10-10T18:00:00'), at('2025-10-13T09:00:00'), ZONE, cal)).toBe(39 * HOUR);
  });

  it('adds working time over a holiday, the inverse of measuring it', () => {
    const end = addWorkingMs(at('2025-09-30T10:00:00'), 39 * HOUR, ZONE, cal);
    expect(local(end)).toBe('2025-10-10 01:00');
    expect(workingMsBetween(at('2025-09-30T10:00:00'), end, ZONE, cal)).toBe(39 * HOUR);
  });

  it('reports the time left in wall-clock and working minutes, negative when late', () => {
    // Sat 4 Oct 2025 12:00, due Tue 14 Oct 10:00: the holiday and Sunday 12 Oct do not count.
    expect(remaining(at('2025-10-04T12:00:00'), at('2025-10-14T10:00:00'), ZONE, cal)).toEqual({
      minutes: (9 * 24 + 22) * 60,
      workingMinutes: (4 * 24 + 10) * 60, // 9, 10, 11, 13 Oct whole + 10 h on the 14th
    });
    expect(remaining(at('2025-10-14T10:30:00'), at('2025-10-14T10:00:00'), ZONE, cal)).toEqual({ minutes: -30, workingMinutes: -30 });
  });
});

// The walks as they were before the remembered days (every step a luxon step): the fast ones must equal them to the ms.
const luxon = {
  subtractWorkingDays(due: Date, days: number, zone: string, isWorkingDay: WorkingDayFn): Date {
    let t = DateTime.fromJSDate(due, { zone });
    for (let i = 0; i < days; i++) {
      do t = t.minus({ days: 1 });
      while (!isWorkingDay(t.toISODate()!));
    }
    return t.toJSDate();
  },

  workingMsBetween(from: Date, to: Date, zone: string, isWorkingDay: WorkingDayFn): number {
    if (to <= from) return 0;
    let total = 0;
    let day = DateTime.fromJSDate(from, { zone }).startOf('day');
    const end = DateTime.fromJSDate(to, { zone });
    while (day < end) {
      const next = day.plus({ days: 1 });
      if (isWorkingDay(day.toISODate()!)) {
        const a = Math.max(day.toMillis(), from.getTime());
        const b = Math.min(next.toMillis(), to.getTime());
        if (b > a) total += b - a;
      }
      day = next;
    }
    return total;
  },

  addWorkingMs(start: Date, ms: number, zone: string, isWorkingDay: WorkingDayFn): Date {
    let t = DateTime.fromJSDate(start, { zone });
    let left = ms;
    for (let guard = 0; guard < 40_000; guard++) {
      const next = t.startOf('day').plus({ days: 1 });
      if (isWorkingDay(t.toISODate()!)) {
        const room = next.toMillis() - t.toMillis();
        if (left <= room) return new Date(t.toMillis() + left);
        left -= room;
      }
      t = next;
    }
    throw new Error(`working time out of range: ${ms} ms after ${start.toISOString()}`);
  },
};

const weekdaysOnly: WorkingDayFn = (isoDate) => ![0, 6].includes(new Date(`${isoDate}T00:00:00Z`).getUTCDay());

describe('the walks through the remembered days equal the luxon walks to the millisecond', () => {
  const zones = ['Asia/Shanghai', 'America/New_York', 'Europe/London', 'Australia/Lord_Howe', 'Asia/Kathmandu', 'America/St_Johns'];
  const DAY = 86_400_000;
  const realNow = Settings.now;
  afterEach(() => (Settings.now = realNow));

  /** Per zone: `random` instants from 1971 to 2040 (half of them on the hour), a few from 1968–1970, and instants near its clock changes. */
  function instants(changes: number[], rnd: () => number, random: number): number[] {
    const from = Date.parse('1971-01-01T00:00:00Z');
    const span = Date.parse('2040-12-31T00:00:00Z') - from;
    const out: number[] = [];
    for (let i = 0; i < random; i++) {
      const ms = from + Math.floor(rnd() * span);
      out.push(i % 2 ? ms : ms - (ms % HOUR));
    }
    for (let i = 0; i < random / 20; i++) out.push(Math.floor(rnd() * 3 * 365 * DAY) - 2 * 365 * DAY);
    for (const change of changes) {
      for (const d of [-3 * HOUR, -HOUR, -1, 0, 1, 30 * 60_000, 2 * HOUR]) if (rnd() < 0.4) out.push(change + d);
      out.push(change + Math.floor((rnd() - 0.5) * 45) * DAY + Math.floor((rnd() - 0.5) * 6) * HOUR); // some days either side
    }
    return out;
  }

  // luxon resolves a wall time from an offset it guesses (the DateTime's own, stepping; the zone's
  // offset now, in fromObject): the walks are compared with now in January, and near the clock
  // changes with now in July as well.
  it.each([
    ['January', '2026-01-15T12:00:00Z', 600],
    ['July', '2026-07-15T12:00:00Z', 0],
  ])(
    'for six zones, two calendars, random instants from 1971 to 2040 and instants near every clock change (now in %s)',
    (_, now, random) => {
      Settings.now = () => Date.parse(now);
      let seed = 1_234_567;
      const rnd = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
      const calendars = [weekdaysOnly, scatteredHolidays];
      let cases = 0;
      const same = <T>(what: string, got: T, want: T) => {
        if (got !== want) expect({ what, got }).toEqual({ what, got: want });
      };
      for (const zone of zones) {
        const changes = clockChanges(zone);
        for (const ms of instants(changes, rnd, random)) {
          const at = new Date(ms);
          const cal = calendars[Math.floor(rnd() * 2)];
          const name = `${zone} ${at.toISOString()} ${cal === weekdaysOnly ? 'weekdays' : 'scattered'}`;
          const days = Math.floor(rnd() * 31);
          same(
            `${name} − ${days}`,
            subtractWorkingDays(at, days, zone, cal).getTime(),
            luxon.subtractWorkingDays(at, days, zone, cal).getTime(),
          );
          // to: up to 14 days on, or near the next clock change if it is that close (a few before from)
          const change = changes.find((c) => c > ms - DAY);
          const to = new Date(
            rnd() < 0.05
              ? ms - HOUR
              : change !== undefined && change < ms + 14 * DAY && rnd() < 0.5
                ? change + Math.floor((rnd() - 0.5) * 4 * HOUR)
                : ms + Math.floor(rnd() * 14 * DAY),
          );
          same(`${name} → ${to.toISOString()}`, workingMsBetween(at, to, zone, cal), luxon.workingMsBetween(at, to, zone, cal));
          // ms: whole hours (landing on midnights too) or any ms, up to 10 days
          const left = rnd() < 0.5 ? Math.floor(rnd() * 10 * 24) * HOUR : Math.floor(rnd() * 10 * DAY);
          same(`${name} + ${left} ms`, addWorkingMs(at, left, zone, cal).getTime(), luxon.addWorkingMs(at, left, zone, cal).getTime());
          cases++;
        }
      }
      expect(cases).toBeGreaterThan(random ? 5_000 : 2_000);
    },
    120_000,
  );

  it("where a wall time happens twice, as luxon resolves it from the offset it steps from (St John's, 1 Nov 2009: back at 00:01)", () => {
    const zone = 'America/St_Johns';
    const every: WorkingDayFn = () => true;
    const local = (iso: string) => DateTime.fromISO(iso, { zone }).toJSDate();
    // Sunday 23:30 (−03:30) back a day: Saturday's 23:30 came twice (−02:30, then −03:30); stepping
    // from −03:30, luxon takes the second.
    expect(subtractWorkingDays(local('2009-11-01T23:30'), 1, zone, every)).toEqual(new Date('2009-11-01T03:00:00Z'));
    for (const due of [
      '2009-11-01T23:00:30',
      '2009-11-01T23:30',
      '2009-11-01T23:59:59.999',
      '2009-11-02T23:30',
      '2009-11-01T00:00:30',
      '2009-11-03T12:00',
    ]) {
      for (const days of [1, 2, 3]) {
        for (const cal of [every, weekdaysOnly, scatteredHolidays]) {
          const at = local(due);
          expect([due, days, subtractWorkingDays(at, days, zone, cal)]).toEqual([
            due,
            days,
            luxon.subtractWorkingDays(at, days, zone, cal),
          ]);
          const to = new Date(at.getTime() + days * DAY);
          const back = new Date(at.getTime() - days * DAY);
          expect([due, days, workingMsBetween(back, at, zone, cal), workingMsBetween(at, to, zone, cal)]).toEqual([
            due,
            days,
            luxon.workingMsBetween(back, at, zone, cal),
            luxon.workingMsBetween(at, to, zone, cal),
          ]);
          expect([due, days, addWorkingMs(back, days * DAY, zone, cal)]).toEqual([
            due,
            days,
            luxon.addWorkingMs(back, days * DAY, zone, cal),
          ]);
        }
      }
    }
  });

  it('where the clocks skip or repeat midnight (São Paulo until 2019, Beirut, Havana): the walk as luxon walks it', () => {
    // luxon's walk from a skipped midnight goes on from 01:00 (its days then run 01:00 to 01:00): kept as it was.
    let seed = 3;
    const rnd = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
    for (const zone of ['America/Sao_Paulo', 'Asia/Beirut', 'America/Havana']) {
      for (const change of clockChanges(zone).filter((c) => c > Date.parse('2010-01-01') && c < Date.parse('2019-01-01'))) {
        for (let k = 0; k < 4; k++) {
          const at = new Date(change + Math.floor((rnd() - 0.7) * 6 * DAY));
          const cal = [weekdaysOnly, scatteredHolidays][k % 2];
          const days = 1 + Math.floor(rnd() * 8);
          const to = new Date(at.getTime() + Math.floor(rnd() * 8 * DAY));
          const left = Math.floor(rnd() * 6 * DAY);
          const name = `${zone} ${at.toISOString()}`;
          expect([name, days, subtractWorkingDays(to, days, zone, cal)]).toEqual([
            name,
            days,
            luxon.subtractWorkingDays(to, days, zone, cal),
          ]);
          expect([name, to, workingMsBetween(at, to, zone, cal)]).toEqual([name, to, luxon.workingMsBetween(at, to, zone, cal)]);
          expect([name, left, addWorkingMs(at, left, zone, cal)]).toEqual([name, left, luxon.addWorkingMs(at, left, zone, cal)]);
        }
      }
    }
  });

  it('on the statutory calendar, 2025–2026 (Asia/Shanghai)', () => {
    let seed = 99;
    const rnd = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
    const from = Date.parse('2025-03-01T00:00:00Z');
    const span = Date.parse('2026-11-01T00:00:00Z') - from;
    for (let i = 0; i < 500; i++) {
      const at = new Date(from + Math.floor(rnd() * span));
      const days = Math.floor(rnd() * 31);
      const to = new Date(at.getTime() + Math.floor(rnd() * 40 * DAY));
      const left = Math.floor(rnd() * 20 * DAY);
      expect([at, days, subtractWorkingDays(at, days, ZONE, cal)]).toEqual([at, days, luxon.subtractWorkingDays(at, days, ZONE, cal)]);
      expect([at, to, workingMsBetween(at, to, ZONE, cal)]).toEqual([at, to, luxon.workingMsBetween(at, to, ZONE, cal)]);
      expect([at, left, addWorkingMs(at, left, ZONE, cal)]).toEqual([at, left, luxon.addWorkingMs(at, left, ZONE, cal)]);
    }
  });
});
