import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { CALLBACK_CONFIG, CallbackConfig } from '../callback.config';
import { SurveyService } from '../survey/survey.service';
import { TasksService } from './tasks.service';

/** Callbacks chase themselves: every CALLBACK_TICK_MS, queued survey SMS go out and overdue tasks raise their notice. */
@Injectable()
export class CallbackTicker implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly log = new Logger(CallbackTicker.name);
  private running?: Promise<unknown>;

  constructor(
    private readonly tasks: TasksService,
    private readonly survey: SurveyService,
    private readonly scheduler: SchedulerRegistry,
    @Inject(CALLBACK_CONFIG) private readonly config: CallbackConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.CALLBACK_TICK_MS > 0) {
      this.scheduler.addInterval(
        'callback-tick',
        setInterval(() => this.run(), this.config.CALLBACK_TICK_MS),
      );
    }
  }

  async onModuleDestroy(): Promise<void> {
    if (this.scheduler.doesExist('interval', 'callback-tick')) this.scheduler.deleteInterval('callback-tick');
    await this.running;
  }

  /** One pass (also what the interval runs); never two at once in one process. */
  async tick(): Promise<{ smsSent: number; smsFailed: number; overdue: number }> {
    const sms = await this.survey.sendQueued(50);
    const overdue = await this.tasks.raiseOverdue(200);
    return { smsSent: sms.sent, smsFailed: sms.failed, overdue };
  }

  private run(): void {
    if (this.running) return;
    this.running = this.tick()
      .then((r) => r.smsSent + r.smsFailed + r.overdue > 0 && this.log.log({ msg: 'callback tick', ...r }))
      .catch((e: Error) => this.log.error({ msg: 'callback tick failed', err: e.message }))
      .finally(() => (this.running = undefined));
  }
}
