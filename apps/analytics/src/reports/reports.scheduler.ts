import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { CronJob } from 'cron';
import { DateTime } from 'luxon';
import { CLOCK, Clock } from '@app/platform';
import { ANALYTICS_CONFIG, AnalyticsConfig } from '../analytics.config';
import { ReportKind } from './reports.dto';
import { ReportsService } from './reports.service';

const JOB = 'analytics-reports';

/** What the run on `today` generates: yesterday's summary; after a Sunday its week; after a month's last day its month. */
export function dueReports(today: DateTime): { kind: ReportKind; date: string }[] {
  const y = today.minus({ days: 1 });
  const due: { kind: ReportKind; date: string }[] = [{ kind: 'daily', date: y.toISODate()! }];
  if (y.weekday === 7) due.push({ kind: 'weekly', date: y.toISODate()! });
  if (today.day === 1) due.push({ kind: 'monthly', date: y.toISODate()! });
  return due;
}

/**
 * Generates the city's reports on REPORT_CRON (CITY_TIME_ZONE). Regenerating replaces the stored
 * report, so two replicas running the job at once store one report each period.
 */
@Injectable()
export class ReportsScheduler implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly log = new Logger(ReportsScheduler.name);

  constructor(
    private readonly reports: ReportsService,
    private readonly scheduler: SchedulerRegistry,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(ANALYTICS_CONFIG) private readonly config: AnalyticsConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.REPORT_SCHEDULE !== 'on') return;
    const job = CronJob.from({
      cronTime: this.config.REPORT_CRON,
      timeZone: this.config.CITY_TIME_ZONE,
      onTick: () => void this.run(),
      start: true,
    });
    this.scheduler.addCronJob(JOB, job);
  }

  onModuleDestroy(): void {
    if (this.scheduler.doesExist('cron', JOB)) this.scheduler.deleteCronJob(JOB);
  }

  async run(): Promise<void> {
    const today = DateTime.fromJSDate(this.clock.now(), { zone: this.config.CITY_TIME_ZONE }).startOf('day');
    for (const r of dueReports(today)) {
      try {
        const s = await this.reports.generate(r.kind, r.date, null, 'schedule');
        this.log.log({ msg: 'report generated', kind: r.kind, period: `${s.periodFrom}..${s.periodTo}` });
      } catch (e) {
        this.log.error({ msg: 'report failed', kind: r.kind, date: r.date, err: (e as Error).stack });
      }
    }
  }
}
