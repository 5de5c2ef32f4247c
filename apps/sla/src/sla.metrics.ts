import { MetricsRegistry, scrapeSnapshot } from '@app/platform';
import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram } from 'prom-client';

/** What the calendar alarm reads at a scrape (set by CalendarAlarmService). */
export interface AlarmSnapshot {
  /** Years looked at (this year, next year in the last quarter, years running clocks touch): missing or not. */
  years: { year: number; missing: boolean }[];
  provisionalClocks: number;
  failingClocks: number;
  pendingRecomputes: number;
  /** The last year of the unbroken run of years with a calendar from this year on (this year − 1 when this year has none). */
  lastKnownYear: number;
}

/** The clocks as the tick sees them, read at a scrape (ClocksRepository.metricsCounts). */
export interface ClockCounts {
  running: { kind: string; count: number }[];
  paused: number;
  /** Clocks with a warning, breach or escalation step due now and not fired yet. */
  due: number;
  /** Seconds since the earliest of those became due (0 when none is): how far behind the tick is. */
  oldestDueAgeSeconds: number;
}

/** sla's own series on /metrics: the calendar alarm and clocks set aside after failing. */
@Injectable()
export class SlaMetrics {
  readonly clockFailures: Counter<'stage'>;
  /** Seconds between a clock's step falling due and the tick firing it. */
  readonly tickLag: Histogram;
  /** When the last tick finished (Unix seconds); it stands still when the tick fails or hangs. */
  readonly lastTick: Gauge;
  private source?: () => Promise<AlarmSnapshot>;
  private pending?: Promise<AlarmSnapshot | undefined>;
  private clockSource?: () => Promise<ClockCounts>;

  constructor(registry: MetricsRegistry) {
    const registers = [registry.registry];
    this.clockFailures = new Counter({
      name: 'jiesu_sla_clock_failures_total',
      help: 'Clocks that threw and were set aside (recorded on the clock) while the others went on, by stage (tick, recompute, event)',
      labelNames: ['stage'],
      registers,
    });
    this.tickLag = new Histogram({
      name: 'jiesu_sla_tick_lag_seconds',
      help: 'Delay between a warning, breach or escalation step falling due and the tick firing it',
      buckets: [1, 5, 15, 30, 60, 120, 300, 900, 3600],
      registers,
    });
    this.lastTick = new Gauge({
      name: 'jiesu_sla_tick_last_success_timestamp_seconds',
      help: 'Unix time the last SLA tick finished without failing',
      registers,
    });
    const snapshot = () => this.snapshot();
    const clocks = scrapeSnapshot(() => (this.clockSource ? this.clockSource() : Promise.reject(new Error('no source'))));
    new Gauge({
      name: 'jiesu_sla_clocks_running',
      help: 'Clocks running (not stopped, not paused), by kind (respond, finish)',
      labelNames: ['kind'],
      registers,
      async collect() {
        const s = await clocks();
        if (!s) return;
        this.reset();
        for (const r of s.running) this.set({ kind: r.kind }, r.count);
      },
    });
    new Gauge({
      name: 'jiesu_sla_clocks_paused',
      help: 'Clocks standing still (waiting for the citizen, an extension pending)',
      registers,
      async collect() {
        const s = await clocks();
        if (s) this.set(s.paused);
      },
    });
    new Gauge({
      name: 'jiesu_sla_clocks_due',
      help: 'Clocks with a warning, breach or escalation step due now and not fired yet (the tick has work waiting)',
      registers,
      async collect() {
        const s = await clocks();
        if (s) this.set(s.due);
      },
    });
    new Gauge({
      name: 'jiesu_sla_oldest_due_age_seconds',
      help: 'Seconds since the earliest unfired step became due (0 when none waits): the firing lag right now',
      registers,
      async collect() {
        const s = await clocks();
        if (s) this.set(s.oldestDueAgeSeconds);
      },
    });
    new Gauge({
      name: 'jiesu_sla_calendar_last_known_year',
      help: 'The last year of the unbroken run of years with a working-day calendar (database or library) from this year on',
      registers,
      async collect() {
        const s = await snapshot();
        if (s) this.set(s.lastKnownYear);
      },
    });
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

  /** Where the clock gauges read from (one query per scrape). */
  clocksFrom(source: () => Promise<ClockCounts>): void {
    this.clockSource = source;
  }

  private snapshot(): Promise<AlarmSnapshot | undefined> {
    if (!this.source) return Promise.resolve(undefined);
    this.pending ??= this.source()
      .catch(() => undefined)
      .finally(() => setTimeout(() => (this.pending = undefined), 500));
    return this.pending;
  }
}
