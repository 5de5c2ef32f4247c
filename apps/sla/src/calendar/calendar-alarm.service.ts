import { CheckResult, CLOCK, Clock, HealthService } from '@app/platform';
import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { DateTime } from 'luxon';
import { ClocksRepository } from '../clocks/clocks.repository';
import { SLA_CONFIG, SlaConfig } from '../sla.config';
import { AlarmSnapshot, SlaMetrics } from '../sla.metrics';
import { CalendarService, GapReason } from './calendar.service';

export interface CalendarStatus {
  /** Today in the city's time zone. */
  today: string;
  zone: string;
  /** True while any year is missing or any clock is failing: the console's home page shows it. */
  alarm: boolean;
  /** The years that matter now and where their calendar comes from (null = no data). */
  years: { year: number; source: 'database' | 'library' | null }[];
  /** Years without data that matter, why, and how many running clocks are provisional for each. */
  missingYears: { year: number; reasons: GapReason[]; provisionalClocks: number }[];
  /** Running clocks on the provisional calendar (weekends only) for some year. */
  provisionalClocks: number;
  /** Running clocks whose last tick or recompute threw (see `lastError` on the clock). */
  failingClocks: number;
  /** Calendar recomputes not finished yet (they resume at the next tick). */
  pendingRecomputes: number;
}

/**
 * The working-day calendar alarm: a year without data that matters (this year; next year from
 * 1 October; any year running clocks were computed provisionally for) and clocks that keep failing.
 * One reading, three outlets: GET /calendar/status (the administrators' console home page), the
 * `calendar` and `clocks` checks of /health/ready (degraded, never down), and gauges on /metrics.
 */
@Injectable()
export class CalendarAlarmService implements OnApplicationBootstrap {
  constructor(
    private readonly calendar: CalendarService,
    private readonly clocks: ClocksRepository,
    private readonly health: HealthService,
    private readonly metrics: SlaMetrics,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(SLA_CONFIG) private readonly config: SlaConfig,
  ) {}

  onApplicationBootstrap(): void {
    // Degraded, not down: the gap is the same for every replica, so failing readiness would take
    // every sla pod out of the Service — including the calendar API that fixes it — while the
    // clocks keep running provisionally. The body carries the warning; probes and alerts read it.
    this.health.register('calendar', async () => this.calendarCheck(await this.status()));
    this.health.register('clocks', async () => this.clocksCheck(await this.status()));
    this.metrics.readFrom(() => this.snapshot());
    this.metrics.clocksFrom(() => this.clocks.metricsCounts());
  }

  async status(): Promise<CalendarStatus> {
    const now = this.clock.now();
    const zone = this.config.CITY_TIME_ZONE;
    const local = DateTime.fromJSDate(now, { zone });
    const touched = await this.clocks.provisionalYears();
    const counts = await this.clocks.alarmCounts();
    const pendingRecomputes = (await this.clocks.openRecomputes()).length;
    const gaps = this.calendar.gaps(
      now,
      zone,
      touched.map((t) => t.year),
    );
    const years = [...new Set([local.year, local.year + 1, ...touched.map((t) => t.year), ...this.calendar.declared])]
      .sort((a, b) => a - b)
      .map((year) => ({ year, source: this.calendar.sourceOf(year) }));
    const missingYears = gaps.map((g) => ({ ...g, provisionalClocks: touched.find((t) => t.year === g.year)?.clocks ?? 0 }));
    return {
      today: local.toISODate()!,
      zone,
      alarm: missingYears.length > 0 || counts.failing > 0,
      years,
      missingYears,
      provisionalClocks: counts.provisional,
      failingClocks: counts.failing,
      pendingRecomputes,
    };
  }

  private async snapshot(): Promise<AlarmSnapshot> {
    const s = await this.status();
    const missing = new Set(s.missingYears.map((m) => m.year));
    const years = new Map<number, boolean>();
    for (const y of s.years) if (y.year >= Number(s.today.slice(0, 4))) years.set(y.year, missing.has(y.year));
    for (const y of missing) years.set(y, true);
    let lastKnownYear = Number(s.today.slice(0, 4));
    while (this.calendar.hasYear(lastKnownYear)) lastKnownYear++;
    return {
      lastKnownYear: lastKnownYear - 1,
      years: [...years].map(([year, m]) => ({ year, missing: m })),
      provisionalClocks: s.provisionalClocks,
      failingClocks: s.failingClocks,
      pendingRecomputes: s.pendingRecomputes,
    };
  }

  private calendarCheck(s: CalendarStatus): CheckResult {
    if (!s.missingYears.length) return { status: 'up' };
    const what = s.missingYears.map((m) => `${m.year} (${m.reasons.join(', ')}; ${m.provisionalClocks} provisional clocks)`).join('; ');
    return {
      status: 'degraded',
      detail:
        `no working-day calendar for ${what}: time limits there are provisional (weekends only) until the year is ` +
        `declared (POST /calendar/years with its holidays and adjusted working days)`,
    };
  }

  private clocksCheck(s: CalendarStatus): CheckResult {
    return s.failingClocks
      ? {
          status: 'degraded',
          detail: `${s.failingClocks} running clocks failed at their last attempt (sla_clock.last_error); the others fire`,
        }
      : { status: 'up' };
  }
}
