import { MetricsRegistry } from '@app/platform';
import { Injectable } from '@nestjs/common';
import { Counter, Gauge } from 'prom-client';

/** What the calendar alarm reads at a scrape (set by CalendarAlarmService). */
export interface AlarmSnapshot {
  /** Years looked at (this year, next year in the last quarter, years running clocks touch): missing or not. */
  years: { year: number; missing: boolean }[];
  provisionalClocks: number;
  failingClocks: number;
  pendingRecomputes: number;
}

/** sla's own series on /metrics: the calendar alarm and clocks set aside after failing. */
@Injectable()
export class SlaMetrics {
  readonly clockFailures: Counter<'stage'>;
  private source?: () => Promise<AlarmSnapshot>;
  private pending?: Promise<AlarmSnapshot | undefined>;

  constructor(registry: MetricsRegistry) {
    const registers = [registry.registry];
    this.clockFailures = new Counter({
      name: 'jiesu_sla_clock_failures_total',
      help: 'Clocks that threw and were set aside (recorded on the clock) while the others went on, by stage (tick, recompute, event)',
      labelNames: ['stage'],
      registers,
    });
    const snapshot = () => this.snapshot();
    new Gauge({
      name: 'jiesu_sla_calendar_year_missing',
      help: '1 when a year that matters (this year, next year from 1 October, a year running clocks reach) has no working-day calendar',
      labelNames: ['year'],
      registers,
      async collect() {
        const s = await snapshot();
        this.reset();
        if (s) for (const y of s.years) this.set({ year: String(y.year) }, y.missing ? 1 : 0);
      },
    });
    new Gauge({
      name: 'jiesu_sla_provisional_clocks',
      help: 'Running clocks whose due time or schedule is on the provisional calendar (weekends only) for a year without data',
      registers,
      async collect() {
        const s = await snapshot();
        if (s) this.set(s.provisionalClocks);
      },
    });
    new Gauge({
      name: 'jiesu_sla_failing_clocks',
      help: 'Running clocks whose last tick or recompute threw (see last_error on the clock)',
      registers,
      async collect() {
        const s = await snapshot();
        if (s) this.set(s.failingClocks);
      },
    });
    new Gauge({
      name: 'jiesu_sla_calendar_recomputes_pending',
      help: 'Calendar recomputes queued or interrupted, not finished yet',
      registers,
      async collect() {
        const s = await snapshot();
        if (s) this.set(s.pendingRecomputes);
      },
    });
  }

  /** Where the gauges read from (one database read per scrape, shared by the four gauges). */
  readFrom(source: () => Promise<AlarmSnapshot>): void {
    this.source = source;
  }

  private snapshot(): Promise<AlarmSnapshot | undefined> {
    if (!this.source) return Promise.resolve(undefined);
    this.pending ??= this.source()
      .catch(() => undefined)
      .finally(() => setTimeout(() => (this.pending = undefined), 500));
    return this.pending;
  }
}
