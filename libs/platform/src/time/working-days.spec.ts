import { addWorkingDays, CalendarGapError, statutoryWorkingDay, statutoryYearKnown } from './working-days';

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
