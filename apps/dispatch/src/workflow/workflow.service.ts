import {
  CallbackCompletedV1,
  CallbackFailedV1,
  EventEnvelope,
  ReopenSource,
  ReviewDecision,
  Satisfaction,
  SlaClocksSetV1,
  SlaExtensionDecidedV1,
  TicketAcceptedV1,
} from '@app/contracts';
import { CLOCK, Clock, districtScope, hasRole, inDistrict, inUnit, Outbox, Principal } from '@app/platform';
import { ConflictException, ForbiddenException, Inject, Injectable, Logger, NotFoundException } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { OrgUnit } from '../org/org-unit.entity';
import { RoutingService } from '../routing/routing.service';
import { IllegalTransition, nextState, OrderAction, OrderState } from './order-state';
import { TimelineEntry, WorkOrder } from './work-order.entity';
import { ContactDto, ExtensionRequestDto, ExtensionRequested, ListOrdersQuery, ReplyDto, ReviewDto } from './workflow.dto';
import { WorkflowRepository } from './workflow.repository';

const SYSTEM = 'system:dispatch';

/** While the order is in the unit's hands (before its reply). */
const EXTENSION_STATES: OrderState[] = [
  OrderState.Dispatched,
  OrderState.Signed,
  OrderState.Contacted,
  OrderState.Rework,
  OrderState.Reopened,
];

export interface OrderDetail extends WorkOrder {
  timeline: TimelineEntry[];
}

/** The handling workflow: routing on acceptance, the unit's steps, review, and callback outcomes. */
@Injectable()
export class WorkflowService {
  private readonly log = new Logger(WorkflowService.name);

  constructor(
    private readonly orders: WorkflowRepository,
    private readonly routing: RoutingService,
    private readonly outbox: Outbox,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  // ── events ────────────────────────────────────────────────────────────────────────────────

  /** A new order: route it to a unit of its district, or leave it in the dispatcher's queue. */
  async onAccepted(m: EntityManager, e: EventEnvelope<TicketAcceptedV1>): Promise<void> {
    const d = e.data;
    const now = this.clock.now();
    const order = Object.assign(new WorkOrder(), {
      ticketId: e.ticketId!,
      orderNo: d.orderNo,
      districtCode: d.location.districtCode,
      streetCode: d.location.streetCode ?? null,
      categoryCode: d.categoryCode,
      requestType: d.requestType,
      urgency: d.urgency,
      flags: d.flags,
      content: d.content,
      address: d.location.address,
      identityHidden: d.identityHidden,
      state: OrderState.Unrouted,
      unitId: null,
      assignmentId: null,
      ruleId: null,
      cycle: 1,
      reworkCount: 0,
      outcome: null,
      replyText: null,
      respondDueAt: null,
      finishDueAt: null,
      dueSetAt: null,
      dueCycle: 0,
      acceptedAt: new Date(d.acceptedAt),
    });
    if (!(await this.orders.insert(m, order))) return; // already known
    const match = await this.routing.route(m, {
      districtCode: order.districtCode,
      streetCode: order.streetCode,
      categoryCode: order.categoryCode,
    });
    if (!match) {
      await this.orders.addTimeline(
        m,
        entry(order.ticketId, now, SYSTEM, 'unrouted', null, OrderState.Unrouted, 'no routing rule matched; waiting for a dispatcher'),
      );
      return;
    }
    await this.dispatchTo(m, order, match.unit, match.rule.id, SYSTEM, now, `rule ${match.rule.id}`);
  }

  /** The citizen's verdict: satisfied and resolved closes the order; anything else reopens it to the same unit. */
  async onCallbackCompleted(m: EntityManager, e: EventEnvelope<CallbackCompletedV1>): Promise<void> {
    const order = await this.orders.lock(m, e.ticketId!);
    if (!order || order.cycle !== e.data.cycle || order.state !== OrderState.AwaitingCallback) {
      this.log.warn({
        msg: 'callback result for an order not awaiting it; ignored',
        ticketId: e.ticketId,
        cycle: e.data.cycle,
        state: order?.state,
      });
      return;
    }
    const now = this.clock.now();
    const ok = e.data.resolved && e.data.satisfaction !== Satisfaction.Unsatisfied;
    if (ok) {
      await this.transition(m, order, 'close', SYSTEM, now, `回访满意 callback: ${e.data.satisfaction}`);
      await this.outbox.publish(m, 'ticket.closed.v1', {
        district: order.districtCode,
        ticketId: order.ticketId,
        occurredAt: now,
        data: {
          unitId: order.unitId!,
          outcome: order.outcome!,
          satisfaction: e.data.satisfaction,
          closeReason: 'callback_satisfied',
          cycle: order.cycle,
          closedAt: now.toISOString(),
        },
      });
      return;
    }
    const reason = `回访${e.data.resolved ? '' : '未解决'}${e.data.satisfaction === Satisfaction.Unsatisfied ? '不满意' : ''} callback: resolved=${e.data.resolved}, ${e.data.satisfaction}`;
    order.cycle += 1;
    order.reworkCount += 1;
    await this.transition(m, order, 'reopen', SYSTEM, now, reason);
    await this.outbox.publish(m, 'ticket.reopened.v1', {
      district: order.districtCode,
      ticketId: order.ticketId,
      occurredAt: now,
      data: {
        assignmentId: order.assignmentId!,
        unitId: order.unitId!,
        source: ReopenSource.Callback,
        reason,
        cycle: order.cycle,
        reopenedAt: now.toISOString(),
      },
    });
  }

  /** The citizen could not be reached: the order closes; the rates count it as configured in analytics. */
  async onCallbackFailed(m: EntityManager, e: EventEnvelope<CallbackFailedV1>): Promise<void> {
    const order = await this.orders.lock(m, e.ticketId!);
    if (!order || order.cycle !== e.data.cycle || order.state !== OrderState.AwaitingCallback) return;
    const now = this.clock.now();
    await this.transition(m, order, 'close', SYSTEM, now, `回访未接通 unreachable after ${e.data.attempts} attempts`);
    await this.outbox.publish(m, 'ticket.closed.v1', {
      district: order.districtCode,
      ticketId: order.ticketId,
      occurredAt: now,
      data: {
        unitId: order.unitId!,
        outcome: order.outcome!,
        closeReason: 'callback_unreachable',
        cycle: order.cycle,
        closedAt: now.toISOString(),
      },
    });
  }

  /**
   * Due times from sla, for the worklists. A later cycle always wins; within a cycle the newer
   * event wins, so an older one arriving late never overwrites a newer one.
   */
  async onClocksSet(m: EntityManager, e: EventEnvelope<SlaClocksSetV1>): Promise<void> {
    const order = await this.orders.lock(m, e.ticketId!);
    if (!order) throw new Error(`clocks for unknown order ${e.ticketId}; retry after its acceptance arrives`);
    const at = new Date(e.occurredAt);
    const older = e.data.cycle < order.dueCycle || (e.data.cycle === order.dueCycle && order.dueSetAt !== null && at < order.dueSetAt);
    if (older) return;
    if (e.data.respondDueAt) order.respondDueAt = new Date(e.data.respondDueAt);
    order.finishDueAt = new Date(e.data.finishDueAt);
    order.dueCycle = e.data.cycle;
    order.dueSetAt = at;
    await this.orders.save(m, order);
  }

  /**
   * sla decided an extension: on the timeline either way; an approval moves the finish due time
   * of the order's current cycle (unless a newer due time has already been applied).
   */
  async onExtensionDecided(m: EntityManager, e: EventEnvelope<SlaExtensionDecidedV1>): Promise<void> {
    const order = await this.orders.lock(m, e.ticketId!);
    if (!order) throw new Error(`extension decision for unknown order ${e.ticketId}; retry after its acceptance arrives`);
    const d = e.data;
    const at = new Date(e.occurredAt);
    const label = d.approved ? `同意延期 extension approved: ${d.days} working days` : '不同意延期 extension refused';
    await this.orders.addTimeline(
      m,
      entry(
        order.ticketId,
        at,
        d.decidedBy === 'rule' ? 'system:sla' : d.decidedBy,
        d.approved ? 'extension_approved' : 'extension_refused',
        null,
        null,
        d.reason ? `${label}; ${d.reason}` : label,
        {
          requestId: d.requestId,
          days: d.days,
          newFinishDueAt: d.newFinishDueAt ?? null,
          cycle: d.cycle ?? null,
        },
      ),
    );
    const sameCycle = d.cycle === undefined || d.cycle === order.cycle;
    const newer = order.dueSetAt === null || at >= order.dueSetAt;
    if (d.approved && d.newFinishDueAt && sameCycle && newer) {
      order.finishDueAt = new Date(d.newFinishDueAt);
      order.dueSetAt = at;
      await this.orders.save(m, order);
    }
  }

  // ── the unit's and the dispatcher's steps ────────────────────────────────────────────────

  sign(user: Principal, ticketId: string): Promise<WorkOrder> {
    return this.unitStep(user, ticketId, 'sign', async (m, order, now) => {
      await this.outbox.publish(m, 'ticket.signed.v1', {
        district: order.districtCode,
        ticketId,
        occurredAt: now,
        data: { assignmentId: order.assignmentId!, unitId: order.unitId!, signedBy: user.id, signedAt: now.toISOString() },
      });
    });
  }

  contact(user: Principal, ticketId: string, dto: ContactDto): Promise<WorkOrder> {
    return this.unitStep(
      user,
      ticketId,
      'contact',
      async (m, order, now) => {
        await this.outbox.publish(m, 'ticket.contacted.v1', {
          district: order.districtCode,
          ticketId,
          occurredAt: now,
          data: {
            assignmentId: order.assignmentId!,
            unitId: order.unitId!,
            method: dto.method,
            ...(dto.note ? { note: dto.note } : {}),
            contactedAt: now.toISOString(),
          },
        });
      },
      dto.note,
    );
  }

  reply(user: Principal, ticketId: string, dto: ReplyDto): Promise<WorkOrder> {
    return this.unitStep(
      user,
      ticketId,
      'reply',
      async (m, order, now) => {
        order.outcome = dto.outcome;
        order.replyText = dto.replyText;
        await this.outbox.publish(m, 'ticket.replied.v1', {
          district: order.districtCode,
          ticketId,
          occurredAt: now,
          data: {
            assignmentId: order.assignmentId!,
            unitId: order.unitId!,
            outcome: dto.outcome,
            replyText: dto.replyText,
            cycle: order.cycle,
            repliedAt: now.toISOString(),
          },
        });
      },
      dto.outcome,
    );
  }

  /**
   * 申请延期: a member of the handling unit asks for more time while the order is in its hands and
   * before its deadline. The order does not change state; sla decides and dispatch records the answer.
   */
  async requestExtension(user: Principal, ticketId: string, dto: ExtensionRequestDto): Promise<ExtensionRequested> {
    return this.orders.transaction(async (m) => {
      const order = await this.lockVisible(m, user, ticketId);
      if (!order.unitId || !inUnit(user, order.unitId)) {
        throw new ForbiddenException(`only the unit handling order ${order.orderNo} may ask for an extension`);
      }
      if (!EXTENSION_STATES.includes(order.state)) {
        throw new ConflictException(
          `cannot 申请延期 ask for an extension of an order that is ${order.state} (allowed: ${EXTENSION_STATES.join(', ')})`,
        );
      }
      const now = this.clock.now();
      if (order.finishDueAt && now >= order.finishDueAt) {
        throw new ConflictException(
          `延期须在办结时限前申请 an extension must be asked before the deadline (due ${order.finishDueAt.toISOString()})`,
        );
      }
      const requestId = randomUUID();
      await this.outbox.publish(m, 'ticket.extension-requested.v1', {
        district: order.districtCode,
        ticketId,
        occurredAt: now,
        data: {
          requestId,
          assignmentId: order.assignmentId!,
          unitId: order.unitId,
          days: dto.days,
          reason: dto.reason,
          requestedAt: now.toISOString(),
          cycle: order.cycle,
          requestedBy: user.id,
        },
      });
      await this.orders.addTimeline(
        m,
        entry(ticketId, now, user.id, 'extension_requested', order.state, order.state, `申请延期 ${dto.days} working days: ${dto.reason}`, {
          requestId,
          days: dto.days,
          cycle: order.cycle,
        }),
      );
      return { requestId, ticketId, cycle: order.cycle, days: dto.days, reason: dto.reason, requestedAt: now.toISOString() };
    });
  }

  /** 审核: the dispatcher approves the reply (→ callback) or sends it back for rework (新一轮办理). */
  async review(user: Principal, ticketId: string, dto: ReviewDto): Promise<WorkOrder> {
    return this.orders.transaction(async (m) => {
      const order = await this.lockVisible(m, user, ticketId);
      if (!inDistrict(user, order.districtCode)) throw new ForbiddenException(`order ${order.orderNo} is not in your districts`);
      const now = this.clock.now();
      const approved = dto.decision === ReviewDecision.Approved;
      const reviewedCycle = order.cycle;
      if (!approved) {
        order.cycle += 1;
        order.reworkCount += 1;
      }
      await this.transition(m, order, approved ? 'approve' : 'send_back', user.id, now, dto.reason ?? null);
      await this.outbox.publish(m, 'ticket.reviewed.v1', {
        district: order.districtCode,
        ticketId,
        occurredAt: now,
        data: {
          assignmentId: order.assignmentId!,
          unitId: order.unitId!,
          decision: dto.decision,
          outcome: order.outcome!,
          ...(dto.reason ? { reason: dto.reason } : {}),
          reviewedBy: user.id,
          cycle: reviewedCycle,
          reviewedAt: now.toISOString(),
        },
      });
      return order;
    });
  }

  async get(user: Principal, ticketId: string): Promise<OrderDetail> {
    const order = await this.orders.find(ticketId);
    if (!order || !this.canSee(user, order)) throw new NotFoundException(`no order ${ticketId}`);
    return { ...order, timeline: await this.orders.timeline(ticketId) };
  }

  /** Worklists: a unit's queue for its members, the districts' queues for dispatchers and supervisors. */
  list(user: Principal, q: ListOrdersQuery, limit: number): Promise<WorkOrder[]> {
    const unitOnly = !hasRole(user, 'dispatcher', 'supervisor', 'analyst');
    return this.orders.list({
      districts: districtScope(user),
      units: unitOnly ? user.units : null,
      state: q.state,
      unitId: q.unitId,
      order: q.order,
      limit,
    });
  }

  // ── internals ────────────────────────────────────────────────────────────────────────────

  private canSee(user: Principal, o: WorkOrder): boolean {
    if (!inDistrict(user, o.districtCode)) return false;
    if (hasRole(user, 'dispatcher', 'supervisor', 'analyst')) return true;
    return o.unitId !== null && inUnit(user, o.unitId);
  }

  private async lockVisible(m: EntityManager, user: Principal, ticketId: string): Promise<WorkOrder> {
    const order = await this.orders.lock(m, ticketId);
    if (!order || !this.canSee(user, order)) throw new NotFoundException(`no order ${ticketId}`);
    return order;
  }

  private unitStep(
    user: Principal,
    ticketId: string,
    action: OrderAction,
    effect: (m: EntityManager, order: WorkOrder, now: Date) => Promise<void>,
    note?: string,
  ): Promise<WorkOrder> {
    return this.orders.transaction(async (m) => {
      const order = await this.lockVisible(m, user, ticketId);
      if (!order.unitId || !inUnit(user, order.unitId)) {
        throw new ForbiddenException(`only the unit handling order ${order.orderNo} may ${action} it`);
      }
      const now = this.clock.now();
      await this.transition(m, order, action, user.id, now, note ?? null);
      await effect(m, order, now);
      await this.orders.save(m, order);
      return order;
    });
  }

  private async transition(
    m: EntityManager,
    order: WorkOrder,
    action: OrderAction,
    actor: string,
    now: Date,
    note: string | null,
  ): Promise<void> {
    const from = order.state;
    try {
      order.state = nextState(from, action);
    } catch (e) {
      if (e instanceof IllegalTransition) throw new ConflictException(e.message);
      throw e;
    }
    await this.orders.save(m, order);
    await this.orders.addTimeline(m, entry(order.ticketId, now, actor, action, from, order.state, note, { cycle: order.cycle }));
  }

  private async dispatchTo(
    m: EntityManager,
    order: WorkOrder,
    unit: OrgUnit,
    ruleId: string | null,
    actor: string,
    now: Date,
    note: string,
  ): Promise<void> {
    order.unitId = unit.id;
    order.assignmentId = randomUUID();
    order.ruleId = ruleId;
    await this.transition(m, order, 'dispatch', actor, now, `${unit.nameZh} ${unit.nameEn}; ${note}`);
    await this.outbox.publish(m, 'ticket.dispatched.v1', {
      district: order.districtCode,
      ticketId: order.ticketId,
      occurredAt: now,
      data: {
        assignmentId: order.assignmentId,
        unitId: unit.id,
        unitName: unit.nameZh,
        districtCode: order.districtCode,
        ...(order.streetCode ? { streetCode: order.streetCode } : {}),
        categoryCode: order.categoryCode,
        requestType: order.requestType,
        urgency: order.urgency,
        flags: order.flags,
        ...(ruleId ? { ruleId } : {}),
        cycle: order.cycle,
        dispatchedAt: now.toISOString(),
      },
    });
  }
}

function entry(
  ticketId: string,
  at: Date,
  actor: string,
  action: string,
  fromState: string | null,
  toState: string | null,
  note: string | null,
  data: Record<string, string | number | boolean | null> = {},
): Omit<TimelineEntry, 'id'> {
  return { ticketId, at, actor, action, fromState, toState, note, data };
}
