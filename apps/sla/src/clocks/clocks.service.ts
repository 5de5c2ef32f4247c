import { ClockKind, EventEnvelope, ReviewDecision, TicketEventType } from '@app/contracts';
import {
  CLOCK,
  Clock,
  districtScope,
  EarlyEventError,
  inDistrict,
  Outbox,
  PermanentEventError,
  Principal,
  WorkingDayFn,
  Propagation,
  TransactionHost,
  TxHost,
} from '@app/platform';
import { ConflictException, Inject, Injectable, Logger, NotFoundException } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { CalendarService } from '../calendar/calendar.service';
import { addWorkingDays, addWorkingMs, dueAfter, remaining, workingMsBetween } from '../calendar/working-time';
import { PoliciesRepository } from '../policies/policies.repository';
import { PolicyCache } from '../policies/policy-cache';
import { PauseReason, SlaPolicy } from '../policies/sla-policy.entity';
import { CalendarRecompute } from '../calendar/calendar-recompute.entity';
import { SLA_CONFIG, SlaConfig } from '../sla.config';
import { SlaMetrics } from '../sla.metrics';
import { SupervisionItem } from '../supervision/supervision.entity';
import { SupervisionService } from '../supervision/supervision.service';
import { ClocksRepository } from './clocks.repository';
import { applyDispatch } from './reassign';
import { Milestone, milestones, nextUnfired } from './schedule';
import { SlaClock } from './sla-clock.entity';

export interface TickResult {
  warnings: number;
  breaches: number;
  /** Clocks that threw and were set aside (recorded on the clock, backed off); absent when none. */
  failed?: number;
}

/** Where a clock failed: firing in the tick, recomputing after a calendar edit, or in an event's handler. */
export type FailureStage = 'tick' | 'recompute' | 'event';

const RECOMPUTE_BATCH = 500;
/** A failed clock waits this long before the tick tries it again, doubling up to an hour. */
const RETRY_BASE_MS = 60_000;
const RETRY_MAX_MS = 3_600_000;

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
    @Inject(TransactionHost) private readonly txHost: TxHost,
    private readonly clocks: ClocksRepository,
    private readonly policies: PoliciesRepository,
    private readonly policyCache: PolicyCache,
    private readonly calendar: CalendarService,
    private readonly supervision: SupervisionService,
    private readonly outbox: Outbox,
    private readonly metrics: SlaMetrics,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(SLA_CONFIG) private readonly config: SlaConfig,
  ) {}

  // ── events ─────────────────────────────────────────────────────────────────────────────────

  /**
   * Dispatch starts a respond clock and a finish clock from the best policy. A dispatch of a cycle
   * that already has them (转办, an accepted return) hands them to the new unit instead. True if this
   * dispatch started the cycle's clocks.
   */
  async onDispatched(e: EventEnvelope<'ticket.dispatched.v1'>): Promise<boolean> {
    const d = e.data;
    if (await this.clocks.any(e.ticketId, ClockKind.Finish, d.cycle)) {
      await this.onRedispatched(e);
      return false;
    }
    const policy = await this.policies.best({
      districtCode: d.districtCode,
      requestType: d.requestType,
      categoryCode: d.categoryCode,
      urgency: d.urgency,
      flags: d.flags,
    });
    // Permanent: retrying cannot make a policy appear; the dead letter is replayed once one is added.
    if (!policy) throw new PermanentEventError(`no SLA policy matches order ${e.ticketId}; add a default policy`);
    const start = new Date(d.dispatchedAt);
    const respond = this.newClock(e.ticketId, e.district, d.unitId, ClockKind.Respond, d.cycle, policy, start);
    const finish = this.newClock(e.ticketId, e.district, d.unitId, ClockKind.Finish, d.cycle, policy, start);
    await this.clocks.insertIfAbsent(respond);
    if (!(await this.clocks.insertIfAbsent(finish))) {
      // Another dispatch of this cycle started the clocks in the meantime: this one hands them over.
      await this.onRedispatched(e);
      return false;
    }
    await this.announce(finish, respond);
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
  private async onRedispatched(e: EventEnvelope<'ticket.dispatched.v1'>): Promise<void> {
    const d = e.data;
    const dispatch = { unitId: d.unitId, at: new Date(d.dispatchedAt) };
    const cycle = await this.clocks.ofCycle(e.ticketId, d.cycle);
    let moved = false;
    for (const c of cycle) {
      const r = applyDispatch(c, dispatch);
      if (!r) continue;
      const restarted = r.startedAt.getTime() !== c.startedAt.getTime();
      Object.assign(c, r);
      await this.clocks.reassign(c);
      if (!restarted) continue;
      // One clock that cannot be recomputed (its policy row gone) is recorded; the hand-over still applies.
      await this.isolated(c, 'event', this.clock.now(), async () => {
        moved = this.recompute(c, await this.policyCache.get(c.policyId), this.clock.now()).changed || moved;
        await this.clocks.updateState(c);
      });
    }
    const finish = cycle.find((c) => c.kind === ClockKind.Finish);
    if (!finish) return;
    // One announcement for the cycle once both clocks are written, so dispatch never keeps a half-moved pair.
    if (moved) await this.announceCycle(finish);
    const name = finish.unitId === d.unitId ? d.unitName : null;
    await this.supervision.onReassigned(e.ticketId, d.cycle, finish.unitId, name, dispatch.at);
  }

  /** 响应: the citizen was contacted, the respond clock stops. */
  async onContacted(e: EventEnvelope<'ticket.contacted.v1'>): Promise<void> {
    await this.stop(e.ticketId, ClockKind.Respond, undefined, new Date(e.data.contactedAt));
  }

  /** 办结: the finish clock of that cycle stops. */
  async onReplied(e: EventEnvelope<'ticket.replied.v1'>): Promise<void> {
    await this.stop(e.ticketId, ClockKind.Finish, e.data.cycle, new Date(e.data.repliedAt));
  }

  /** A reply sent back for rework starts a new finish cycle. */
  async onReviewed(e: EventEnvelope<'ticket.reviewed.v1'>): Promise<void> {
    if (e.data.decision !== ReviewDecision.SentBack) return;
    await this.newCycle(e, e.data.unitId, e.data.cycle + 1, new Date(e.data.reviewedAt));
  }

  /** A reopen (unsatisfied callback, dispatcher) starts a new finish cycle. */
  async onReopened(e: EventEnvelope<'ticket.reopened.v1'>): Promise<void> {
    await this.newCycle(e, e.data.unitId, e.data.cycle, new Date(e.data.reopenedAt));
  }

  async onClosed(e: EventEnvelope<'ticket.closed.v1'>): Promise<void> {
    await this.stop(e.ticketId, undefined, undefined, new Date(e.data.closedAt));
  }

  // ── the tick ───────────────────────────────────────────────────────────────────────────────

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
    await this.resumeRecomputes();
    const fired = { warnings: 0, breaches: 0, escalations: 0 };
    let failed = 0;
    for (;;) {
      const n = await this.txHost.withTransaction(async () => {
        const due = await this.clocks.claimDue(now, this.config.SLA_TICK_BATCH);
        for (const c of due) {
          if (c.nextFireAt) this.metrics.tickLag.observe(Math.max(0, (now.getTime() - c.nextFireAt.getTime()) / 1000));
          const mine = { warnings: 0, breaches: 0, escalations: 0 };
          if (await this.isolated(c, 'tick', now, () => this.fire(c, now, mine))) {
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

  // ── pauses and extensions (used by the extension rules and the pause API) ─────────────────

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
    await this.reschedule(c, policy, at);
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
    await this.reschedule(c, policy, at);
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

  // ── calendar edits ────────────────────────────────────────────────────────────────────────

  /**
   * Run a persisted calendar recompute (see CalendarRecompute) from where it stands to its end, one
   * transaction per batch of clocks, each clock in its own savepoint; the job row's cursor moves in
   * the same transaction, so a crash loses at most the batch in hand and the next run resumes there.
   * `wait`: the request that made the edit waits for a batch another process is running; the tick
   * skips a job someone else runs. Null when skipped. The calendar must be reloaded first.
   */
  async runRecompute(id: string, wait: boolean): Promise<CalendarRecompute | null> {
    const now = this.clock.now();
    for (;;) {
      const job = await this.txHost.withTransaction(async () => {
        const j = await this.clocks.lockRecompute(id, wait);
        if (!j || j.finishedAt) return j;
        const cs = await this.clocks.recomputeBatch(j, RECOMPUTE_BATCH);
        for (const c of cs) {
          j.visited++;
          await this.isolated(c, 'recompute', now, async () => {
            if (await this.reschedule(c, await this.policyCache.get(c.policyId), now)) j.moved++;
          });
        }
        if (cs.length) j.afterId = cs[cs.length - 1].id;
        if (cs.length < RECOMPUTE_BATCH) j.finishedAt = new Date();
        await this.clocks.saveRecompute(j);
        return j;
      });
      if (!job || job.finishedAt) return job;
    }
  }

  /**
   * Finish the recomputes nobody is running (left by a crash, or queued by another replica), and
   * queue one for each year running clocks were computed provisionally for that now has data (the
   * library updated, or declared through another path). Called by the tick and at boot.
   */
  async resumeRecomputes(): Promise<void> {
    const open = await this.clocks.openRecomputes();
    const queued = new Set(open.filter((j) => j.scope === 'year').map((j) => j.year));
    for (const { year } of await this.clocks.provisionalYears()) {
      if (this.calendar.hasYear(year) && !queued.has(year)) open.push(await this.clocks.queueRecompute({ scope: 'year', year }));
    }
    for (const j of open) {
      const done = await this.runRecompute(j.id, false);
      if (done?.finishedAt)
        this.log.log({ msg: 'calendar recompute finished', id: j.id, scope: j.scope, visited: done.visited, moved: done.moved });
    }
  }

  // ── reads ──────────────────────────────────────────────────────────────────────────────────

  /** The clocks of an order, if it is in the caller's districts (else none, as if unknown). */
  async forTicket(user: Principal, ticketId: string): Promise<ClockView[]> {
    const visible = (await this.clocks.forTicket(ticketId)).filter((c) => inDistrict(user, c.districtCode));
    const now = this.clock.now();
    const out: ClockView[] = [];
    for (const c of visible) {
      // A clock whose policy cannot be read (a broken row, see lastError) is still shown, without its schedule.
      const policy = await this.policyCache.get(c.policyId).catch(() => null);
      out.push(this.view(c, policy, now));
    }
    return out;
  }

  /**
   * 临期看板: running clocks in the caller's districts with at most `withinWorkingHours` of working time
   * left (not yet breached; a paused clock counts what it had left when it stopped), soonest first.
   */
  async atRisk(
    user: Principal,
    q: { districtCode?: string; unitId?: string; withinWorkingHours: number; limit: number },
  ): Promise<ClockView[]> {
    const now = this.clock.now();
    const zone = this.config.CITY_TIME_ZONE;
    const withinMs = q.withinWorkingHours * 3_600_000;
    // The wall-clock bound of that much working time; a year the calendar lacks is read weekends-only.
    let to: Date;
    try {
      to = addWorkingMs(now, withinMs, zone, this.calendar.isWorkingDay);
    } catch {
      to = new Date(now.getTime() + withinMs * 3);
    }
    const rows = await this.clocks.openDueBetween({
      districts: districtScope(user),
      districtCode: q.districtCode,
      unitId: q.unitId,
      from: now,
      to,
      limit: q.limit,
    });
    const out: ClockView[] = [];
    for (const c of rows) {
      const policy = await this.policyCache.get(c.policyId).catch(() => null);
      const v = this.view(c, policy, now);
      if (v.remainingWorkingMinutes === null || v.remainingWorkingMinutes <= q.withinWorkingHours * 60) out.push(v);
    }
    return out.sort((a, b) => (a.remainingWorkingMinutes ?? 0) - (b.remainingWorkingMinutes ?? 0));
  }

  // ── internals ──────────────────────────────────────────────────────────────────────────────

  private view(c: SlaClock, policy: SlaPolicy | null, now: Date): ClockView {
    const running = !c.stoppedAt;
    let left: { minutes: number; workingMinutes: number } | null = null;
    let upcoming: { key: string; at: string }[] = [];
    try {
      if (running) left = remaining(c.pausedAt ?? now, c.dueAt, this.config.CITY_TIME_ZONE, this.calendar.isWorkingDay);
      if (running && !c.pausedAt && policy)
        upcoming = this.schedule(c, policy)
          .filter((x) => !c.fired.includes(x.key))
          .map((x) => ({ key: x.key, at: x.at.toISOString() }));
    } catch (e) {
      this.log.warn({ msg: 'cannot compute remaining time', clockId: c.id, err: (e as Error).message });
    }
    return { ...c, remainingMinutes: left?.minutes ?? null, remainingWorkingMinutes: left?.workingMinutes ?? null, upcoming };
  }

  /** What the clock fires, from its stored due time; a gap year is read weekends-only (see plan()). */
  private schedule(c: SlaClock, policy: SlaPolicy, cal: WorkingDayFn = this.calendar.isWorkingDay): Milestone[] {
    return milestones(
      c.startedAt,
      c.dueAt,
      { warnPercent: policy.warnPercent, warnWorkingDaysBefore: policy.warnWorkingDaysBefore, escalation: policy.escalation },
      this.config.CITY_TIME_ZONE,
      cal,
    );
  }

  /**
   * The due time and the schedule on one provisional calendar: a year without data is counted
   * weekends-only and the clock is marked provisional for it (never a missing deadline, never a
   * silently wrong one). Sets dueAt, windowEnd (the last instant the schedule reads the calendar to)
   * and the provisional mark on `c`.
   */
  private plan(c: SlaClock, policy: SlaPolicy): Milestone[] {
    const cal = this.calendar.provisional();
    c.dueAt = this.computeDue(c, policy, cal.isWorkingDay);
    const ms = this.schedule(c, policy, cal.isWorkingDay);
    c.windowEnd = new Date(Math.max(c.dueAt.getTime(), ...ms.map((x) => x.at.getTime())));
    c.provisionalYears = [...cal.provisionalYears].sort((a, b) => a - b);
    c.provisional = c.provisionalYears.length > 0;
    return ms;
  }

  /** The due time from the limit, the extensions granted and the time stood still. */
  private computeDue(c: SlaClock, policy: SlaPolicy, cal: WorkingDayFn): Date {
    const zone = this.config.CITY_TIME_ZONE;
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
  private async reschedule(c: SlaClock, policy: SlaPolicy, now: Date): Promise<boolean> {
    const { moved, changed } = this.recompute(c, policy, now);
    await this.clocks.updateState(c);
    if (changed) await this.announceCycle(c);
    return moved;
  }

  /**
   * reschedule's computation on the row in hand, without writing or announcing: `moved` if the due
   * time moved, `changed` if that or the provisional mark did (both are announced).
   */
  private recompute(c: SlaClock, policy: SlaPolicy, now: Date): { moved: boolean; changed: boolean } {
    const before = c.dueAt.getTime();
    const wasProvisional = c.provisional;
    const ms = this.plan(c, policy);
    const atOf = new Map(ms.map((x) => [x.key, x.at]));
    c.fired = c.fired.filter((k) => (atOf.get(k) ?? now) <= now);
    if (!c.fired.includes('breach')) c.breachedAt = null;
    if (!c.fired.some((k) => k.startsWith('warn:'))) c.warnedAt = null;
    c.escalationStep = Math.max(0, ...c.fired.filter((k) => k.startsWith('escalate:')).map((k) => Number(k.slice(9))));
    if (c.escalationStep === 0) c.escalatedAt = null;
    c.warnAt = ms.find((x) => x.kind === 'warning')?.at ?? c.dueAt;
    c.nextFireAt = c.stoppedAt || c.pausedAt ? null : nextUnfired(ms, c.fired);
    const moved = c.dueAt.getTime() !== before;
    return { moved, changed: moved || wasProvisional !== c.provisional };
  }

  /**
   * Run one clock's work in a savepoint of the transaction in hand. If it throws, only its own
   * writes (clock row, supervision, outbox) are rolled back; the failure is recorded on the clock
   * (in the tick it is also backed off, so it is not claimed first again at every tick), counted and
   * logged, and false is returned: the caller goes on with the next clock.
   */
  private async isolated(c: SlaClock, stage: FailureStage, now: Date, work: () => Promise<void>): Promise<boolean> {
    try {
      // A nested transaction of the one in hand: TypeORM makes it a SAVEPOINT, released on success and
      // rolled back to when `work` throws.
      await this.txHost.withTransaction(Propagation.Nested, work);
    } catch (e) {
      const err = (e as Error).message;
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
      return false;
    }
    if (c.failCount > 0) {
      c.failCount = 0;
      await this.clocks.clearFailure(c.id);
    }
    return true;
  }

  private async fire(c: SlaClock, now: Date, fired: { warnings: number; breaches: number; escalations: number }): Promise<void> {
    const policy = await this.policyCache.get(c.policyId);
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

  private async stop(ticketId: string, kind: ClockKind | undefined, cycle: number | undefined, at: Date): Promise<void> {
    const open = await this.clocks.open(ticketId, kind, cycle);
    if (open.length === 0 && kind && !(await this.clocks.any(ticketId, kind, cycle ?? 1))) {
      // The stop overtook the start (different consumers): retry until the clock exists.
      throw new EarlyEventError(`no ${kind} clock yet for order ${ticketId}; retrying`);
    }
    for (const c of open) {
      c.stoppedAt = at;
      c.nextFireAt = null;
      c.pausedAt = null;
      c.pauseReason = null;
      await this.clocks.updateState(c);
    }
    if (!kind) await this.supervision.onOrderClosed(ticketId, at);
  }

  private async newCycle(e: EventEnvelope<TicketEventType>, unitId: string, cycle: number, start: Date): Promise<void> {
    const ticketId = e.ticketId;
    if (await this.clocks.any(ticketId, ClockKind.Finish, cycle)) return;
    const previous = await this.clocks.any(ticketId, ClockKind.Finish, cycle - 1);
    if (!previous) throw new EarlyEventError(`no finish clock of cycle ${cycle - 1} for order ${ticketId}; retrying`);
    const policy = await this.policyCache.get(previous.policyId);
    // The previous cycle's clock stops if it is still running (a reopen after the callback).
    await this.stop(ticketId, ClockKind.Finish, cycle - 1, start);
    const finish = this.newClock(ticketId, e.district, unitId, ClockKind.Finish, cycle, policy, start);
    await this.clocks.insertIfAbsent(finish);
    await this.announce(finish);
  }

  private async byHand(user: Principal, ticketId: string, effect: (c: SlaClock, now: Date) => Promise<void>): Promise<ClockView[]> {
    await this.txHost.withTransaction(async () => {
      const c = await this.clocks.openFinish(ticketId);
      if (!c || !inDistrict(user, c.districtCode)) throw new NotFoundException(`no running finish clock for order ${ticketId}`);
      await effect(c, this.clock.now());
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
      failCount: 0,
      lastError: null,
      failedAt: null,
    });
    const ms = this.plan(c, policy);
    c.warnAt = ms.find((x) => x.kind === 'warning')?.at ?? c.dueAt;
    c.nextFireAt = nextUnfired(ms, c.fired);
    return c;
  }

  /** Announce the due times of a clock's cycle (both clocks, when the respond clock still runs). */
  private async announceCycle(c: SlaClock): Promise<void> {
    if (c.kind === ClockKind.Finish) {
      const respond = await this.clocks.any(c.ticketId, ClockKind.Respond, c.cycle);
      await this.announce(c, respond && !respond.stoppedAt ? respond : undefined);
      return;
    }
    const finish = await this.clocks.any(c.ticketId, ClockKind.Finish, c.cycle);
    if (finish) await this.announce(finish, c.stoppedAt ? undefined : c);
  }

  /** `sla.clocks-set.v1`; `provisional` when either due time was computed on the provisional calendar. */
  private async announce(finish: SlaClock, respond?: SlaClock): Promise<void> {
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
