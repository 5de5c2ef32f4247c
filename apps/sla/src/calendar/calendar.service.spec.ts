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
    expect(() => cal.isWorkingDay('2028-10-02')).toThrow(CalendarGapError);
  });

  it('reports degraded readiness for the current year in the city zone', () => {
    // 31 Dec 2026 17:00 UTC is already 1 Jan 2027 in Shanghai.
    expect(cal.readiness(new Date('2026-12-31T17:00:00Z'), 'Asia/Shanghai').status).toBe('degraded');
    expect(cal.readiness(new Date('2026-06-01T00:00:00Z'), 'Asia/Shanghai').status).toBe('up');
  });

  it('treats adjusted working weekends as working days', () => {
    expect(cal.isWorkingDay('2025-10-11')).toBe(true); // Saturday, 调休
    expect(cal.isWorkingDay('2025-10-03')).toBe(false); // National Day
  });
});
