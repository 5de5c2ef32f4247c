import { FieldValidationException } from '@app/platform';
import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import { DateTime } from 'luxon';
import { ClocksService } from '../clocks/clocks.service';
import { SLA_CONFIG, SlaConfig } from '../sla.config';
import { CalendarDay } from './calendar.entity';
import { CalendarRepository } from './calendar.repository';
import { CalendarService } from './calendar.service';
import { DeclareYearDto, SetDaysDto } from './calendar.dto';

export interface CalendarEditResult {
  days: number;
  /** Running clocks whose due time moved. */
  clocksMoved: number;
}

/** Editing the calendar: the override rows, then the running clocks they touch are recomputed. */
@Injectable()
export class CalendarAdminService {
  constructor(
    private readonly repo: CalendarRepository,
    private readonly calendar: CalendarService,
    private readonly clocks: ClocksService,
    @Inject(SLA_CONFIG) private readonly config: SlaConfig,
  ) {}

  async year(year: number): Promise<{ year: number; source: 'database' | 'library' | null; overrides: CalendarDay[] }> {
    return { year, source: this.calendar.sourceOf(year), overrides: await this.repo.daysOf(year) };
  }

  async setDays(dto: SetDaysDto): Promise<CalendarEditResult> {
    const days = [...new Set(dto.days.map((d) => d.day))];
    if (days.length !== dto.days.length) throw new FieldValidationException([{ field: 'days', reason: 'each day at most once' }]);
    await this.repo.upsertDays(
      dto.days.map((d) => Object.assign(new CalendarDay(), { day: d.day, working: d.working, note: d.note ?? null })),
    );
    return { days: days.length, clocksMoved: await this.apply(days) };
  }

  async removeDay(day: string): Promise<CalendarEditResult> {
    if (!(await this.repo.removeDay(day))) throw new NotFoundException(`no override for ${day}`);
    return { days: 1, clocksMoved: await this.apply([day]) };
  }

  async declareYear(dto: DeclareYearDto): Promise<{ year: number; source: string }> {
    await this.repo.upsertYear({ year: dto.year, source: dto.source });
    await this.calendar.reload();
    return { year: dto.year, source: dto.source };
  }

  /** Reload, then recompute the running clocks around the edited days. */
  private async apply(days: string[]): Promise<number> {
    await this.calendar.reload();
    const zone = this.config.CITY_TIME_ZONE;
    const sorted = [...days].sort();
    const from = DateTime.fromISO(sorted[0], { zone }).startOf('day').toJSDate();
    const to = DateTime.fromISO(sorted[sorted.length - 1], { zone })
      .startOf('day')
      .plus({ days: 1 })
      .toJSDate();
    return this.clocks.recomputeAround(from, to);
  }
}
