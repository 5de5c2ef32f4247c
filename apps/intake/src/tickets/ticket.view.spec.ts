import { DateTime } from 'luxon';
import { cityDay } from './ticket.view';

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
});
