import { DateTime } from 'luxon';
import { cityDay } from './city-day';

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
});
