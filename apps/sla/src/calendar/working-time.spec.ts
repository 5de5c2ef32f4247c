import { isWorkday } from 'chinese-days';
import { addWorkingDays, addWorkingMs, CalendarGapError, dueAfter, remaining, subtractWorkingDays, workingMsBetween } from './working-time';

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
