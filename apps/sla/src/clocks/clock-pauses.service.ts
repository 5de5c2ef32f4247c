import { CLOCK, Clock, inDistrict, Principal, TransactionHost, TxHost } from '@app/platform';
import { ConflictException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { PolicyCache } from '../policies/policy-cache';
import { PauseReason, SlaPolicy } from '../policies/sla-policy.entity';
import { ClockQueriesService, ClockView } from './clock-queries.service';
import { ClockSchedules } from './clock-schedules.service';
import { ClocksRepository } from './clocks.repository';
import { SlaClock } from './sla-clock.entity';

/** Pauses and extensions: used by the extension rules and the pause API. */
@Injectable()
export class ClockPausesService {
  constructor(
    @Inject(TransactionHost) private readonly txHost: TxHost,
    private readonly clocks: ClocksRepository,
    private readonly policyCache: PolicyCache,
    private readonly schedules: ClockSchedules,
    private readonly queries: ClockQueriesService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** Stand the clock still (nothing fires while paused). False if it already stands. */
  async pause(c: SlaClock, reason: PauseReason, at: Date): Promise<boolean> {
    if (c.stoppedAt || c.pausedAt) return false;
    const policy = await this.policyCache.get(c.policyId);
    if (!policy.pauseOn.includes(reason)) return false;
    c.pausedAt = at;
    c.pauseReason = reason;
    c.nextFireAt = null;
    await this.clocks.updateState(c);
    return true;
  }

  /** Start it again: the due time moves by the time it stood still, in the limit's own unit. */
  async resume(c: SlaClock, at: Date): Promise<void> {
    if (!c.pausedAt) return;
    const policy = await this.policyCache.get(c.policyId);
    this.unpause(c, policy, at);
    await this.schedules.reschedule(c, policy, at);
  }

  /**
   * An extension decided: the clock stops standing (if the request paused it) and gains the days
   * granted (0 when refused), in one reschedule, so dispatch hears one new due time, not two of the
   * same instant that could arrive in either order.
   */
  async settleExtension(c: SlaClock, grantedDays: number, at: Date): Promise<void> {
    const policy = await this.policyCache.get(c.policyId);
    if (c.pausedAt && c.pauseReason === PauseReason.ExtensionPending) this.unpause(c, policy, at);
    c.extendedWorkingDays += grantedDays;
    await this.schedules.reschedule(c, policy, at);
  }

  /** The HTTP pause (e.g. 等待诉求人): only for a reason the order's policy allows. */
  pauseByHand(user: Principal, ticketId: string, reason: PauseReason): Promise<ClockView[]> {
    return this.byHand(user, ticketId, async (c, now) => {
      if (c.pausedAt) throw new ConflictException(`the finish clock already stands since ${c.pausedAt.toISOString()} (${c.pauseReason})`);
      if (!(await this.pause(c, reason, now))) {
        throw new ConflictException(`the policy of this order does not pause its clock for ${reason}`);
      }
    });
  }

  resumeByHand(user: Principal, ticketId: string): Promise<ClockView[]> {
    return this.byHand(user, ticketId, async (c, now) => {
      if (!c.pausedAt) throw new ConflictException('the finish clock is running');
      if (c.pauseReason === PauseReason.ExtensionPending) {
        throw new ConflictException('the clock stands for a pending extension; it runs again when the extension is decided');
      }
      await this.resume(c, now);
    });
  }

  /** The time the clock stood, added to its pause total (no reschedule). */
  private unpause(c: SlaClock, policy: SlaPolicy, at: Date): void {
    c.pausedMinutes += this.schedules.stoodMinutes(c, policy, at);
    c.pausedAt = null;
    c.pauseReason = null;
  }

  private async byHand(user: Principal, ticketId: string, effect: (c: SlaClock, now: Date) => Promise<void>): Promise<ClockView[]> {
    await this.txHost.withTransaction(async () => {
      const c = await this.clocks.openFinish(ticketId);
      if (!c || !inDistrict(user, c.districtCode)) throw new NotFoundException(`no running finish clock for order ${ticketId}`);
      await effect(c, this.clock.now());
    });
    return this.queries.forTicket(user, ticketId);
  }
}
