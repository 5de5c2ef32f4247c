import { ClockKind } from '@app/contracts';
import { CLOCK, Clock, Outbox, Propagation, TransactionHost, TxHost } from '@app/platform';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { CalendarService } from '../calendar/calendar.service';
import { SlaPolicy } from '../policies/sla-policy.entity';
import { SLA_CONFIG, SlaConfig } from '../sla.config';
import { SlaMetrics } from '../sla.metrics';
import { ClocksRepository } from './clocks.repository';
import * as planning from './clock-plan';
import { Milestone } from './schedule';
import { SlaClock } from './sla-clock.entity';

/** Where a clock failed: firing in the tick, recomputing after a calendar edit, or in an event's handler. */
export type FailureStage = 'tick' | 'recompute' | 'event';

/** A failed clock waits this long before the tick tries it again, doubling up to an hour. */
const RETRY_BASE_MS = 60_000;
const RETRY_MAX_MS = 3_600_000;

/**
 * What the clock services share: a clock planned on the city's calendar (clock-plan.ts), a new due
 * time written and announced (`sla.clocks-set.v1`), and one clock's work isolated in a savepoint.
 */
@Injectable()
export class ClockSchedules {
  private readonly log = new Logger(ClockSchedules.name);

  constructor(
    @Inject(TransactionHost) private readonly txHost: TxHost,
    private readonly clocks: ClocksRepository,
    private readonly calendar: CalendarService,
    private readonly outbox: Outbox,
    private readonly metrics: SlaMetrics,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(SLA_CONFIG) private readonly config: SlaConfig,
  ) {}

  get zone(): string {
    return this.config.CITY_TIME_ZONE;
  }

  /** What the clock fires, from its stored due time; a gap year is read weekends-only. */
  schedule(c: SlaClock, policy: SlaPolicy): Milestone[] {
    return planning.scheduleOf(c, policy, this.zone, this.calendar.isWorkingDay);
  }

  newClock(
    f: { ticketId: string; district: string; unitId: string; kind: ClockKind; cycle: number; start: Date },
    policy: SlaPolicy,
  ): SlaClock {
    return planning.newClock(f, policy, this.zone, this.calendar.provisional());
  }

  /** The minutes a paused clock stood until `at` (see clock-plan.ts). */
  stoodMinutes(c: SlaClock, policy: SlaPolicy, at: Date): number {
    return planning.stoodMinutes(c, policy, at, this.zone, this.calendar.isWorkingDay);
  }

  /** recompute() on the row in hand, on the provisional calendar, without writing or announcing. */
  recompute(c: SlaClock, policy: SlaPolicy, now: Date): { moved: boolean; changed: boolean } {
    return planning.recompute(c, policy, now, this.zone, this.calendar.provisional());
  }

  /** tighten() on the row in hand (双交办 after dispatch), on the provisional calendar, without writing or announcing. */
  tighten(c: SlaClock, policy: SlaPolicy, now: Date): boolean {
    return planning.tighten(c, policy, now, this.zone, this.calendar.provisional());
  }

  /**
   * Recompute the due time and what is left to fire, and write it. True if the due time moved; then
   * (or when the provisional mark changed) the new due times are announced.
   */
  async reschedule(c: SlaClock, policy: SlaPolicy, now: Date): Promise<boolean> {
    const { moved, changed } = this.recompute(c, policy, now);
    await this.clocks.updateState(c);
    if (changed) await this.announceCycle(c);
    return moved;
  }

  /**
   * Run one clock's work in a savepoint of the transaction in hand. If it throws, only its own
   * writes (clock row, supervision, outbox) are rolled back; the failure is recorded on the clock
   * (in the tick it is also backed off, so it is not claimed first again at every tick), counted and
   * logged, and false is returned: the caller goes on with the next clock.
   */
  async isolated(c: SlaClock, stage: FailureStage, now: Date, work: () => Promise<void>): Promise<boolean> {
    try {
      // A nested transaction of the one in hand: TypeORM makes it a SAVEPOINT, released on success and
      // rolled back to when `work` throws.
      await this.txHost.withTransaction(Propagation.Nested, work);
    } catch (e) {
      await this.setAside(c, stage, now, e as Error);
      return false;
    }
    if (c.failCount > 0) {
      c.failCount = 0;
      await this.clocks.clearFailure(c.id);
    }
    return true;
  }

  /**
   * A clock whose work threw (and wrote nothing, or was rolled back): the failure recorded on its row,
   * in the tick also backed off (so it is not claimed first again at every tick), counted and logged.
   */
  async setAside(c: SlaClock, stage: FailureStage, now: Date, e: Error): Promise<void> {
    const err = e.message;
    const failCount = c.failCount + 1;
    const retryAt = stage === 'tick' ? new Date(now.getTime() + Math.min(RETRY_BASE_MS * 2 ** (failCount - 1), RETRY_MAX_MS)) : undefined;
    await this.clocks.recordFailure(c.id, { failCount, lastError: `${stage}: ${err}`.slice(0, 2000), failedAt: now, retryAt });
    this.metrics.clockFailures.inc({ stage });
    this.log.error({
      msg: 'clock failed; set aside, the others go on',
      stage,
      clockId: c.id,
      ticketId: c.ticketId,
      failCount,
      retryAt,
      err,
    });
  }

  /** Announce the due times of a clock's cycle (both clocks, when the respond clock still runs). */
  async announceCycle(c: SlaClock): Promise<void> {
    if (c.kind === ClockKind.Finish) {
      const respond = await this.clocks.any(c.ticketId, ClockKind.Respond, c.cycle);
      await this.announce(c, respond && !respond.stoppedAt ? respond : undefined);
      return;
    }
    const finish = await this.clocks.any(c.ticketId, ClockKind.Finish, c.cycle);
    if (finish) await this.announce(finish, c.stoppedAt ? undefined : c);
  }

  /** `sla.clocks-set.v1`; `provisional` when either due time was computed on the provisional calendar. */
  async announce(finish: SlaClock, respond?: SlaClock): Promise<void> {
    const provisional = finish.provisional || !!respond?.provisional;
    await this.outbox.publish('sla.clocks-set.v1', {
      district: finish.districtCode,
      ticketId: finish.ticketId,
      occurredAt: this.clock.now(),
      data: {
        unitId: finish.unitId,
        policyId: finish.policyId,
        cycle: finish.cycle,
        ...(respond ? { respondDueAt: respond.dueAt.toISOString() } : {}),
        finishDueAt: finish.dueAt.toISOString(),
        ...(respond ? { respondWarnAt: respond.warnAt.toISOString() } : {}),
        finishWarnAt: finish.warnAt.toISOString(),
        ...(provisional ? { provisional: true } : {}),
      },
    });
  }
}
