import { HealthService } from '@app/platform';
import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { CLOCK, Clock } from '@app/platform';
import { CalendarService } from '../calendar/calendar.service';
import { SLA_CONFIG, SlaConfig } from '../sla.config';
import { ClocksService } from './clocks.service';

/** Runs the tick every SLA_TICK_MS (never two at once in one process) and reports the calendar's health. */
@Injectable()
export class TickScheduler implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly log = new Logger(TickScheduler.name);
  private running?: Promise<unknown>;

  constructor(
    private readonly clocks: ClocksService,
    private readonly calendar: CalendarService,
    private readonly health: HealthService,
    private readonly scheduler: SchedulerRegistry,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(SLA_CONFIG) private readonly config: SlaConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.health.register('calendar', () => Promise.resolve(this.calendar.readiness(this.clock.now(), this.config.CITY_TIME_ZONE)));
    if (this.config.SLA_TICK_MS > 0) {
      this.scheduler.addInterval(
        'sla-tick',
        setInterval(() => this.run(), this.config.SLA_TICK_MS),
      );
    }
  }

  async onModuleDestroy(): Promise<void> {
    if (this.scheduler.doesExist('interval', 'sla-tick')) this.scheduler.deleteInterval('sla-tick');
    await this.running;
  }

  private run(): void {
    if (this.running) return;
    this.running = this.clocks
      .tick()
      .then((r) => r.warnings + r.breaches > 0 && this.log.log({ msg: 'tick fired', ...r }))
      .catch((e: Error) => this.log.error({ msg: 'tick failed', err: e.message }))
      .finally(() => (this.running = undefined));
  }
}
