import { DateTime, Settings } from 'luxon';
import {
  addWorkingDays,
  CalendarGapError,
  provisionalCalendar,
  statutoryWorkingDay,
  statutoryYearKnown,
  weekdaysOnly,
  WorkingDayFn,
} from './working-days';
import { clockChanges, scatteredHolidays } from './zone.fixtures';

const at = (local: string) => new Date(`${local}+08:00`);

/** The walk as it was first written (every day step a zone-aware luxon step): the reference the fast one must equal. */
function referenceAddWorkingDays(start: Date, days: number, zone: string, isWorkingDay: (d: string) => boolean): Date {
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

/** addWorkingDays as it was before the remembered days (two luxon conversions a call): the fast one must equal it to the ms. */
function luxonAddWorkingDays(start: Date, days: number, zone: string, isWorkingDay: WorkingDayFn): Date {
  const local = DateTime.fromJSDate(start, { zone });
  let date = local.toISODate()!;
  let time = { hour: local.hour, minute: local.minute, second: local.second, millisecond: local.millisecond };
  if (!isWorkingDay(date)) {
    time = { hour: 0, minute: 0, second: 0, millisecond: 0 };
    do date = nextDay(date);
    while (!isWorkingDay(date));
  }
  for (let i = 0; i < days; i++) {
    do date = nextDay(date);
    while (!isWorkingDay(date));
  }
  const [year, month, day] = date.split('-').map(Number);
  return DateTime.fromObject({ year, month, day, ...time }, { zone }).toJSDate();
}

function nextDay(isoDate: string): string {
  const d = new Date(`${isoDate}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

describe('addWorkingDays through the remembered days equals the two luxon conversions to the millisecond', () => {
  const zones = ['Asia/Shanghai', 'America/New_York', 'Europe/London', 'Australia/Lord_Howe', 'Asia/Kathmandu', 'America/St_Johns'];
  const calendars = [weekdaysOnly, scatteredHolidays];
  const HOUR = 3_600_000;
  const realNow = Settings.now;
  afterEach(() => (Settings.now = realNow));

  // luxon resolves a wall time from the zone's offset now: in January and July (either season, both hemispheres).
  it.each([
    ['January', '2026-01-15T12:00:00Z'],
    ['July', '2026-07-15T12:00:00Z'],
  ])(
    'for random instants from 1971 to 2040 and instants near every clock change, six zones, now in %s',
    (_, now) => {
      Settings.now = () => Date.parse(now);
      let seed = 20_260_115;
      const rnd = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
      const from = Date.parse('1971-01-01T00:00:00Z');
      const span = Date.parse('2040-12-31T00:00:00Z') - from;
      let cases = 0;
      for (const zone of zones) {
        const starts: number[] = [];
        for (let i = 0; i < 1_000; i++) starts.push(from + Math.floor(rnd() * span));
        for (let i = 0; i < 50; i++) starts.push(Math.floor(rnd() * 3 * 365 * 86_400_000) - 2 * 365 * 86_400_000); // 1968–1970: luxon's
        for (const change of clockChanges(zone)) {
          for (const d of [-3 * HOUR, -HOUR, -1, 0, 1, 30 * 60_000, 2 * HOUR]) if (rnd() < 0.4) starts.push(change + d);
          // a start some days before, so the result falls near the change
          starts.push(change - Math.floor(rnd() * 45) * 86_400_000 + Math.floor((rnd() - 0.5) * 6 * HOUR));
        }
        for (const ms of starts) {
          const start = new Date(ms);
          const days = Math.floor(rnd() * 31);
          const cal = calendars[Math.floor(rnd() * calendars.length)];
          const got = addWorkingDays(start, days, zone, cal).getTime();
          const want = luxonAddWorkingDays(start, days, zone, cal).getTime();
          if (got !== want)
            expect({ zone, start: start.toISOString(), days, cal: cal === weekdaysOnly ? 'weekdays' : 'scattered', got }).toEqual({ want });
          cases++;
        }
      }
      // And Xining's own calendar, over the years it knows.
      const known = Date.parse('2025-01-01T00:00:00Z');
      for (let i = 0; i < 500; i++, cases++) {
        const start = new Date(known + Math.floor(rnd() * (Date.parse('2026-10-31T00:00:00Z') - known)));
        const days = Math.floor(rnd() * 31);
        expect([start, days, addWorkingDays(start, days, 'Asia/Shanghai')]).toEqual([
          start,
          days,
          luxonAddWorkingDays(start, days, 'Asia/Shanghai', statutoryWorkingDay),
        ]);
      }
      expect(cases).toBeGreaterThan(6_500);
    },
    60_000,
  );
});

describe("addWorkingDays where a wall time happens twice (St John's, 1 Nov 2009: clocks back at 00:01)", () => {
  const realNow = Settings.now;
  afterEach(() => (Settings.now = realNow));

  // Saturday 31 Oct 23:30 came twice (−02:30, then −03:30): luxon takes the one on the offset the
  // zone has now, and so does addWorkingDays.
  it.each([
    ['January', '2026-01-15T12:00:00Z', '2009-11-01T03:00:00.000Z'],
    ['July', '2026-07-15T12:00:00Z', '2009-11-01T02:00:00.000Z'],
  ])('as luxon resolves it with now in %s', (_, now, due) => {
    Settings.now = () => Date.parse(now);
    const every: WorkingDayFn = () => true;
    const start = DateTime.fromISO('2009-10-30T23:30', { zone: 'America/St_Johns' }).toJSDate();
    expect(addWorkingDays(start, 1, 'America/St_Johns', every).toISOString()).toBe(due);
    expect(luxonAddWorkingDays(start, 1, 'America/St_Johns', every).toISOString()).toBe(due);
  });
});

describe('the shared statutory working-day rule', () => {
  it('knows the years whose State Council notice is in the library', () => {
    expect(statutoryYearKnown(2025)).toBe(true);
    expect(statutoryYearKnown(2026)).toBe(true);
  });

  it('does not take a year without data for known because its 1 October falls on a weekend', () => {
    expect(statutoryYearKnown(2028)).toBe(false); // 1 October 2028 is a Sunday
    expect(() => statutoryWorkingDay('2028-10-02')).toThrow(CalendarGapError);
    expect(() => addWorkingDays(at('2028-09-29T10:00:00'), 2, 'Asia/Shanghai')).toThrow(CalendarGapError);
  });

  it('counts over National Day and its adjusted working Saturday by default', () => {
    expect(addWorkingDays(at('2025-09-30T10:00:00'), 5, 'Asia/Shanghai')).toEqual(at('2025-10-14T10:00:00'));
  });

  it('counts from 00:00 of the next working day when it starts on a day off', () => {
    expect(addWorkingDays(at('2025-10-03T15:30:00'), 1, 'Asia/Shanghai')).toEqual(at('2025-10-10T00:00:00'));
    expect(addWorkingDays(at('2025-10-03T15:30:00'), 0, 'Asia/Shanghai')).toEqual(at('2025-10-09T00:00:00'));
  });

  it('equals the zone-aware day-by-day walk for 600 instants over 2025–2026 (Xining; Berlin across its clock changes)', () => {
    let seed = 17;
    const next = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
    const from = Date.parse('2025-01-01T00:00:00Z');
    const span = Date.parse('2026-11-30T00:00:00Z') - from;
    const wall = (d: Date, zone: string) => DateTime.fromJSDate(d, { zone }).toFormat("yyyy-MM-dd'T'HH:mm:ss.SSS");
    for (let i = 0; i < 600; i++) {
      const start = new Date(from + Math.floor(next() * span));
      const days = Math.floor(next() * 16);
      if (i % 3 < 2) {
        expect([start, days, addWorkingDays(start, days, 'Asia/Shanghai')]).toEqual([
          start,
          days,
          referenceAddWorkingDays(start, days, 'Asia/Shanghai', statutoryWorkingDay),
        ]);
        continue;
      }
      // The same working day, at the start's wall time (00:00 from a day off). The walk, stepping a
      // wall time through a night that skips it (the last Sunday of March), came out an hour late.
      const got = wall(addWorkingDays(start, days, 'Europe/Berlin', weekdaysOnly), 'Europe/Berlin');
      const ref = wall(referenceAddWorkingDays(start, days, 'Europe/Berlin', weekdaysOnly), 'Europe/Berlin');
      const time = weekdaysOnly(wall(start, 'Europe/Berlin').slice(0, 10)) ? wall(start, 'Europe/Berlin').slice(10) : 'T00:00:00.000';
      expect([start, days, got]).toEqual([start, days, ref.slice(0, 10) + time]);
    }
  });
});

describe('the provisional calendar for a year without data', () => {
  it('counts weekdays only in the gap year, and says which years it guessed', () => {
    const cal = provisionalCalendar(statutoryWorkingDay);
    // Thu 2026-12-24 10:00 + 5: Fri 25, Mon 28, Tue 29, Wed 30 (2026, known) and Thu 31 Dec 2026.
    expect(addWorkingDays(at('2026-12-24T10:00:00'), 5, 'Asia/Shanghai', cal.isWorkingDay)).toEqual(at('2026-12-31T10:00:00'));
    expect([...cal.provisionalYears]).toEqual([]);
    // Mon 2026-12-28 + 5: 29, 30, 31 Dec, then Fri 1 Jan 2027 (a weekday: provisional) and Mon 4 Jan 2027.
    expect(addWorkingDays(at('2026-12-28T09:30:00'), 5, 'Asia/Shanghai', cal.isWorkingDay)).toEqual(at('2027-01-04T09:30:00'));
    expect([...cal.provisionalYears]).toEqual([2027]);
  });

  it('keeps the known years statutory across the boundary (1–3 Jan 2026 off, Sun 4 Jan works)', () => {
    const cal = provisionalCalendar(statutoryWorkingDay);
    expect(addWorkingDays(at('2025-12-31T10:00:00'), 1, 'Asia/Shanghai', cal.isWorkingDay)).toEqual(at('2026-01-04T10:00:00'));
    expect(cal.provisionalYears.size).toBe(0);
  });

  it('passes other errors through', () => {
    const cal = provisionalCalendar(() => {
      throw new Error('boom');
    });
    expect(() => cal.isWorkingDay('2027-01-04')).toThrow('boom');
  });

  it('is weekends-only', () => {
    expect(['2027-01-01', '2027-01-02', '2027-01-03', '2027-01-04'].map(weekdaysOnly)).toEqual([true, false, false, true]);
  });
});
