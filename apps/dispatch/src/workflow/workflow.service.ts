import { callbackAnswerLabel, ClockKind, CloseReason, DECIDED_BY_RULE, EventEnvelope, ReopenSource, Satisfaction } from '@app/contracts';
import { CLOCK, Clock, currentTrace, districtScope, EarlyEventError, Principal, TransactionHost, TxHost } from '@app/platform';
import {
  ConflictException,
  ForbiddenException,
  Inject,
  Injectable,
  Logger,
  NotFoundException,
  UnauthorizedException,
} from '@nestjs/common';
import { DISPATCH_CONFIG, DispatchConfig } from '../dispatch.config';
import { OrgRepository } from '../org/org.repository';
import { RouteMatch } from '../routing/routing.repository';
import { RoutingService } from '../routing/routing.service';
import { CitizenContacts } from './citizen-contact';
import { CoAssignment } from './co-assignment.entity';
import { OrderState } from './order-state';
import { acceptedFacts, entry, newOrder, Order, SYSTEM } from './order.aggregate';
import { Arrival, BEFORE_REPLY, OrderSteps } from './order-steps';
import { leaderHoldNote, supervisedNote } from './timeline-text';
import { TimelineEntry, WorkOrder } from './work-order.entity';
import { DispatchQueue, ListOrdersQuery, QueueCounts, QueueQuery } from './workflow.dto';
import { OrderFilter, WorkflowRepository } from './workflow.repository';

export interface OrderDetail extends WorkOrder {
  timeline: TimelineEntry[];
  coUnits: CoAssignment[];
}

/** What routing suggests for an order now, with the rule that matched. */
export interface Suggestion {
  stored: { unitId: string | null; ruleId: string | null };
  current: RouteMatch | null;
}

/** The bus side of the workflow (routing on acceptance, callback outcomes, due times) and the reads. */
@Injectable()
export class WorkflowService {
  private readonly log = new Logger(WorkflowService.name);

  constructor(
    private readonly steps: OrderSteps,
    private readonly orders: WorkflowRepository,
    private readonly org: OrgRepository,
    private readonly routing: RoutingService,
    private readonly contacts: CitizenContacts,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(DISPATCH_CONFIG) private readonly config: DispatchConfig,
    @Inject(TransactionHost) private readonly txHost: TxHost,
  ) {}

  // ── events ────────────────────────────────────────────────────────────────────────────────

  /** A new order: route it to a unit of its district, or leave it in the dispatcher's queue. */
  async onAccepted(e: EventEnvelope<'ticket.accepted.v1'>): Promise<void> {
    await this.commitArrivals([await this.arrive(e)]);
  }

  /**
   * A new order routed in memory (nothing written yet), with the trace of the event that brought it:
   * a consumer batch's arrivals are written together at its end (`commitArrivals`, WorkflowHandlers).
   */
  async arrive(e: EventEnvelope<'ticket.accepted.v1'>): Promise<Arrival> {
    const order = this.steps.begin(newOrder(e.ticketId, OrderState.Unrouted, acceptedFacts(e.data)));
    await this.routeArrived(order);
    return { order, trace: currentTrace() };
  }

  /**
   * New orders inserted as routed, in one statement for all of them, with their timelines and events;
   * an order already known (an acceptance published twice) writes nothing (OrderSteps.commitNew).
   */
  async commitArrivals(arrivals: readonly Arrival[]): Promise<void> {
    await this.steps.commitNew(arrivals);
  }

  /**
   * An order that has just arrived in its district (accepted, or transferred in) and is unrouted: to
   * the unit its district's rules choose, to the district leader first for 双交办, or to the
   * dispatcher's queue when no rule matches. The caller commits.
   */
  async routeArrived(order: Order): Promise<void> {
    const row = order.row;
    const match = await this.routing.route(row);
    order.suggest(match?.unit.id ?? null, match?.rule.id ?? null);
    if (row.flags.length > 0) {
      const centre = await this.org.districtCentre(row.districtCode);
      if (centre?.dualSignoffRequired) {
        order.holdForLeader(leaderHoldNote(row.flags, match ? match.unit.nameZh : null), centre.id, match?.unit.id ?? null);
        return;
      }
    }
    if (!match) return order.awaitDispatcher();
    order.dispatch('dispatch', match.unit, match.rule.id, SYSTEM, `规则 rule ${match.rule.id}: ${match.rule.note ?? ''}`, match.rule.note);
  }

  /** The citizen's verdict: satisfied and resolved closes the order; anything else reopens it to the same unit. */
  async onCallbackCompleted(e: EventEnvelope<'callback.completed.v1'>): Promise<void> {
    const row = await this.orders.lock(e.ticketId);
    if (!row || row.cycle !== e.data.cycle || row.state !== OrderState.AwaitingCallback) {
      this.log.warn({
        msg: 'callback result for an order not awaiting it; ignored',
        ticketId: e.ticketId,
        cycle: e.data.cycle,
        state: row?.state,
      });
      return;
    }
    const order = this.steps.begin(row);
    const d = e.data;
    if (d.resolved && d.satisfaction !== Satisfaction.Unsatisfied) {
      const a = callbackAnswerLabel(d.resolved, d.satisfaction);
      order.close(CloseReason.CallbackSatisfied, `回访：${a.zh}，结案 callback: ${a.en}; closed`, d.satisfaction);
    } else {
      const a = callbackAnswerLabel(d.resolved, d.satisfaction);
      const reason = `回访：${a.zh}，重新办理 callback: ${a.en}; reopened`;
      order.reopen(SYSTEM, ReopenSource.Callback, reason, null, { resolved: d.resolved, satisfaction: d.satisfaction });
    }
    await this.steps.commit(order);
  }

  /** The citizen could not be reached: the order closes; the rates count it as configured in analytics. */
  async onCallbackFailed(e: EventEnvelope<'callback.failed.v1'>): Promise<void> {
    const row = await this.orders.lock(e.ticketId);
    if (!row || row.cycle !== e.data.cycle || row.state !== OrderState.AwaitingCallback) return;
    const order = this.steps.begin(row);
    order.close(CloseReason.CallbackUnreachable, `回访未接通 unreachable after ${e.data.attempts} attempts`, undefined, e.data.attempts);
    await this.steps.commit(order);
  }

  /**
   * Due times from sla, for the worklists: a batch's at its end (WorkflowHandlers), in one statement.
   * A later cycle always wins; within a cycle the newer event wins, so an older one arriving late
   * never overwrites a newer one. An order not known yet fails the batch (EarlyEventError): applied
   * one event at a time, only that event waits for its order.
   */
  async onClocksSet(events: readonly EventEnvelope<'sla.clocks-set.v1'>[]): Promise<void> {
    const unknown = await this.orders.applyDueTimes(
      events.map(({ ticketId, occurredAt, data: d }) => ({
        ticketId,
        due: {
          cycle: d.cycle,
          setAt: new Date(occurredAt),
          respondDueAt: d.respondDueAt ? new Date(d.respondDueAt) : null,
          finishDueAt: new Date(d.finishDueAt),
          // The warning points travel with the due times; an event without them leaves none (the web then estimates).
          respondWarnAt: d.respondDueAt && d.respondWarnAt ? new Date(d.respondWarnAt) : null,
          finishWarnAt: d.finishWarnAt ? new Date(d.finishWarnAt) : null,
        },
      })),
    );
    if (unknown.length > 0) {
      throw new EarlyEventError(`clocks for unknown order ${unknown.join(', ')}; retry after its acceptance arrives`);
    }
  }

  /**
   * sla decided an extension: on the timeline either way; an approval moves the finish due time
   * of the order's current cycle (unless a newer due time has already been applied).
   */
  async onExtensionDecided(e: EventEnvelope<'sla.extension-decided.v1'>): Promise<void> {
    const order = await this.orders.lock(e.ticketId);
    if (!order) throw new EarlyEventError(`extension decision for unknown order ${e.ticketId}; retry after its acceptance arrives`);
    const d = e.data;
    const at = new Date(e.occurredAt);
    const label = d.approved ? `同意延期 extension approved: ${d.days} working days` : '不同意延期 extension refused';
    await this.orders.addTimeline(
      entry(
        order.ticketId,
        at,
        d.decidedBy === DECIDED_BY_RULE ? 'system:sla' : d.decidedBy,
        d.approved ? 'extension_approved' : 'extension_refused',
        null,
        null,
        d.reason ? `${label}; ${d.reason}` : label,
        {
          requestId: d.requestId,
          days: d.days,
          newFinishDueAt: d.newFinishDueAt ?? null,
          cycle: d.cycle ?? null,
          remark: d.reason ?? null,
        },
      ),
    );
    const sameCycle = d.cycle === undefined || d.cycle === order.cycle;
    const newer = order.dueSetAt === null || at >= order.dueSetAt;
    if (d.approved && d.newFinishDueAt && sameCycle && newer) {
      order.finishDueAt = new Date(d.newFinishDueAt);
      order.dueSetAt = at;
      await this.orders.save(order);
    }
  }

  /**
   * 预警 / 超时 / 督办升级 from sla: on the order's timeline, so the unit and the dispatcher see when
   * the order was warned, went overdue, and to whom it was escalated. (`overdue=true` on the
   * worklist selects orders past a due time they have not met.)
   */
  async onSlaAlert(
    e: EventEnvelope<'sla.warning.v1'> | EventEnvelope<'sla.breached.v1'> | EventEnvelope<'sla.escalated.v1'>,
  ): Promise<void> {
    const order = await this.lockedFor(e);
    const d = e.data;
    const clock = d.kind === ClockKind.Respond ? '响应时限 respond limit' : '办结时限 finish limit';
    let action: string;
    let note: string;
    let data: Record<string, string | number | null>;
    if ('rule' in d) {
      action = 'sla_warning';
      note = `预警 warning: ${clock} due ${d.dueAt} (${d.rule})`;
      data = { unitId: d.unitId, kind: d.kind, cycle: d.cycle, rule: d.rule, dueAt: d.dueAt, remark: null };
    } else if ('breachedAt' in d) {
      action = 'sla_breached';
      note = `超时 overdue: ${clock} was due ${d.dueAt}`;
      data = { unitId: d.unitId, kind: d.kind, cycle: d.cycle, dueAt: d.dueAt, remark: null };
    } else {
      action = 'sla_escalated';
      note = `督办升级 escalated (step ${d.step}) to ${ESCALATION_TARGETS[d.target]}: ${clock}`;
      data = { unitId: d.unitId, kind: d.kind, step: d.step, target: d.target, remark: null };
    }
    await this.orders.addTimeline(entry(order.ticketId, new Date(e.occurredAt), 'system:sla', action, null, null, note, data));
  }

  /** 催办 from a supervisor: on the order's timeline with the note, so the unit reads it on the order page. */
  async onUrged(e: EventEnvelope<'sla.urged.v1'>): Promise<void> {
    const order = await this.lockedFor(e);
    const d = e.data;
    await this.orders.addTimeline(
      entry(
        order.ticketId,
        new Date(d.urgedAt),
        d.urgedBy,
        'sla_urged',
        null,
        null,
        `催办（第${d.urgeCount}次）urged (#${d.urgeCount}): ${d.note}`,
        {
          itemId: d.itemId,
          unitId: d.unitId,
          urgeCount: d.urgeCount,
          remark: d.note,
        },
      ),
    );
  }

  /**
   * 督办立项 / 销号 from sla: the order went on the supervision list, or its item was closed. On the
   * order's timeline, so the unit and the dispatcher see that the order is watched, why and at which
   * level (the item's summary and the supervisor's closing note are the entries' words).
   */
  async onSupervision(e: EventEnvelope<'sla.supervision-opened.v1'> | EventEnvelope<'sla.supervision-closed.v1'>): Promise<void> {
    const order = await this.lockedFor(e);
    if (e.type === 'sla.supervision-opened.v1') {
      const d = e.data;
      await this.orders.addTimeline(
        entry(
          order.ticketId,
          new Date(d.openedAt),
          'system:sla',
          'sla_supervised',
          null,
          null,
          supervisedNote(d.reason, d.level, d.summary),
          {
            itemId: d.itemId,
            reason: d.reason,
            level: d.level,
            unitId: d.unitId,
            cycle: d.cycle,
            remark: d.summary,
          },
        ),
      );
    } else {
      const d = e.data;
      await this.orders.addTimeline(
        entry(
          order.ticketId,
          new Date(d.closedAt),
          d.closedBy,
          'sla_supervision_closed',
          null,
          null,
          `督办销号 supervision closed (${d.reason})${d.note ? `: ${d.note}` : ''}`,
          {
            itemId: d.itemId,
            reason: d.reason,
            remark: d.note ?? null,
          },
        ),
      );
    }
  }

  /**
   * 合并: another contact about the same matter was merged into the order (intake). On the order's
   * timeline with the citizens counted, and the flags it brought (`repeat`, `concentrated`) join the
   * order's: a merge is how most orders become 集中件, and the dispatcher's queue and the unit's list
   * show the flags. Flags only grow (each event carries the set after its merge), so merges applied in
   * any order give the same flags. A merge that makes an order with no flag 双交办 takes it the way a
   * flagged order goes, from where it is (`holdMerged`).
   */
  async onMerged(e: EventEnvelope<'ticket.merged.v1'>): Promise<void> {
    const order = await this.lockedFor(e);
    const d = e.data;
    const wasFlagged = order.flags.length > 0;
    const added = (d.flags ?? []).filter((f) => !order.flags.includes(f));
    if (added.length) order.flags = [...order.flags, ...added];
    await this.orders.addTimeline(
      entry(
        order.ticketId,
        new Date(d.mergedAt),
        'system:intake',
        'merged',
        null,
        null,
        `合并 merged: ${d.citizenCount} citizens${added.length ? `; flags + ${added.join(', ')}` : ''}`,
        { citizenCount: d.citizenCount, addedFlags: added.join(','), remark: null },
      ),
    );
    if (!added.length) return;
    if (wasFlagged) return this.orders.save(order);
    await this.holdMerged(order);
  }

  /**
   * 双交办 by a merge, where the district's centre asks for its leader's sign-off (`dualSignoffRequired`):
   * an order no rule placed goes to the leader as a flagged new order does (`awaiting_leader`); one a
   * unit has before its reply stays with the unit, whose reply then waits for the leader's sign-off
   * (Order.holdInHand). An order whose reply has gone out (under review, awaiting its callback,
   * closed) is not held: the reply the leader would sign is given. The caller holds the row lock.
   */
  private async holdMerged(row: WorkOrder): Promise<void> {
    const order = this.steps.begin(row);
    const unrouted = row.state === OrderState.Unrouted;
    if (unrouted || BEFORE_REPLY.includes(row.state)) {
      const centre = await this.org.districtCentre(row.districtCode);
      if (centre?.dualSignoffRequired) {
        if (unrouted) order.holdForLeader(leaderHoldNote(row.flags, null, true), centre.id, row.suggestedUnitId);
        else order.holdInHand(centre.id);
      }
    }
    await this.steps.commit(order);
  }

  /**
   * 补充诉求: the citizen added to the order after its acceptance (told to an operator, intake's
   * `POST /tickets/:id/supplements`); on the order's timeline with the words, so the unit handling it
   * reads them on the order page.
   */
  async onSupplemented(e: EventEnvelope<'ticket.supplemented.v1'>): Promise<void> {
    const order = await this.lockedFor(e);
    const d = e.data;
    await this.orders.addTimeline(
      entry(order.ticketId, new Date(d.supplementedAt), 'system:intake', 'supplemented', null, null, `补充诉求 supplement: ${d.text}`, {
        remark: d.text,
      }),
    );
  }

  /** The order an event names, locked; an event ahead of the order's acceptance waits for it (EarlyEventError). */
  private async lockedFor(e: { type: string; ticketId: string }): Promise<WorkOrder> {
    const order = await this.orders.lock(e.ticketId);
    if (!order) throw new EarlyEventError(`${e.type} for unknown order ${e.ticketId}; retry after its acceptance arrives`);
    return order;
  }

  /**
   * The order with its timeline and co-units as they were at one moment (one REPEATABLE READ
   * snapshot): read one after the other outside it, the timeline could be a step ahead of the order's
   * state when a step committed between the reads.
   */
  get(user: Principal, ticketId: string): Promise<OrderDetail> {
    return this.txHost.withTransaction({ isolationLevel: 'REPEATABLE READ' }, async () => {
      const order = await this.visible(user, ticketId);
      const timeline = await this.orders.timeline(ticketId);
      const coUnits = await this.orders.coAssignments(ticketId);
      return { ...order, timeline, coUnits };
    });
  }

  /**
   * 显示号码: the citizen's contact for someone handling the order as dispatch knows it (a member of
   * the unit or of the community it was passed to, or a handler it was assigned to, while the unit
   * has it), from intake, which audits the reveal and keeps a hidden citizen hidden.
   */
  async revealContact(user: Principal, ticketId: string, purpose: string): Promise<{ name: string | null; phone: string }> {
    const order = await this.visible(user, ticketId);
    if (!OrderSteps.handles(user, order)) throw new ForbiddenException('only those handling this order may reveal its citizen’s contact');
    if (!REVEALABLE.includes(order.state)) {
      throw new ConflictException(`the contact is revealed while the order is being handled, not while it is ${order.state}`);
    }
    if (!user.token) throw new UnauthorizedException('a contact is revealed only for a person with their token');
    return this.contacts.reveal({ ticketId, token: user.token, role: 'handler', purpose });
  }

  async timeline(user: Principal, ticketId: string): Promise<TimelineEntry[]> {
    await this.visible(user, ticketId);
    return this.orders.timeline(ticketId);
  }

  /** 派单建议: the rule that chose (or would choose) the unit, shown to the dispatcher and the leader. */
  async suggestion(user: Principal, ticketId: string): Promise<Suggestion> {
    const order = await this.visible(user, ticketId);
    const current = await this.txHost.withTransaction(() => this.routing.route(order));
    return { stored: { unitId: order.suggestedUnitId, ruleId: order.suggestedRuleId }, current };
  }

  /**
   * Worklists. Dispatchers, supervisors, analysts and district leaders see their districts; a unit's
   * members see their unit's queue: orders it leads, was passed down to, is a co-unit of, or that
   * were assigned to them by name.
   */
  async list(user: Principal, q: ListOrdersQuery, limit: number): Promise<WorkOrder[]> {
    const wide = OrderSteps.overseer(user) || (await this.leadsAll(user));
    return this.orders.list({
      districts: districtScope(user),
      member: wide ? null : { units: user.units, userId: user.id },
      ...(q.awaitingLeader ? { states: [OrderState.AwaitingLeader], orLeaderHold: true } : { states: q.state ? [q.state] : undefined }),
      ticketIds: q.ticketIds,
      unitId: q.unitId,
      urgency: q.urgency,
      flag: q.flag,
      dueBefore: q.dueBefore ? new Date(q.dueBefore) : undefined,
      overdue: q.overdue ? { value: q.overdue === 'true', now: this.clock.now() } : undefined,
      assignee: q.assignee === 'me' ? user.id : q.assignee,
      order: q.order,
      limit,
      offset: q.offset,
    });
  }

  /**
   * 派单员待办 in the caller's districts: one queue (DISPATCH_QUEUES), or without one unrouted orders,
   * return requests and replies waiting for review together.
   */
  queue(user: Principal, q: QueueQuery): Promise<WorkOrder[]> {
    const city = this.config.CITY_CODE;
    const queues: Record<DispatchQueue, Pick<OrderFilter, 'states' | 'district' | 'orLeaderHold'>> = {
      unrouted: { states: [OrderState.Unrouted], district: { code: city, in: false } },
      returned: { states: [OrderState.ReturnRequested] },
      leader: { states: [OrderState.AwaitingLeader], orLeaderHold: true },
      review: { states: [OrderState.Replied] },
      city: { states: [OrderState.Unrouted], district: { code: city, in: true } },
    };
    const which = q.queue ? queues[q.queue] : { states: [OrderState.Unrouted, OrderState.ReturnRequested, OrderState.Replied] };
    return this.orders.list({ districts: districtScope(user), member: null, ...which, limit: q.limit ?? 100, offset: q.offset });
  }

  /** The size of each dispatcher queue in the caller's districts (the badges on the queue tabs). */
  queueCounts(user: Principal): Promise<QueueCounts> {
    return this.orders.queueCounts(districtScope(user), this.config.CITY_CODE);
  }

  private async visible(user: Principal, ticketId: string): Promise<WorkOrder> {
    const order = await this.orders.find(ticketId);
    if (!order || !(await this.steps.canSee(user, order))) throw new NotFoundException(`no order ${ticketId}`);
    return order;
  }

  /** A district leader's worklist covers the district (when every one of their districts has them as leader). */
  private async leadsAll(user: Principal): Promise<boolean> {
    if (!user.roles.includes('unit_head') || user.districts.includes('*') || user.districts.length === 0) return false;
    for (const d of user.districts) if (!(await this.steps.isLeader(user, d))) return false;
    return true;
  }
}

/** While the unit has the order and may still have to call (signed up to a reply, or reworking). */
const REVEALABLE: OrderState[] = [
  OrderState.Dispatched,
  OrderState.Signed,
  OrderState.ReturnRequested,
  OrderState.Contacted,
  OrderState.AwaitingSignoff,
  OrderState.SignoffRejected,
  OrderState.Rework,
  OrderState.Reopened,
];

const ESCALATION_TARGETS: Record<string, string> = {
  unit: '承办单位负责人 the unit’s head',
  district: '区级督办 the district',
  city: '市级督办 the city',
};
