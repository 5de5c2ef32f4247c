import { FieldValidationException, TransactionHost, TxHost } from '@app/platform';
import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import { DateTime } from 'luxon';
import { ClocksRepository } from '../clocks/clocks.repository';
import { ClockRecomputeService } from '../clocks/clock-recompute.service';
import { SLA_CONFIG, SlaConfig } from '../sla.config';
import { CalendarRecompute } from './calendar-recompute.entity';
import { CalendarDay } from './calendar.entity';
import { CalendarRepository } from './calendar.repository';
import { CalendarService } from './calendar.service';
import { CalendarDayDto, DeclareYearDto, SetDaysDto } from './calendar.dto';

export interface CalendarEditResult {
  days: number;
  /** Running clocks whose due time moved. */
  clocksMoved: number;
  /** Running clocks recomputed (their window touched the edited days, or they were provisional for the year). */
  clocksRecomputed: number;
}

/**
 * Editing the calendar: the override rows and a persisted recompute job in one transaction, then
 * the job runs (only the running clocks whose window touches the edited days, or that were
 * provisional for a declared year); a crash midway leaves the job for the tick or the next boot.
 */
@Injectable()
export class CalendarAdminService {
  constructor(
    @Inject(TransactionHost) private readonly txHost: TxHost,
    private readonly repo: CalendarRepository,
    private readonly calendar: CalendarService,
    private readonly clocks: ClockRecomputeService,
    private readonly clockRows: ClocksRepository,
    @Inject(SLA_CONFIG) private readonly config: SlaConfig,
  ) {}

  async year(year: number): Promise<{ year: number; source: 'database' | 'library' | null; overrides: CalendarDay[] }> {
    return { year, source: this.calendar.sourceOf(year), overrides: await this.repo.daysOf(year) };
  }

  async setDays(dto: SetDaysDto): Promise<CalendarEditResult> {
    const days = this.distinct(dto.days);
    const jobs = await this.txHost.withTransaction(async () => {
      await this.repo.upsertDays(dto.days.map(toRow));
      return [await this.queueDays(days)];
    });
    return { days: days.length, ...(await this.run(jobs)) };
  }

  async removeDay(day: string): Promise<CalendarEditResult> {
    const jobs = await this.txHost.withTransaction(async () => {
      if (!(await this.repo.removeDay(day))) throw new NotFoundException(`no override for ${day}`);
      return [await this.queueDays([day])];
    });
    return { days: 1, ...(await this.run(jobs)) };
  }

  /**
   * Declare a year complete (its holidays and adjusted working days, given here or entered before):
   * its clocks stop being provisional. Recomputes the clocks provisional for the year (due times,
   * warnings re-armed, announced) and those whose window touches the days given.
   */
  async declareYear(dto: DeclareYearDto): Promise<{ year: number; source: string } & CalendarEditResult> {
    const given = dto.days ?? [];
    const days = this.distinct(given);
    const outside = given.findIndex((d) => !d.day.startsWith(`${dto.year}-`));
    if (outside >= 0) throw new FieldValidationException([{ field: `days.${outside}.day`, reason: `must be a day of ${dto.year}` }]);
    const jobs = await this.txHost.withTransaction(async () => {
      if (days.length) await this.repo.upsertDays(given.map(toRow));
      await this.repo.upsertYear({ year: dto.year, source: dto.source });
      const queued = [await this.clockRows.queueRecompute({ scope: 'year', year: dto.year })];
      if (days.length) queued.push(await this.queueDays(days));
      return queued;
    });
    return { year: dto.year, source: dto.source, days: days.length, ...(await this.run(jobs)) };
  }

  private distinct(days: CalendarDayDto[]): string[] {
    const set = [...new Set(days.map((d) => d.day))];
    if (set.length !== days.length) throw new FieldValidationException([{ field: 'days', reason: 'each day at most once' }]);
    return set;
  }

  /** A recompute of the clocks whose window touches the local days edited: [first 00:00, last + 1 day 00:00). */
  private queueDays(days: string[]): Promise<CalendarRecompute> {
    const zone = this.config.CITY_TIME_ZONE;
    const sorted = [...days].sort();
    const fromAt = DateTime.fromISO(sorted[0], { zone }).startOf('day').toJSDate();
    const toAt = DateTime.fromISO(sorted[sorted.length - 1], { zone })
      .startOf('day')
      .plus({ days: 1 })
      .toJSDate();
    return this.clockRows.queueRecompute({ scope: 'days', fromAt, toAt });
  }

  /** Reload, then run the jobs to their end (waiting for a batch the tick may be running). */
  private async run(jobs: CalendarRecompute[]): Promise<{ clocksMoved: number; clocksRecomputed: number }> {
    await this.calendar.reload();
    let clocksMoved = 0;
    let clocksRecomputed = 0;
    for (const j of jobs) {
      const done = await this.clocks.runRecompute(j.id, true);
      clocksMoved += done?.moved ?? 0;
      clocksRecomputed += done?.visited ?? 0;
    }
    return { clocksMoved, clocksRecomputed };
  }
}

const toRow = (d: CalendarDayDto): CalendarDay =>
  Object.assign(new CalendarDay(), { day: d.day, working: d.working, note: d.note ?? null });
