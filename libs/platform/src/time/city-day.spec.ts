import { DateTime } from 'luxon';
import { cityDay, cityTime, dayInstant, nextDate, prevDate, zoneDay } from './city-day';

describe('cityDay', () => {
  const direct = (at: Date, zone: string) => DateTime.fromJSDate(at, { zone }).toISODate();

  it('is the calendar day in the city, across midnight, whatever was asked before', () => {
    // Xining is on Beijing time: 16:00 UTC is midnight there.
    expect(cityDay(new Date('2026-12-31T15:59:59.999Z'), 'Asia/Shanghai')).toBe('2026-12-31');
    expect(cityDay(new Date('2026-12-31T16:00:00.000Z'), 'Asia/Shanghai')).toBe('2027-01-01');
    expect(cityDay(new Date('2026-12-31T15:59:59.999Z'), 'Asia/Shanghai')).toBe('2026-12-31');
    expect(cityDay(new Date('2026-12-31T16:00:00.000Z'), 'UTC')).toBe('2026-12-31');
    expect(cityDay(new Date('2026-12-31T16:00:00.000Z'), 'Asia/Shanghai')).toBe('2027-01-01');
  });

  it('agrees with luxon minute by minute through days of 23 and 25 hours', () => {
    for (const [zone, from] of [
      ['America/New_York', '2026-03-07T00:00:00Z'],
      ['America/New_York', '2026-10-31T00:00:00Z'],
      ['Asia/Shanghai', '2026-12-30T00:00:00Z'],
    ] as const) {
      const start = Date.parse(from);
      for (let m = 0; m < 4 * 24 * 60; m += 7) {
        const at = new Date(start + m * 60_000);
        expect(cityDay(at, zone)).toBe(direct(at, zone));
      }
    }
  });

  it("gives luxon's day for any instant and zone (the quarter-hour memo included, DST and half-hour zones too)", () => {
    const zones = ['Asia/Shanghai', 'Europe/Berlin', 'America/St_Johns', 'Asia/Kathmandu', 'Australia/Lord_Howe', 'UTC'];
    let s = 7;
    const rnd = () => (s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const instants = [Date.parse('2026-03-29T00:59:59.999Z'), Date.parse('2026-03-29T01:00:00Z'), Date.parse('1969-12-31T16:00:00Z')];
    for (let i = 0; i < 500; i++) instants.push(Math.floor(Date.parse('1960-01-01T00:00:00Z') + rnd() * 80 * 365 * 86_400_000));
    for (const zone of zones) {
      const memo = instants.map((ms) => `${ms} ${cityDay(new Date(ms), zone)}`);
      expect(memo).toEqual(instants.map((ms) => `${ms} ${DateTime.fromMillis(ms, { zone }).toISODate()}`));
      expect(instants.map((ms) => cityDay(new Date(ms), zone))).toEqual(memo.map((x) => x.split(' ')[1])); // from the memo
    }
  });

  it("gives luxon's day around the midnights of zones whose offset was not a whole quarter hour after 1970", () => {
    // Monrovia kept -0:44:30 until 1972, Kiritimati -10:40 until 1979: their midnights fall inside a quarter hour.
    for (const [zone, day] of [
      ['Africa/Monrovia', '1971-06-01'],
      ['Pacific/Kiritimati', '1975-03-10'],
    ] as const) {
      const midnight = DateTime.fromISO(day, { zone }).toMillis();
      expect(midnight % (15 * 60_000)).not.toBe(0);
      for (const ms of [midnight - 60_000, midnight - 1, midnight, midnight + 1, midnight + 60_000]) {
        expect(`${ms} ${cityDay(new Date(ms), zone)}`).toBe(`${ms} ${DateTime.fromMillis(ms, { zone }).toISODate()}`);
      }
    }
  });
});

describe('zoneDay: a local day remembered with its midnight, length and offset', () => {
  const H = 3_600_000;

  it('knows an ordinary day and the days the clocks change', () => {
    expect(zoneDay('Asia/Shanghai', '2027-01-01')).toEqual({
      midnight: Date.parse('2026-12-31T16:00:00Z'),
      length: 24 * H,
      offset: 480,
      uniform: true,
      steady: true,
    });
    expect(zoneDay('America/New_York', '2026-03-08')).toMatchObject({
      midnight: Date.parse('2026-03-08T05:00:00Z'),
      length: 23 * H,
      uniform: false,
    });
    expect(zoneDay('America/New_York', '2026-11-01')).toMatchObject({
      midnight: Date.parse('2026-11-01T04:00:00Z'),
      length: 25 * H,
      uniform: false,
    });
    expect(zoneDay('Australia/Lord_Howe', '2026-04-05')).toMatchObject({ length: 24.5 * H, uniform: false }); // back half an hour
    expect(zoneDay('Asia/Kathmandu', '1986-01-01')).toMatchObject({ length: 23.75 * H, uniform: false }); // +05:30 → +05:45 at midnight
    // The day before a change at 01:00 is uniform but not steady: luxon, guessing the other offset, could land past its end.
    expect(zoneDay('Europe/London', '2026-03-28')).toMatchObject({ length: 24 * H, uniform: true, steady: false });
    expect(zoneDay('America/New_York', '2026-03-07')).toMatchObject({ length: 24 * H, uniform: true, steady: true }); // changes at 02:00
    expect(zoneDay('America/New_York', '2026-03-10')).toMatchObject({ length: 24 * H, offset: -240, uniform: true, steady: true });
  });

  it('leaves to luxon what only luxon can say: midnights that happen twice or not at all, 1969, no date', () => {
    // St John's put its clocks back at 00:01 until 2010: Sunday 1 Nov 2009 began twice. The Saturday
    // is uniform up to the first of them (not steady); the Sunday is luxon's.
    expect(zoneDay('America/St_Johns', '2009-10-31')).toMatchObject({ length: 24 * H, uniform: true, steady: false });
    expect(zoneDay('America/St_Johns', '2009-11-01').uniform).toBe(false);
    expect(zoneDay('Pacific/Apia', '2011-12-30').uniform).toBe(false); // Samoa skipped the day
    expect(zoneDay('Asia/Shanghai', '1969-12-31').uniform).toBe(false);
    expect(zoneDay('Asia/Shanghai', 'not a date')).toMatchObject({ uniform: false, steady: false });
    expect(zoneDay('Asia/Shanghai', '2026-02-30')).toMatchObject({ uniform: false, steady: false });
    expect(zoneDay('Not/AZone', '2026-01-01')).toMatchObject({ uniform: false, steady: false });
  });

  it("has luxon's midnight, length and wall clock on every uniform day (1,200 random days in six zones, and the days around their changes)", () => {
    let seed = 11;
    const rnd = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
    const zones = ['Asia/Shanghai', 'America/New_York', 'Europe/London', 'Australia/Lord_Howe', 'Asia/Kathmandu', 'America/St_Johns'];
    const first = Date.parse('1970-01-02T00:00:00Z');
    let uniform = 0;
    for (const zone of zones) {
      const dates = new Set<string>();
      for (let i = 0; i < 200; i++) dates.add(new Date(first + Math.floor(rnd() * 71 * 365) * 86_400_000).toISOString().slice(0, 10));
      for (const change of [
        '1986-01-01',
        '1991-09-15',
        '2007-03-11',
        '2009-11-01',
        '2026-03-29',
        '2026-04-05',
        '2026-10-04',
        '2026-10-25',
      ]) {
        for (let d = -2, date = prevDate(prevDate(change)); d <= 2; d++, date = nextDate(date)) dates.add(date);
      }
      for (const date of dates) {
        const day = zoneDay(zone, date);
        if (!day.uniform) continue;
        uniform++;
        // 00:00 on the day, and 00:00 the next (where luxon's walk steps from midnight to midnight)
        const start = DateTime.fromMillis(day.midnight, { zone });
        const next = start.plus({ days: 1 });
        expect([zone, date, start.toFormat('yyyy-MM-dd HH:mm:ss.SSS'), next.toMillis() - day.midnight, start.offset]).toEqual([
          zone,
          date,
          `${date} 00:00:00.000`,
          day.length,
          day.offset,
        ]);
        for (const t of [0, Math.floor(rnd() * 86_400_000), 86_399_999]) {
          const at = new Date(day.midnight + t);
          const wall = DateTime.fromJSDate(at, { zone });
          expect([zone, at.toISOString(), cityTime(at, zone)?.time, wall.toISODate()]).toEqual([
            zone,
            at.toISOString(),
            ((wall.hour * 60 + wall.minute) * 60 + wall.second) * 1000 + wall.millisecond,
            date,
          ]);
          const [year, month, dayOfMonth] = date.split('-').map(Number);
          const local = {
            year,
            month,
            day: dayOfMonth,
            hour: wall.hour,
            minute: wall.minute,
            second: wall.second,
            millisecond: wall.millisecond,
          };
          // luxon's answer from the day's own offset, and (where the day is steady) from an hour or two off it
          for (const guess of day.steady ? [day.offset, day.offset + [-60, 60, 120][Math.floor(rnd() * 3)]] : [day.offset]) {
            expect([zone, date, t, guess, dayInstant(day, t, guess)]).toEqual([
              zone,
              date,
              t,
              guess,
              DateTime.fromObject(local, { zone, specificOffset: guess } as object).toMillis(),
            ]);
          }
        }
      }
    }
    expect(uniform).toBeGreaterThan(1_000);
  });
});
