import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { NOTIFY_CONFIG, NotifyConfig } from '../notify.config';
import { DeliveryService } from './delivery.service';

/** Runs the delivery worker every NOTIFY_TICK_MS, never two runs at once in one process. */
@Injectable()
export class DeliveryScheduler implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly log = new Logger(DeliveryScheduler.name);
  private running?: Promise<unknown>;

  constructor(
    private readonly delivery: DeliveryService,
    private readonly scheduler: SchedulerRegistry,
    @Inject(NOTIFY_CONFIG) private readonly config: NotifyConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.NOTIFY_TICK_MS > 0) {
      this.scheduler.addInterval(
        'notify-delivery',
        setInterval(() => this.run(), this.config.NOTIFY_TICK_MS),
      );
    }
  }

  async onModuleDestroy(): Promise<void> {
    if (this.scheduler.doesExist('interval', 'notify-delivery')) this.scheduler.deleteInterval('notify-delivery');
    await this.running;
  }

  private run(): void {
    if (this.running) return;
    this.running = this.delivery
      .run()
      .then((r) => r.sent + r.failed + r.dead + r.digests > 0 && this.log.log({ msg: 'deliveries', ...r }))
      .catch((e: Error) => this.log.error({ msg: 'delivery run failed', err: e.message }))
      .finally(() => (this.running = undefined));
  }
}
