import { CalendarRepository } from './calendar.repository';
import { CalendarService } from './calendar.service';
import { CalendarGapError } from './working-time';

/** A strict fake: the calendar must not touch the database for these questions. */
const noDatabase = new Proxy({} as CalendarRepository, {
  get: (_t, prop) => {
    throw new Error(`unexpected CalendarRepository.${String(prop)}`);
  },
});

describe('CalendarService', () => {
  const cal = new CalendarService(noDatabase);

  it('knows the years the library has the State Council notice for', () => {
    expect(cal.hasYear(2025)).toBe(true);
    expect(cal.hasYear(2026)).toBe(true);
  });

  it('does not mistake a year without data for a known one, even when 1 October is a weekend', () => {
    expect(cal.hasYear(2028)).toBe(false); // 1 October 2028 is a Sunday
    expect(() => cal.strictWorkingDay('2028-10-02')).toThrow(CalendarGapError);
  });

  it('answers a gap with weekends only on the lenient and provisional rules, and the provisional one remembers the year', () => {
    expect(cal.isWorkingDay('2028-10-02')).toBe(true); // a Monday, though National Day week in any real year
    const p = cal.provisional();
    expect(p.isWorkingDay('2028-10-01')).toBe(false); // Sunday
    expect(p.isWorkingDay('2026-10-01')).toBe(false); // known: National Day
    expect([...p.provisionalYears]).toEqual([2028]);
  });

  it('reports the gaps that matter: this year, next year from 1 October, years running clocks touch', () => {
    // 31 Dec 2026 17:00 UTC is already 1 Jan 2027 in Shanghai (and January is not the last quarter).
    expect(cal.gaps(new Date('2026-12-31T17:00:00Z'), 'Asia/Shanghai', [])).toEqual([{ year: 2027, reasons: ['current_year'] }]);
    expect(cal.gaps(new Date('2027-10-01T00:00:00+08:00'), 'Asia/Shanghai', [])).toEqual([
      { year: 2027, reasons: ['current_year'] },
      { year: 2028, reasons: ['next_year'] },
    ]);
    expect(cal.gaps(new Date('2026-10-01T00:00:00+08:00'), 'Asia/Shanghai', [2027])).toEqual([
      { year: 2027, reasons: ['next_year', 'running_clocks'] },
    ]);
    expect(cal.gaps(new Date('2026-09-30T23:59:00+08:00'), 'Asia/Shanghai', [])).toEqual([]);
    expect(cal.gaps(new Date('2026-06-01T00:00:00Z'), 'Asia/Shanghai', [2026])).toEqual([]);
  });

  it('treats adjusted working weekends as working days', () => {
    expect(cal.isWorkingDay('2025-10-11')).toBe(true); // Saturday, 调休
    expect(cal.isWorkingDay('2025-10-03')).toBe(false); // National Day
  });
});
