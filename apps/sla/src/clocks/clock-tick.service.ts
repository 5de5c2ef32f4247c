import { CLOCK, Clock, Outbox, TransactionHost, TxHost } from '@app/platform';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { CalendarService } from '../calendar/calendar.service';
import { PolicyCache } from '../policies/policy-cache';
import { SLA_CONFIG, SlaConfig } from '../sla.config';
import { SlaMetrics } from '../sla.metrics';
import { SupervisionItem } from '../supervision/supervision.entity';
import { SupervisionService } from '../supervision/supervision.service';
import { ClockRecomputeService } from './clock-recompute.service';
import { ClockSchedules } from './clock-schedules.service';
import { ClocksRepository } from './clocks.repository';
import { nextUnfired } from './schedule';
import { SlaClock } from './sla-clock.entity';

export interface TickResult {
  warnings: number;
  breaches: number;
  /** Clocks that threw and were set aside (recorded on the clock, backed off); absent when none. */
  failed?: number;
}

type Fired = { warnings: number; breaches: number; escalations: number };

/** The tick: warnings, breaches and escalations due, each clock on its own. */
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
   * transaction: the clock rows, the supervision list, and the events in the outbox; each clock in it
   * is its own savepoint, so a clock that throws is rolled back alone, recorded on its row, backed off
   * and counted, and the others fire. The calendar overrides are re-read first, so a calendar edited
   * through another replica is in force here too, and calendar recomputes left unfinished (a crash,
   * another replica's edit) or due (a year the library or another replica now knows) are run first.
   */
  async tick(now = this.clock.now()): Promise<TickResult> {
    await this.calendar.reload();
    await this.recomputes.resumeRecomputes();
    const fired: Fired = { warnings: 0, breaches: 0, escalations: 0 };
    let failed = 0;
    for (;;) {
      const n = await this.txHost.withTransaction(async () => {
        const due = await this.clocks.claimDue(now, this.config.SLA_TICK_BATCH);
        for (const c of due) {
          if (c.nextFireAt) this.metrics.tickLag.observe(Math.max(0, (now.getTime() - c.nextFireAt.getTime()) / 1000));
          const mine: Fired = { warnings: 0, breaches: 0, escalations: 0 };
          if (await this.schedules.isolated(c, 'tick', now, () => this.fire(c, now, mine))) {
            fired.warnings += mine.warnings;
            fired.breaches += mine.breaches;
            fired.escalations += mine.escalations;
          } else failed++;
        }
        return due.length;
      });
      if (n < this.config.SLA_TICK_BATCH) break;
    }
    this.metrics.lastTick.setToCurrentTime();
    if (fired.escalations) this.log.log({ msg: 'escalations fired', escalations: fired.escalations });
    return { warnings: fired.warnings, breaches: fired.breaches, ...(failed ? { failed } : {}) };
  }

  private async fire(c: SlaClock, now: Date, fired: Fired): Promise<void> {
    const policy = await this.policyCache.get(c.policyId);
    const ms = this.schedules.schedule(c, policy);
    const base = { clockId: c.id, kind: c.kind, unitId: c.unitId, cycle: c.cycle, dueAt: c.dueAt.toISOString() };
    const event = { district: c.districtCode, ticketId: c.ticketId, occurredAt: now };
    // The overdue item the breach (or an earlier step) opened in this firing, handed to the next steps.
    let overdue: SupervisionItem | undefined;
    for (const x of ms) {
      if (x.at > now || c.fired.includes(x.key)) continue;
      c.fired = [...c.fired, x.key];
      switch (x.kind) {
        case 'warning':
          c.warnedAt ??= now;
          fired.warnings++;
          await this.outbox.publish('sla.warning.v1', { ...event, data: { ...base, rule: x.rule, warnedAt: now.toISOString() } });
          break;
        case 'breach':
          c.breachedAt = now;
          fired.breaches++;
          await this.outbox.publish('sla.breached.v1', { ...event, data: { ...base, breachedAt: now.toISOString() } });
          overdue = await this.supervision.onBreach(c, now);
          break;
        case 'escalation':
          c.escalationStep = Math.max(c.escalationStep, x.step);
          c.escalatedAt = now;
          fired.escalations++;
          await this.outbox.publish('sla.escalated.v1', {
            ...event,
            data: { clockId: c.id, kind: c.kind, unitId: c.unitId, step: x.step, target: x.target, escalatedAt: now.toISOString() },
          });
          overdue = await this.supervision.onEscalated(c, x.step, x.target, now, overdue);
          break;
      }
    }
    c.nextFireAt = nextUnfired(ms, c.fired);
    await this.clocks.updateState(c);
  }
}
