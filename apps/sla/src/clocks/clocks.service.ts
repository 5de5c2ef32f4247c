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
import { CLOCK, Clock, EarlyEventError, inDistrict, Outbox, Principal } from '@app/platform';
import { ConflictException, Inject, Injectable, Logger, NotFoundException } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { CalendarService } from '../calendar/calendar.service';
import { addWorkingDays, addWorkingMs, dueAfter, remaining, workingMsBetween } from '../calendar/working-time';
import { PoliciesRepository } from '../policies/policies.repository';
import { PolicyCache } from '../policies/policy-cache';
import { PauseReason, SlaPolicy } from '../policies/sla-policy.entity';
import { SLA_CONFIG, SlaConfig } from '../sla.config';
import { SupervisionItem } from '../supervision/supervision.entity';
import { SupervisionService } from '../supervision/supervision.service';
import { ClocksRepository } from './clocks.repository';
import { applyDispatch } from './reassign';
import { Milestone, milestones, nextUnfired } from './schedule';
import { SlaClock } from './sla-clock.entity';

export interface TickResult {
  warnings: number;
  breaches: number;
}

export interface ClockView extends SlaClock {
  /** Minutes until the due time (negative when late), on the wall clock and in working time. */
  remainingMinutes: number | null;
  remainingWorkingMinutes: number | null;
  /** What is still to fire, in order. */
  upcoming: { key: string; at: string }[];
}

/** Per-order clocks: started on dispatch, stopped by the unit's steps, paused, extended, fired by the tick. */
@Injectable()
export class ClocksService {
  private readonly log = new Logger(ClocksService.name);

  constructor(
    private readonly clocks: ClocksRepository,
    private readonly policies: PoliciesRepository,
    private readonly policyCache: PolicyCache,
    private readonly calendar: CalendarService,
    private readonly supervision: SupervisionService,
    private readonly outbox: Outbox,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(SLA_CONFIG) private readonly config: SlaConfig,
  ) {}

  // ── events ─────────────────────────────────────────────────────────────────────────────────

  /**
   * Dispatch starts a respond clock and a finish clock from the best policy. A dispatch of a cycle
   * that already has them (转办, an accepted return) hands them to the new unit instead. True if this
   * dispatch started the cycle's clocks.
   */
  async onDispatched(m: EntityManager, e: EventEnvelope<TicketDispatchedV1>): Promise<boolean> {
    const d = e.data;
    if (await this.clocks.any(m, e.ticketId!, ClockKind.Finish, d.cycle)) {
      await this.onRedispatched(m, e);
      return false;
    }
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
    if (!(await this.clocks.insertIfAbsent(m, finish))) {
      // Another dispatch of this cycle started the clocks in the meantime: this one hands them over.
      await this.onRedispatched(m, e);
      return false;
    }
    await this.announce(m, finish, respond.dueAt);
    return true;
  }

  /**
   * 转办 / an accepted return: a dispatch of a cycle whose clocks exist. The clocks keep running from
   * the cycle's first dispatch, but name the unit that holds the order now (reassign.ts: a late
   * older dispatch never takes them back; a clock stopped before the re-dispatch keeps its unit),
   * and the cycle's open supervision items follow the finish clock's unit. Only when the first
   * dispatch itself arrives after a re-dispatch does a clock's start move (back), and its due time
   * with it.
   */
  private async onRedispatched(m: EntityManager, e: EventEnvelope<TicketDispatchedV1>): Promise<void> {
    const d = e.data;
    const dispatch = { unitId: d.unitId, at: new Date(d.dispatchedAt) };
    const cycle = await this.clocks.ofCycle(m, e.ticketId!, d.cycle);
    let moved = false;
    for (const c of cycle) {
      const r = applyDispatch(c, dispatch);
      if (!r) continue;
      const restarted = r.startedAt.getTime() !== c.startedAt.getTime();
      Object.assign(c, r);
      await this.clocks.reassign(m, c);
      if (!restarted) continue;
      moved = this.recompute(c, await this.policyCache.get(m, c.policyId), this.clock.now()) || moved;
      await this.clocks.updateState(m, c);
    }
    const finish = cycle.find((c) => c.kind === ClockKind.Finish);
    if (!finish) return;
    // One announcement for the cycle once both clocks are written, so dispatch never keeps a half-moved pair.
    if (moved) await this.announceCycle(m, finish);
    const name = finish.unitId === d.unitId ? d.unitName : null;
    await this.supervision.onReassigned(m, e.ticketId!, d.cycle, finish.unitId, name, dispatch.at);
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

  // ── the tick ───────────────────────────────────────────────────────────────────────────────

  /**
   * Fire every warning, breach and escalation due at `now`, batch by batch. Each batch is one
   * transaction: the clock rows, the supervision list, and the events in the outbox. The calendar
   * overrides are re-read first, so a calendar edited through another replica is in force here too.
   */
  async tick(now = this.clock.now()): Promise<TickResult> {
    await this.calendar.reload();
    const fired = { warnings: 0, breaches: 0, escalations: 0 };
    for (;;) {
      const n = await this.clocks.transaction(async (m) => {
        const due = await this.clocks.claimDue(m, now, this.config.SLA_TICK_BATCH);
        for (const c of due) await this.fire(m, c, now, fired);
        return due.length;
      });
      if (n < this.config.SLA_TICK_BATCH) break;
    }
    if (fired.escalations) this.log.log({ msg: 'escalations fired', escalations: fired.escalations });
    return { warnings: fired.warnings, breaches: fired.breaches };
  }

  // ── pauses and extensions (used by the extension rules and the pause API) ─────────────────

  /** Stand the clock still (nothing fires while paused). False if it already stands. */
  async pause(m: EntityManager, c: SlaClock, reason: PauseReason, at: Date): Promise<boolean> {
    if (c.stoppedAt || c.pausedAt) return false;
    const policy = await this.policyCache.get(m, c.policyId);
    if (!policy.pauseOn.includes(reason)) return false;
    c.pausedAt = at;
    c.pauseReason = reason;
    c.nextFireAt = null;
    await this.clocks.updateState(m, c);
    return true;
  }

  /** Start it again: the due time moves by the time it stood still, in the limit's own unit. */
  async resume(m: EntityManager, c: SlaClock, at: Date): Promise<void> {
    if (!c.pausedAt) return;
    const policy = await this.policyCache.get(m, c.policyId);
    this.unpause(c, policy, at);
    await this.reschedule(m, c, policy, at);
  }

  /**
   * An extension decided: the clock stops standing (if the request paused it) and gains the days
   * granted (0 when refused), in one reschedule, so dispatch hears one new due time, not two of the
   * same instant that could arrive in either order.
   */
  async settleExtension(m: EntityManager, c: SlaClock, grantedDays: number, at: Date): Promise<void> {
    const policy = await this.policyCache.get(m, c.policyId);
    if (c.pausedAt && c.pauseReason === PauseReason.ExtensionPending) this.unpause(c, policy, at);
    c.extendedWorkingDays += grantedDays;
    await this.reschedule(m, c, policy, at);
  }

  /** The time the clock stood, added to its pause total (no reschedule). */
  private unpause(c: SlaClock, policy: SlaPolicy, at: Date): void {
    const unit = c.kind === ClockKind.Respond ? policy.respondUnit : policy.finishUnit;
    const ms =
      unit === 'hours'
        ? Math.max(0, at.getTime() - c.pausedAt!.getTime())
        : workingMsBetween(c.pausedAt!, at, this.config.CITY_TIME_ZONE, this.calendar.isWorkingDay);
    c.pausedMinutes += Math.round(ms / 60_000);
    c.pausedAt = null;
    c.pauseReason = null;
  }

  /** The HTTP pause (e.g. 等待诉求人): only for a reason the order's policy allows. */
  pauseByHand(user: Principal, ticketId: string, reason: PauseReason): Promise<ClockView[]> {
    return this.byHand(user, ticketId, async (m, c, now) => {
      if (c.pausedAt) throw new ConflictException(`the finish clock already stands since ${c.pausedAt.toISOString()} (${c.pauseReason})`);
      if (!(await this.pause(m, c, reason, now))) {
        throw new ConflictException(`the policy of this order does not pause its clock for ${reason}`);
      }
    });
  }

  resumeByHand(user: Principal, ticketId: string): Promise<ClockView[]> {
    return this.byHand(user, ticketId, async (m, c, now) => {
      if (!c.pausedAt) throw new ConflictException('the finish clock is running');
      if (c.pauseReason === PauseReason.ExtensionPending) {
        throw new ConflictException('the clock stands for a pending extension; it runs again when the extension is decided');
      }
      await this.resume(m, c, now);
    });
  }

  // ── calendar edits ────────────────────────────────────────────────────────────────────────

  /**
   * After the calendar changed for the local days [from, to): recompute every running clock whose
   * schedule can touch them, in batches of one transaction each. Returns how many due times moved.
   */
  async recomputeAround(from: Date, to: Date): Promise<number> {
    let moved = 0;
    let afterId = '00000000-0000-0000-0000-000000000000';
    const now = this.clock.now();
    for (;;) {
      const batch = await this.clocks.transaction(async (m) => {
        const cs = await this.clocks.openAround(m, from, to, 60, afterId, 500);
        for (const c of cs) {
          const policy = await this.policyCache.get(m, c.policyId);
          if (await this.reschedule(m, c, policy, now)) moved++;
        }
        return cs;
      });
      if (batch.length < 500) return moved;
      afterId = batch[batch.length - 1].id;
    }
  }

  // ── reads ──────────────────────────────────────────────────────────────────────────────────

  /** The clocks of an order, if it is in the caller's districts (else none, as if unknown). */
  async forTicket(user: Principal, ticketId: string): Promise<ClockView[]> {
    const visible = (await this.clocks.forTicket(ticketId)).filter((c) => inDistrict(user, c.districtCode));
    const now = this.clock.now();
    const out: ClockView[] = [];
    for (const c of visible) {
      const policy = await this.policyCache.get(this.clocks.manager, c.policyId);
      out.push(this.view(c, policy, now));
    }
    return out;
  }

  // ── internals ──────────────────────────────────────────────────────────────────────────────

  private view(c: SlaClock, policy: SlaPolicy, now: Date): ClockView {
    const running = !c.stoppedAt;
    let left: { minutes: number; workingMinutes: number } | null = null;
    let upcoming: { key: string; at: string }[] = [];
    try {
      if (running) left = remaining(c.pausedAt ?? now, c.dueAt, this.config.CITY_TIME_ZONE, this.calendar.isWorkingDay);
      if (running && !c.pausedAt)
        upcoming = this.schedule(c, policy)
          .filter((x) => !c.fired.includes(x.key))
          .map((x) => ({ key: x.key, at: x.at.toISOString() }));
    } catch (e) {
      this.log.warn({ msg: 'cannot compute remaining time', clockId: c.id, err: (e as Error).message });
    }
    return { ...c, remainingMinutes: left?.minutes ?? null, remainingWorkingMinutes: left?.workingMinutes ?? null, upcoming };
  }

  private schedule(c: SlaClock, policy: SlaPolicy): Milestone[] {
    return milestones(
      c.startedAt,
      c.dueAt,
      { warnPercent: policy.warnPercent, warnWorkingDaysBefore: policy.warnWorkingDaysBefore, escalation: policy.escalation },
      this.config.CITY_TIME_ZONE,
      this.calendar.isWorkingDay,
    );
  }

  /** The due time from the limit, the extensions granted and the time stood still. */
  private computeDue(c: SlaClock, policy: SlaPolicy): Date {
    const zone = this.config.CITY_TIME_ZONE;
    const cal = this.calendar.isWorkingDay;
    const [value, unit] =
      c.kind === ClockKind.Respond ? [policy.respondValue, policy.respondUnit] : [policy.finishValue, policy.finishUnit];
    let due = dueAfter(c.startedAt, value, unit, zone, cal);
    if (c.extendedWorkingDays > 0) due = addWorkingDays(due, c.extendedWorkingDays, zone, cal);
    if (c.pausedMinutes > 0) {
      const ms = c.pausedMinutes * 60_000;
      due = unit === 'hours' ? new Date(due.getTime() + ms) : addWorkingMs(due, ms, zone, cal);
    }
    return due;
  }

  /**
   * Recompute the due time and what is left to fire. A milestone already fired whose new time is
   * still ahead is re-armed (a deadline moved later warns again before the new one); one whose new
   * time has passed and has not fired fires at the next tick. True if the due time moved; then the
   * new due times are announced.
   */
  private async reschedule(m: EntityManager, c: SlaClock, policy: SlaPolicy, now: Date): Promise<boolean> {
    const moved = this.recompute(c, policy, now);
    await this.clocks.updateState(m, c);
    if (moved) await this.announceCycle(m, c);
    return moved;
  }

  /** reschedule's computation on the row in hand, without writing or announcing; true if the due time moved. */
  private recompute(c: SlaClock, policy: SlaPolicy, now: Date): boolean {
    const before = c.dueAt.getTime();
    c.dueAt = this.computeDue(c, policy);
    const ms = this.schedule(c, policy);
    const atOf = new Map(ms.map((x) => [x.key, x.at]));
    c.fired = c.fired.filter((k) => (atOf.get(k) ?? now) <= now);
    if (!c.fired.includes('breach')) c.breachedAt = null;
    if (!c.fired.some((k) => k.startsWith('warn:'))) c.warnedAt = null;
    c.escalationStep = Math.max(0, ...c.fired.filter((k) => k.startsWith('escalate:')).map((k) => Number(k.slice(9))));
    if (c.escalationStep === 0) c.escalatedAt = null;
    c.warnAt = ms.find((x) => x.kind === 'warning')?.at ?? c.dueAt;
    c.nextFireAt = c.stoppedAt || c.pausedAt ? null : nextUnfired(ms, c.fired);
    return c.dueAt.getTime() !== before;
  }

  private async fire(
    m: EntityManager,
    c: SlaClock,
    now: Date,
    fired: { warnings: number; breaches: number; escalations: number },
  ): Promise<void> {
    const policy = await this.policyCache.get(m, c.policyId);
    const ms = this.schedule(c, policy);
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
          await this.outbox.publish(m, 'sla.warning.v1', { ...event, data: { ...base, rule: x.rule, warnedAt: now.toISOString() } });
          break;
        case 'breach':
          c.breachedAt = now;
          fired.breaches++;
          await this.outbox.publish(m, 'sla.breached.v1', { ...event, data: { ...base, breachedAt: now.toISOString() } });
          overdue = await this.supervision.onBreach(m, c, now);
          break;
        case 'escalation':
          c.escalationStep = Math.max(c.escalationStep, x.step);
          c.escalatedAt = now;
          fired.escalations++;
          await this.outbox.publish(m, 'sla.escalated.v1', {
            ...event,
            data: { clockId: c.id, kind: c.kind, unitId: c.unitId, step: x.step, target: x.target, escalatedAt: now.toISOString() },
          });
          overdue = await this.supervision.onEscalated(m, c, x.step, x.target, now, overdue);
          break;
      }
    }
    c.nextFireAt = nextUnfired(ms, c.fired);
    await this.clocks.updateState(m, c);
  }

  private async stop(m: EntityManager, ticketId: string, kind: ClockKind | undefined, cycle: number | undefined, at: Date): Promise<void> {
    const open = await this.clocks.open(m, ticketId, kind, cycle);
    if (open.length === 0 && kind && !(await this.clocks.any(m, ticketId, kind, cycle ?? 1))) {
      // The stop overtook the start (different consumers): retry until the clock exists.
      throw new EarlyEventError(`no ${kind} clock yet for order ${ticketId}; retrying`);
    }
    for (const c of open) {
      c.stoppedAt = at;
      c.nextFireAt = null;
      c.pausedAt = null;
      c.pauseReason = null;
      await this.clocks.updateState(m, c);
    }
    if (!kind) await this.supervision.onOrderClosed(m, ticketId, at);
  }

  private async newCycle(m: EntityManager, e: EventEnvelope<object>, unitId: string, cycle: number, start: Date): Promise<void> {
    const ticketId = e.ticketId!;
    if (await this.clocks.any(m, ticketId, ClockKind.Finish, cycle)) return;
    const previous = await this.clocks.any(m, ticketId, ClockKind.Finish, cycle - 1);
    if (!previous) throw new EarlyEventError(`no finish clock of cycle ${cycle - 1} for order ${ticketId}; retrying`);
    const policy = await this.policyCache.get(m, previous.policyId);
    // The previous cycle's clock stops if it is still running (a reopen after the callback).
    await this.stop(m, ticketId, ClockKind.Finish, cycle - 1, start);
    const finish = this.newClock(ticketId, e.district, unitId, ClockKind.Finish, cycle, policy, start);
    await this.clocks.insertIfAbsent(m, finish);
    await this.announce(m, finish);
  }

  private async byHand(
    user: Principal,
    ticketId: string,
    effect: (m: EntityManager, c: SlaClock, now: Date) => Promise<void>,
  ): Promise<ClockView[]> {
    await this.clocks.transaction(async (m) => {
      const c = await this.clocks.openFinish(m, ticketId);
      if (!c || !inDistrict(user, c.districtCode)) throw new NotFoundException(`no running finish clock for order ${ticketId}`);
      await effect(m, c, this.clock.now());
    });
    return this.forTicket(user, ticketId);
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
    const c = Object.assign(new SlaClock(), {
      id: randomUUID(),
      ticketId,
      districtCode: district,
      unitId,
      unitAssignedAt: start,
      kind,
      cycle,
      policyId: policy.id,
      startedAt: start,
      warnedAt: null,
      breachedAt: null,
      stoppedAt: null,
      fired: [],
      escalationStep: 0,
      escalatedAt: null,
      extendedWorkingDays: 0,
      pausedMinutes: 0,
      pausedAt: null,
      pauseReason: null,
    });
    c.dueAt = this.computeDue(c, policy);
    const ms = this.schedule(c, policy);
    c.warnAt = ms.find((x) => x.kind === 'warning')?.at ?? c.dueAt;
    c.nextFireAt = nextUnfired(ms, c.fired);
    return c;
  }

  /** Announce the due times of a clock's cycle (both clocks, when the respond clock still runs). */
  private async announceCycle(m: EntityManager, c: SlaClock): Promise<void> {
    if (c.kind === ClockKind.Finish) {
      const respond = await this.clocks.any(m, c.ticketId, ClockKind.Respond, c.cycle);
      await this.announce(m, c, respond && !respond.stoppedAt ? respond.dueAt : undefined);
      return;
    }
    const finish = await this.clocks.any(m, c.ticketId, ClockKind.Finish, c.cycle);
    if (finish) await this.announce(m, finish, c.stoppedAt ? undefined : c.dueAt);
  }

  private async announce(m: EntityManager, finish: SlaClock, respondDueAt?: Date): Promise<void> {
    await this.outbox.publish(m, 'sla.clocks-set.v1', {
      district: finish.districtCode,
      ticketId: finish.ticketId,
      occurredAt: this.clock.now(),
      data: {
        unitId: finish.unitId,
        policyId: finish.policyId,
        cycle: finish.cycle,
        ...(respondDueAt ? { respondDueAt: respondDueAt.toISOString() } : {}),
        finishDueAt: finish.dueAt.toISOString(),
      },
    });
  }
}
