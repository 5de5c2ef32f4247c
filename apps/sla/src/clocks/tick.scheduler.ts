import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { SLA_CONFIG, SlaConfig } from '../sla.config';
import { ClockRecomputeService } from './clock-recompute.service';
import { ClockTickService } from './clock-tick.service';

/**
 * Runs the tick every SLA_TICK_MS (never two at once in one process), and at boot finishes any
 * calendar recompute a crash interrupted.
 */
@Injectable()
export class TickScheduler implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly log = new Logger(TickScheduler.name);
  private running?: Promise<unknown>;

  constructor(
    private readonly ticks: ClockTickService,
    private readonly recomputes: ClockRecomputeService,
    private readonly scheduler: SchedulerRegistry,
    @Inject(SLA_CONFIG) private readonly config: SlaConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.running = this.recomputes
      .resumeRecomputes()
      .catch((e: Error) => this.log.error({ msg: 'resuming calendar recomputes failed; the tick retries', err: e.message }))
      .finally(() => (this.running = undefined));
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
    this.running = this.ticks
      .tick()
      .then((r) => r.warnings + r.breaches + (r.failed ?? 0) > 0 && this.log.log({ msg: 'tick fired', ...r }))
      .catch((e: Error) => this.log.error({ msg: 'tick failed', err: e.message }))
      .finally(() => (this.running = undefined));
  }
}
