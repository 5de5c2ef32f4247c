import { ClockKind, EventEnvelope, ReviewDecision, TicketEventType, TicketFlag } from '@app/contracts';
import { CLOCK, Clock, EarlyEventError, PermanentEventError, runWithTrace, TraceContext } from '@app/platform';
import { Inject, Injectable } from '@nestjs/common';
import { PolicyCache } from '../policies/policy-cache';
import { SupervisionService } from '../supervision/supervision.service';
import { ClockReassignmentService } from './clock-reassignment.service';
import { ClockSchedules } from './clock-schedules.service';
import { ClocksRepository } from './clocks.repository';
import { SlaClock } from './sla-clock.entity';
import { SlaOrdersRepository } from './sla-orders.repository';

/** A dispatch for `onDispatchedAll`, and the trace of the message that brought it (`currentTrace()` in its handler). */
export interface Dispatch {
  event: EventEnvelope<'ticket.dispatched.v1'>;
  trace?: TraceContext;
}

/** What a dispatch of a batch starts with: the order's flags, and the clocks of its policy (null: none matches). */
interface DispatchPlan {
  flags: TicketFlag[];
  clocks: { respond: SlaClock; finish: SlaClock } | null;
}

/** Clocks started, moved and stopped by the order's events: dispatch, merge, contact, reply, review, reopen, close. */
@Injectable()
export class ClockLifecycleService {
  constructor(
    private readonly clocks: ClocksRepository,
    private readonly orders: SlaOrdersRepository,
    private readonly policyCache: PolicyCache,
    private readonly schedules: ClockSchedules,
    private readonly reassignment: ClockReassignmentService,
    private readonly supervision: SupervisionService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /**
   * Dispatch starts a respond clock and a finish clock from the best policy (for a flagged order, per
   * clock the sooner of the flagged policy and the unflagged one), for the dispatch's flags
   * joined with those of the merges sla has seen (a merge dispatch had not applied when it dispatched
   * still makes the order 双交办). A dispatch of a cycle that already has them (转办, an accepted
   * return) hands them to the new unit instead. The order's flags, the dispatch's first, if this
   * dispatch started the cycle's clocks; null if it handed them over.
   */
  async onDispatched(e: EventEnvelope<'ticket.dispatched.v1'>): Promise<TicketFlag[] | null> {
    const [flags] = await this.onDispatchedAll([{ event: e }]);
    return flags;
  }

  /**
   * `onDispatched` for a consumer batch's dispatches, in the order given, with the result of one
   * after the other, but two statements for the batch's orders and clocks instead of two per
   * dispatch: the orders' joins (one per round, `SlaOrdersRepository.joinAll`), every clock chosen in
   * memory, and all of them in one INSERT. Then each dispatch, in turn and in its message's trace
   * (the end of a batch runs in none), hands the clocks over or announces them, and `then` is given
   * its flags (the bus edge puts the order on the supervision list before the next dispatch, which
   * may move its items). The flags of each, as `onDispatched` returns them.
   *
   * One after the other, a dispatch's clocks were written before the next one's INSERT; here they
   * are all written before the first hands over. That changes nothing: a hand-over only moves a
   * cycle's clocks, and a respond clock a dispatch removes again is one a later dispatch of the same
   * cycle would have written and removed again too. What a dispatch without a policy sees is set
   * right below (`laterWrote`).
   */
  async onDispatchedAll(
    dispatches: readonly Dispatch[],
    then: (e: EventEnvelope<'ticket.dispatched.v1'>, flags: TicketFlag[] | null) => Promise<void> = async () => {},
  ): Promise<(TicketFlag[] | null)[]> {
    // First, so a merge of the order handled at the same time waits for this transaction (and sees its clocks).
    const orders = await this.orders.joinAll(
      dispatches.map(({ event: { ticketId, data: d } }) => ({
        ticketId,
        flags: d.flags,
        facts: { requestType: d.requestType, categoryCode: d.categoryCode, urgency: d.urgency },
      })),
    );
    const plans: DispatchPlan[] = [];
    for (const [i, { event: e }] of dispatches.entries()) {
      const d = e.data;
      const flags = [...d.flags, ...orders[i].flags.filter((f) => !d.flags.includes(f))];
      plans.push({ flags, clocks: await this.clocksOf(e, flags) });
    }
    // The batch's clocks in one INSERT, each dispatch's respond clock first, each skipped if the cycle
    // has it (or an earlier dispatch of the batch wrote it): no read first.
    const written = new Set(
      await this.clocks.insertAllIfAbsent(plans.flatMap((p) => (p.clocks ? [p.clocks.respond, p.clocks.finish] : []))),
    );
    const results: (TicketFlag[] | null)[] = [];
    for (const [i, { event: e, trace }] of dispatches.entries()) {
      const step = async () => {
        const flags = await this.started(e, plans[i], written, () => laterWrote(i));
        await then(e, flags);
        return flags;
      };
      results.push(await (trace ? runWithTrace(trace, step) : step()));
    }
    return results;

    /** Whether a later dispatch of the batch wrote the finish clock of dispatch `i`'s cycle (it had none before). */
    function laterWrote(i: number): boolean {
      const cycleOf = (e: EventEnvelope<'ticket.dispatched.v1'>) => `${e.ticketId.toLowerCase()}/${e.data.cycle}`;
      const cycle = cycleOf(dispatches[i].event);
      return plans.some((p, k) => k > i && p.clocks && written.has(p.clocks.finish) && cycleOf(dispatches[k].event) === cycle);
    }
  }

  /**
   * A dispatch's respond and finish clocks from the best policy for its facts and `flags`; null if
   * no policy matches.
   */
  private async clocksOf(
    e: EventEnvelope<'ticket.dispatched.v1'>,
    flags: TicketFlag[],
  ): Promise<{ respond: SlaClock; finish: SlaClock } | null> {
    const d = e.data;
    const facts = { districtCode: d.districtCode, requestType: d.requestType, categoryCode: d.categoryCode, urgency: d.urgency };
    const policy = await this.policyCache.best({ ...facts, flags });
    if (!policy) return null;
    const start = new Date(d.dispatchedAt);
    const of = { ticketId: e.ticketId, district: e.district, unitId: d.unitId, cycle: d.cycle, start };
    // 双交办 is a hard limit, never a looser one: each clock of a flagged order runs on the flagged
    // policy or on the one the order would have without its flags, whichever is due sooner (an urgent
    // order keeps its 2 h / 24 h), as a merge after dispatch only ever tightens (`tighten`).
    const plain = policy.flag ? await this.policyCache.best({ ...facts, flags: [] }) : null;
    const clockOf = (kind: ClockKind) => {
      const c = this.schedules.newClock({ ...of, kind }, policy);
      const unflagged = plain && plain.id !== policy.id ? this.schedules.newClock({ ...of, kind }, plain) : null;
      return unflagged && unflagged.dueAt < c.dueAt ? unflagged : c;
    };
    return { respond: clockOf(ClockKind.Respond), finish: clockOf(ClockKind.Finish) };
  }

  /**
   * The rest of a dispatch once its clocks were inserted (or skipped, `written`): announced, or
   * handed over if the cycle had them. `laterWrote`: whether the cycle's finish clock is one a later
   * dispatch of the batch wrote (so this one, without a policy, came before it had any).
   */
  private async started(
    e: EventEnvelope<'ticket.dispatched.v1'>,
    { flags, clocks }: DispatchPlan,
    written: ReadonlySet<SlaClock>,
    laterWrote: () => boolean,
  ): Promise<TicketFlag[] | null> {
    if (!clocks) {
      // A cycle with clocks needs no policy to change hands.
      if ((await this.clocks.has(e.ticketId, ClockKind.Finish, e.data.cycle)) && !laterWrote()) return this.handOver(e);
      // Permanent: retrying cannot make a policy appear; the dead letter is replayed once one is added.
      throw new PermanentEventError(`no SLA policy matches order ${e.ticketId}; add a default policy`);
    }
    const { respond, finish } = clocks;
    if (!written.has(finish)) {
      // The cycle had its clocks (转办, an accepted return, another dispatch of it meanwhile; a
      // reopened cycle has a finish clock only): this dispatch hands them over, and a respond clock
      // the INSERT wrote for such a cycle goes again.
      if (written.has(respond)) await this.clocks.remove(respond.id);
      return this.handOver(e);
    }
    await this.schedules.announce(finish, respond);
    return flags;
  }

  private async handOver(e: EventEnvelope<'ticket.dispatched.v1'>): Promise<null> {
    await this.reassignment.onRedispatched(e);
    return null;
  }

  /**
   * 合并 with flags (双交办): kept for the order, for a dispatch that has not reached sla yet. An order
   * already dispatched is chosen its policy again, from the facts its dispatch left and every flag it
   * has; if that is a flagged policy, the running clocks of its current cycle move to it where it is
   * stricter (`tighten` in clock-plan.ts: from the dispatch, never lengthening a limit, a clock
   * stopped or breached left as it is), and the cycle's new due times are announced
   * (`sla.clocks-set.v1`, which dispatch's worklists and notify follow).
   */
  async onMerged(e: EventEnvelope<'ticket.merged.v1'>): Promise<void> {
    const flags = e.data.flags ?? [];
    if (flags.length === 0) return;
    const order = await this.orders.join(e.ticketId, flags);
    const latest = await this.clocks.latestFinish(e.ticketId);
    // Not dispatched yet (its dispatch joins the flags), or dispatched before sla kept the facts.
    if (!latest || !order.requestType || !order.categoryCode || !order.urgency) return;
    const policy = await this.policyCache.best({
      districtCode: latest.districtCode,
      requestType: order.requestType,
      categoryCode: order.categoryCode,
      urgency: order.urgency,
      flags: order.flags,
    });
    if (!policy?.flag) return;
    const now = this.clock.now();
    const moved: SlaClock[] = [];
    for (const c of await this.clocks.open(e.ticketId, undefined, latest.cycle)) {
      if (!this.schedules.tighten(c, policy, now)) continue;
      await this.clocks.updateState(c);
      moved.push(c);
    }
    // One announcement of the cycle's due times (both clocks), however many moved.
    if (moved.length) await this.schedules.announceCycle(moved.find((c) => c.kind === ClockKind.Finish) ?? moved[0]);
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
    const finish = this.schedules.newClock({ ticketId, district: e.district, unitId, kind: ClockKind.Finish, cycle, start }, policy);
    await this.clocks.insertIfAbsent(finish);
    await this.schedules.announce(finish);
  }
}
