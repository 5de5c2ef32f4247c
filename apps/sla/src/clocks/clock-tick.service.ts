import { CLOCK, Clock, Outbox, Propagation, TransactionHost, TxHost } from '@app/platform';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { CalendarService } from '../calendar/calendar.service';
import { PolicyCache } from '../policies/policy-cache';
import { SLA_CONFIG, SlaConfig } from '../sla.config';
import { SlaMetrics } from '../sla.metrics';
import { SupervisionService } from '../supervision/supervision.service';
import { ClockRecomputeService } from './clock-recompute.service';
import { ClockSchedules } from './clock-schedules.service';
import { ClocksRepository } from './clocks.repository';
import { countSteps, Firing, fireDue, stepEvent } from './clock-firing';
import { SlaClock } from './sla-clock.entity';

export interface TickResult {
  warnings: number;
  breaches: number;
  /** Clocks that threw and were set aside (recorded on the clock, backed off); absent when none. */
  failed?: number;
}

/** The tick: warnings, breaches and escalations due, planned in memory and written batch by batch. */
@Injectable()
export class ClockTickService {
  private readonly log = new Logger(ClockTickService.name);

  constructor(
    @Inject(TransactionHost) private readonly txHost: TxHost,
    private readonly clocks: ClocksRepository,
    private readonly policyCache: PolicyCache,
    private readonly calendar: CalendarService,
    private readonly recomputes: ClockRecomputeService,
    private readonly schedules: ClockSchedules,
    private readonly supervision: SupervisionService,
    private readonly outbox: Outbox,
    private readonly metrics: SlaMetrics,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(SLA_CONFIG) private readonly config: SlaConfig,
  ) {}

  /**
   * Fire every warning, breach and escalation due at `now`, batch by batch. Each batch is one
   * transaction: the claimed clocks' firings are computed in memory (clock-firing.ts), then written
   * set-based in one savepoint: the clock rows in one UPDATE, the supervision list in a few
   * statements, the events in one outbox INSERT. A clock that throws is rolled back alone, recorded
   * on its row, backed off and counted, and the others fire: one whose firing cannot be computed (its
   * policy gone) is set aside before the write; if the set-based write fails, it is rolled back and
   * the batch is written again clock by clock, each in its own savepoint (`ClockSchedules.isolated`).
   * The calendar overrides are re-read first, so a calendar edited through another replica is in
   * force here too, and calendar recomputes left unfinished (a crash, another replica's edit) or due
   * (a year the library or another replica now knows) are run first.
   */
  async tick(now = this.clock.now()): Promise<TickResult> {
    await this.calendar.reload();
    await this.recomputes.resumeRecomputes();
    const fired = { warnings: 0, breaches: 0, escalations: 0 };
    let failed = 0;
    for (;;) {
      const n = await this.txHost.withTransaction(async () => {
        const due = await this.clocks.claimDue(now, this.config.SLA_TICK_BATCH);
        const r = await this.fireBatch(due, now);
        const counts = countSteps(r.fired);
        fired.warnings += counts.warnings;
        fired.breaches += counts.breaches;
        fired.escalations += counts.escalations;
        failed += r.failed;
        return due.length;
      });
      if (n < this.config.SLA_TICK_BATCH) break;
    }
    this.metrics.lastTick.setToCurrentTime();
    if (fired.escalations) this.log.log({ msg: 'escalations fired', escalations: fired.escalations });
    return { warnings: fired.warnings, breaches: fired.breaches, ...(failed ? { failed } : {}) };
  }

  /** One claimed batch, in the transaction in hand: what fired, and how many clocks were set aside. */
  private async fireBatch(due: readonly SlaClock[], now: Date): Promise<{ fired: Firing[]; failed: number }> {
    const firings: Firing[] = [];
    let failed = 0;
    for (const c of due) {
      if (c.nextFireAt) this.metrics.tickLag.observe(Math.max(0, (now.getTime() - c.nextFireAt.getTime()) / 1000));
      try {
        const policy = await this.policyCache.get(c.policyId);
        firings.push(fireDue(c, this.schedules.schedule(c, policy), now));
      } catch (e) {
        await this.schedules.setAside(c, 'tick', now, e as Error);
        failed++;
      }
    }
    if (!firings.length) return { fired: firings, failed };
    try {
      await this.txHost.withTransaction(Propagation.Nested, () => this.write(firings, now));
      return { fired: firings, failed };
    } catch (e) {
      this.log.warn({ msg: 'the batch write failed; writing its clocks one by one', clocks: firings.length, err: (e as Error).message });
    }
    const fired: Firing[] = [];
    for (const f of firings) {
      if (await this.schedules.isolated(f.clock, 'tick', now, () => this.write([f], now))) fired.push(f);
      else failed++;
    }
    return { fired, failed };
  }

  /** The firings written: the supervision list, the events in order (each step's, then the item it opened), the clock rows. */
  private async write(firings: readonly Firing[], now: Date): Promise<void> {
    const opened = await this.supervision.onOverdue(firings, now);
    const events = firings.flatMap((f) =>
      f.steps.flatMap((s) => {
        const item = opened.get(s);
        return item ? [stepEvent(f.clock, s, now), item] : [stepEvent(f.clock, s, now)];
      }),
    );
    await this.outbox.publishMany(events);
    await this.clocks.updateFired(firings.map((f) => f.clock));
  }
}
