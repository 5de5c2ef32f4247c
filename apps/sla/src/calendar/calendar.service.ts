import { libraryWorkday, provisionalCalendar, ProvisionalCalendar, statutoryYearKnown, weekdaysOnly } from '@app/platform';
import { Injectable, OnModuleInit } from '@nestjs/common';
import { DateTime } from 'luxon';
import { CalendarRepository } from './calendar.repository';
import { CalendarGapError } from './working-time';

/** Why a year without data matters now. */
export type GapReason = 'current_year' | 'next_year' | 'running_clocks';

/** From 1 October (the last quarter) next year's calendar is expected: State Council notices come out in Oct–Dec. */
export const NEXT_YEAR_ALARM_FROM_MONTH = 10;

/**
 * China's statutory working-day calendar: the `chinese-days` library (State Council holiday notices,
 * adjusted working days included), overridden per day from the database. A year the library does
 * not know and the database does not declare is a gap: the strict rule throws CalendarGapError, and
 * clocks are computed on the provisional calendar (`provisional()`: weekends only, remembering the
 * gap years it answered for) and marked provisional until the year is declared.
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

  /** Years declared in the database. */
  get declared(): number[] {
    return [...this.declaredYears].sort();
  }

  /** The strict rule: an override, else the library for a year with data; throws CalendarGapError in a gap. */
  readonly strictWorkingDay = (isoDate: string): boolean => {
    const o = this.overrides.get(isoDate);
    if (o !== undefined) return o;
    const year = Number(isoDate.slice(0, 4));
    if (!this.hasYear(year)) throw new CalendarGapError(year);
    return libraryWorkday(isoDate);
  };

  /** A rule for one computation that answers gaps with weekends-only and remembers the gap years (a clock's due time). */
  provisional(): ProvisionalCalendar {
    return provisionalCalendar(this.strictWorkingDay);
  }

  /** The lenient rule, for what is not stored (time left on a view, time stood still): never throws. */
  readonly isWorkingDay = (isoDate: string): boolean => {
    try {
      return this.strictWorkingDay(isoDate);
    } catch (e) {
      if (e instanceof CalendarGapError) return weekdaysOnly(isoDate);
      throw e;
    }
  };

  /**
   * The years without data that matter at `now` in `zone`: this year, next year from 1 October (the
   * State Council publishes the notice in Oct–Dec and limits started in the last quarter reach
   * into it), and every year running clocks were computed provisionally in (`touched`).
   */
  gaps(now: Date, zone: string, touched: Iterable<number>): { year: number; reasons: GapReason[] }[] {
    const local = DateTime.fromJSDate(now, { zone });
    const why = new Map<number, GapReason[]>();
    const add = (y: number, r: GapReason) => why.set(y, [...(why.get(y) ?? []), r]);
    add(local.year, 'current_year');
    if (local.month >= NEXT_YEAR_ALARM_FROM_MONTH) add(local.year + 1, 'next_year');
    for (const y of touched) add(y, 'running_clocks');
    return [...why]
      .filter(([y]) => !this.hasYear(y))
      .sort(([a], [b]) => a - b)
      .map(([year, reasons]) => ({ year, reasons }));
  }
}
