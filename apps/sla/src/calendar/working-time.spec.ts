import { isWorkday } from 'chinese-days';
import { addWorkingDays, CalendarGapError, dueAfter } from './working-time';

const ZONE = 'Asia/Shanghai';
const cal = (d: string) => {
  if (!d.startsWith('2025') && !d.startsWith('2026')) throw new CalendarGapError(Number(d.slice(0, 4)));
  return isWorkday(d);
};
const at = (local: string) => new Date(`${local}+08:00`);
const local = (d: Date) => new Date(d.getTime() + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');

describe('addWorkingDays on the statutory calendar (Asia/Shanghai)', () => {
  it.each([
    // start (local)              days  due (local)          why
    ['2025-09-30T10:00:00', 5, '2025-10-14 10:00'], // day before National Day; Sat 11 Oct is a working day
    ['2025-09-26T17:30:00', 1, '2025-09-28 17:30'], // Fri → adjusted working Sunday 28 Sep
    ['2025-10-01T09:00:00', 1, '2025-10-10 00:00'], // starts in the holiday: counts from Thu 9 Oct 00:00
    ['2026-02-13T16:00:00', 3, '2026-02-25 16:00'], // Fri before Spring Festival 2026: Sat 14 Feb works, 15–23 Feb off, then 24, 25
    ['2025-01-24T09:00:00', 5, '2025-02-07 09:00'], // Spring Festival 2025: Sun 26 Jan works, Mon 27, 28 Jan–4 Feb off, 5–7 Feb
    ['2026-11-20T09:15:00', 5, '2026-11-27 09:15'], // an ordinary week
    ['2026-11-21T11:00:00', 1, '2026-11-24 00:00'], // Saturday start: Monday counts as day one
    ['2025-04-30T18:00:00', 2, '2025-05-07 18:00'], // Labour Day 1–5 May 2025; Sun 27 Apr works
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
