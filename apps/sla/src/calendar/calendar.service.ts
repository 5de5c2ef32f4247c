import { CheckResult, statutoryYearKnown } from '@app/platform';
import { Injectable, OnModuleInit } from '@nestjs/common';
import { isWorkday } from 'chinese-days';
import { DateTime } from 'luxon';
import { CalendarRepository } from './calendar.repository';
import { CalendarGapError } from './working-time';

/**
 * China's statutory working-day calendar: the `chinese-days` library (State Council holiday notices,
 * adjusted working days included), overridden per day from the database. A year the library does
 * not know (no National Day holiday on 1 October) and the database does not declare is a gap:
 * computations fail loudly and readiness reports `degraded`.
 */
@Injectable()
export class CalendarService implements OnModuleInit {
  private overrides = new Map<string, boolean>();
  private declaredYears = new Set<number>();

  constructor(private readonly repo: CalendarRepository) {}

  async onModuleInit(): Promise<void> {
    await this.reload();
  }

  async reload(): Promise<void> {
    const days = await this.repo.days();
    const years = await this.repo.years();
    this.overrides = new Map(days.map((d) => [d.day, d.working]));
    this.declaredYears = new Set(years.map((y) => y.year));
  }

  /**
   * The library knows a year once the State Council's notice is in it: the year then has statutory
   * holidays on weekdays. (Asking whether 1 October is a holiday is not enough: the library also
   * calls weekends holidays, so a year whose 1 October is a Sunday would pass with no data.)
   */
  hasYear(year: number): boolean {
    return this.declaredYears.has(year) || statutoryYearKnown(year);
  }

  /** Where a year's calendar comes from: declared in the database, the library, or nowhere (a gap). */
  sourceOf(year: number): 'database' | 'library' | null {
    if (this.declaredYears.has(year)) return 'database';
    return this.hasYear(year) ? 'library' : null;
  }

  readonly isWorkingDay = (isoDate: string): boolean => {
    const o = this.overrides.get(isoDate);
    if (o !== undefined) return o;
    const year = Number(isoDate.slice(0, 4));
    if (!this.hasYear(year)) throw new CalendarGapError(year);
    return isWorkday(isoDate);
  };

  /** Degraded when this year (or, in December, next year) has no calendar in the city's time zone. */
  readiness(now: Date, zone: string): CheckResult {
    const local = DateTime.fromJSDate(now, { zone });
    const missing = [local.year, ...(local.month === 12 ? [local.year + 1] : [])].filter((y) => !this.hasYear(y));
    return missing.length
      ? { status: 'degraded', detail: `no working-day calendar for ${missing.join(', ')}; time limits in those years cannot be computed` }
      : { status: 'up' };
  }
}
