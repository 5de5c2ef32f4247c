import {
  ClockKind,
  EventEnvelope,
  ReviewDecision,
  TicketClosedV1,
  TicketContactedV1,
  TicketDispatchedV1,
  TicketRepliedV1,
  TicketReopenedV1,
  TicketReviewedV1,
} from '@app/contracts';
import { CLOCK, Clock, inDistrict, Outbox, Principal } from '@app/platform';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { CalendarService } from '../calendar/calendar.service';
import { dueAfter, fractionOf } from '../calendar/working-time';
import { PoliciesRepository } from '../policies/policies.repository';
import { SlaPolicy } from '../policies/sla-policy.entity';
import { SLA_CONFIG, SlaConfig } from '../sla.config';
import { ClocksRepository } from './clocks.repository';
import { nextFire, SlaClock } from './sla-clock.entity';

/** Per-order clocks: started on dispatch, stopped by the unit's steps, fired by the tick. */
@Injectable()
export class ClocksService {
  private readonly log = new Logger(ClocksService.name);

  constructor(
    private readonly clocks: ClocksRepository,
    private readonly policies: PoliciesRepository,
    private readonly calendar: CalendarService,
    private readonly outbox: Outbox,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(SLA_CONFIG) private readonly config: SlaConfig,
  ) {}

  /** Dispatch starts a respond clock and a finish clock from the best policy. */
  async onDispatched(m: EntityManager, e: EventEnvelope<TicketDispatchedV1>): Promise<void> {
    const d = e.data;
    if (await this.clocks.any(m, e.ticketId!, ClockKind.Finish, d.cycle)) return;
    const policy = await this.policies.best(m, {
      districtCode: d.districtCode,
      requestType: d.requestType,
      categoryCode: d.categoryCode,
      urgency: d.urgency,
      flags: d.flags,
    });
    if (!policy) throw new Error(`no SLA policy matches order ${e.ticketId}; add a default policy`);
    const start = new Date(d.dispatchedAt);
    const respond = this.newClock(e.ticketId!, e.district, d.unitId, ClockKind.Respond, d.cycle, policy, start);
    const finish = this.newClock(e.ticketId!, e.district, d.unitId, ClockKind.Finish, d.cycle, policy, start);
    await this.clocks.insertIfAbsent(m, respond);
    await this.clocks.insertIfAbsent(m, finish);
    await this.announce(m, e.district, e.ticketId!, d.unitId, policy, d.cycle, finish.dueAt, respond.dueAt);
  }

  /** 响应: the citizen was contacted, the respond clock stops. */
  async onContacted(m: EntityManager, e: EventEnvelope<TicketContactedV1>): Promise<void> {
    await this.stop(m, e.ticketId!, ClockKind.Respond, undefined, new Date(e.data.contactedAt));
  }

  /** 办结: the finish clock of that cycle stops. */
  async onReplied(m: EntityManager, e: EventEnvelope<TicketRepliedV1>): Promise<void> {
    await this.stop(m, e.ticketId!, ClockKind.Finish, e.data.cycle, new Date(e.data.repliedAt));
  }

  /** A reply sent back for rework starts a new finish cycle. */
  async onReviewed(m: EntityManager, e: EventEnvelope<TicketReviewedV1>): Promise<void> {
    if (e.data.decision !== ReviewDecision.SentBack) return;
    await this.newCycle(m, e, e.data.unitId, e.data.cycle + 1, new Date(e.data.reviewedAt));
  }

  /** A reopen (unsatisfied callback, dispatcher) starts a new finish cycle. */
  async onReopened(m: EntityManager, e: EventEnvelope<TicketReopenedV1>): Promise<void> {
    await this.newCycle(m, e, e.data.unitId, e.data.cycle, new Date(e.data.reopenedAt));
  }

  async onClosed(m: EntityManager, e: EventEnvelope<TicketClosedV1>): Promise<void> {
    await this.stop(m, e.ticketId!, undefined, undefined, new Date(e.data.closedAt));
  }

  /**
   * Fire every warning and breach due at `now`, batch by batch. Each batch is one transaction:
   * the clock rows, and the events in the outbox.
   */
  async tick(now = this.clock.now()): Promise<{ warnings: number; breaches: number }> {
    const fired = { warnings: 0, breaches: 0 };
    for (;;) {
      const n = await this.clocks.transaction(async (m) => {
        const due = await this.clocks.claimDue(m, now, this.config.SLA_TICK_BATCH);
        for (const c of due) await this.fire(m, c, now, fired);
        return due.length;
      });
      if (n < this.config.SLA_TICK_BATCH) return fired;
    }
  }

  /** The clocks of an order, if it is in the caller's districts (else none, as if unknown). */
  async forTicket(user: Principal, ticketId: string): Promise<SlaClock[]> {
    return (await this.clocks.forTicket(ticketId)).filter((c) => inDistrict(user, c.districtCode));
  }

  private async fire(m: EntityManager, c: SlaClock, now: Date, fired: { warnings: number; breaches: number }): Promise<void> {
    const base = { clockId: c.id, kind: c.kind, unitId: c.unitId, cycle: c.cycle, dueAt: c.dueAt.toISOString() };
    if (!c.warnedAt && c.warnAt <= now && c.warnAt < c.dueAt) {
      c.warnedAt = now;
      fired.warnings++;
      await this.outbox.publish(m, 'sla.warning.v1', {
        district: c.districtCode,
        ticketId: c.ticketId,
        occurredAt: now,
        data: { ...base, rule: 'elapsed_percent', warnedAt: now.toISOString() },
      });
    }
    if (!c.breachedAt && c.dueAt <= now) {
      c.breachedAt = now;
      c.warnedAt ??= now;
      fired.breaches++;
      await this.outbox.publish(m, 'sla.breached.v1', {
        district: c.districtCode,
        ticketId: c.ticketId,
        occurredAt: now,
        data: { ...base, breachedAt: now.toISOString() },
      });
    }
    c.nextFireAt = nextFire(c);
    await this.clocks.save(m, c);
  }

  private async stop(m: EntityManager, ticketId: string, kind: ClockKind | undefined, cycle: number | undefined, at: Date): Promise<void> {
    const open = await this.clocks.open(m, ticketId, kind, cycle);
    if (open.length === 0 && kind && !(await this.clocks.any(m, ticketId, kind, cycle ?? 1))) {
      // The stop overtook the start (different consumers): retry until the clock exists.
      throw new Error(`no ${kind} clock yet for order ${ticketId}; retrying`);
    }
    for (const c of open) {
      c.stoppedAt = at;
      c.nextFireAt = null;
      await this.clocks.save(m, c);
    }
  }

  private async newCycle(m: EntityManager, e: EventEnvelope<object>, unitId: string, cycle: number, start: Date): Promise<void> {
    const ticketId = e.ticketId!;
    if (await this.clocks.any(m, ticketId, ClockKind.Finish, cycle)) return;
    const previous = await this.clocks.any(m, ticketId, ClockKind.Finish, cycle - 1);
    if (!previous) throw new Error(`no finish clock of cycle ${cycle - 1} for order ${ticketId}; retrying`);
    const policy = await this.policies.byId(m, previous.policyId);
    if (!policy) throw new Error(`policy ${previous.policyId} vanished`);
    // The previous cycle's clock stops if it is still running (a reopen after the callback).
    await this.stop(m, ticketId, ClockKind.Finish, cycle - 1, start);
    const finish = this.newClock(ticketId, e.district, unitId, ClockKind.Finish, cycle, policy, start);
    await this.clocks.insertIfAbsent(m, finish);
    await this.announce(m, e.district, ticketId, unitId, policy, cycle, finish.dueAt);
  }

  private newClock(
    ticketId: string,
    district: string,
    unitId: string,
    kind: ClockKind,
    cycle: number,
    policy: SlaPolicy,
    start: Date,
  ): SlaClock {
    const [value, unit] = kind === ClockKind.Respond ? [policy.respondValue, policy.respondUnit] : [policy.finishValue, policy.finishUnit];
    const dueAt = dueAfter(start, value, unit, this.config.CITY_TIME_ZONE, this.calendar.isWorkingDay);
    const c = Object.assign(new SlaClock(), {
      id: randomUUID(),
      ticketId,
      districtCode: district,
      unitId,
      kind,
      cycle,
      policyId: policy.id,
      startedAt: start,
      dueAt,
      warnAt: fractionOf(start, dueAt, policy.warnPercent),
      warnedAt: null,
      breachedAt: null,
      stoppedAt: null,
    });
    c.nextFireAt = nextFire(c);
    return c;
  }

  private async announce(
    m: EntityManager,
    district: string,
    ticketId: string,
    unitId: string,
    policy: SlaPolicy,
    cycle: number,
    finishDueAt: Date,
    respondDueAt?: Date,
  ): Promise<void> {
    await this.outbox.publish(m, 'sla.clocks-set.v1', {
      district,
      ticketId,
      occurredAt: this.clock.now(),
      data: {
        unitId,
        policyId: policy.id,
        cycle,
        ...(respondDueAt ? { respondDueAt: respondDueAt.toISOString() } : {}),
        finishDueAt: finishDueAt.toISOString(),
      },
    });
  }
}
