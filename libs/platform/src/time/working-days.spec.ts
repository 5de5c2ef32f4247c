import {
  addWorkingDays,
  CalendarGapError,
  provisionalCalendar,
  statutoryWorkingDay,
  statutoryYearKnown,
  weekdaysOnly,
} from './working-days';

const at = (local: string) => new Date(`${local}+08:00`);

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
