import { Satisfaction } from '@app/contracts';
import { CLOCK, Clock, FieldValidationException, hasRole, inDistrict, inUnit, Outbox, Principal } from '@app/platform';
import { ConflictException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { DISPATCH_CONFIG, DispatchConfig } from '../dispatch.config';
import { OrgUnit } from '../org/org-unit.entity';
import { OrgRepository } from '../org/org.repository';
import { servesDistrict } from '../org/served-districts';
import { IllegalTransition, LABELS, nextState, OrderAction, OrderState } from './order-state';
import { TimelineEntry, WorkOrder } from './work-order.entity';
import { WorkflowRepository } from './workflow.repository';

export const SYSTEM = 'system:dispatch';

/** States in which the order is in a unit's hands, before its reply. */
export const IN_HAND: OrderState[] = [
  OrderState.Dispatched,
  OrderState.Signed,
  OrderState.Contacted,
  OrderState.Rework,
  OrderState.Reopened,
  OrderState.SignoffRejected,
];

export type TimelineData = Record<string, string | number | boolean | null>;

export function entry(
  ticketId: string,
  at: Date,
  actor: string,
  action: string,
  fromState: string | null,
  toState: string | null,
  note: string | null,
  data: TimelineData = {},
): Omit<TimelineEntry, 'id' | 'seq'> {
  return { ticketId, at, actor, action, fromState, toState, note, data };
}

/**
 * What every step shares: who may see an order, who handles it, the guarded transition with its
 * timeline entry, and the assignment of an order to a unit (with its `ticket.dispatched.v1`).
 */
@Injectable()
export class OrderSteps {
  constructor(
    readonly orders: WorkflowRepository,
    readonly org: OrgRepository,
    readonly outbox: Outbox,
    @Inject(CLOCK) readonly clock: Clock,
    @Inject(DISPATCH_CONFIG) readonly config: DispatchConfig,
  ) {}

  /** Dispatchers, supervisors and analysts see their districts' orders. */
  static overseer(user: Principal): boolean {
    return hasRole(user, 'dispatcher', 'supervisor', 'analyst');
  }

  /** A member of the handling unit, of the community it was passed to, or a handler it was assigned to. */
  static handles(user: Principal, o: WorkOrder): boolean {
    if (o.unitId && inUnit(user, o.unitId)) return true;
    if (o.subUnitId && inUnit(user, o.subUnitId)) return true;
    return o.assignees.includes(user.id);
  }

  /** District leader (区领导) = the unit head of the district's hotline centre. */
  async isLeader(m: EntityManager | undefined, user: Principal, districtCode: string): Promise<boolean> {
    if (user.roles.includes('admin')) return inDistrict(user, districtCode);
    if (!user.roles.includes('unit_head') || !inDistrict(user, districtCode)) return false;
    const centre = await this.org.districtCentre(districtCode, m);
    return !!centre && user.units.includes(centre.id);
  }

  async canSee(m: EntityManager | undefined, user: Principal, o: WorkOrder): Promise<boolean> {
    if (!inDistrict(user, o.districtCode)) return false;
    if (OrderSteps.overseer(user) || OrderSteps.handles(user, o)) return true;
    const co = await this.orders.coAssignments(m ?? null, o.ticketId);
    if (co.some((c) => inUnit(user, c.unitId))) return true;
    return this.isLeader(m, user, o.districtCode);
  }

  /** The order locked for this transaction; 404 when it does not exist or is outside the caller's view. */
  async lockVisible(m: EntityManager, user: Principal, ticketId: string): Promise<WorkOrder> {
    const order = await this.orders.lock(m, ticketId);
    if (!order || !(await this.canSee(m, user, order))) throw new NotFoundException(`no order ${ticketId}`);
    return order;
  }

  /** 409 with the reason unless `action` is allowed now (for checks made before other guards). */
  static guard(order: WorkOrder, action: OrderAction): void {
    try {
      nextState(order.state, action);
    } catch (e) {
      if (e instanceof IllegalTransition) throw new ConflictException(e.message);
      throw e;
    }
  }

  async transition(
    m: EntityManager,
    order: WorkOrder,
    action: OrderAction,
    actor: string,
    now: Date,
    note: string | null,
    data: TimelineData = {},
  ): Promise<void> {
    OrderSteps.guard(order, action);
    const from = order.state;
    order.state = nextState(from, action);
    await this.orders.save(m, order);
    await this.orders.addTimeline(m, entry(order.ticketId, now, actor, action, from, order.state, note, { cycle: order.cycle, ...data }));
  }

  /** A unit that may take the district's orders: active, and of the district or the city. */
  async assignableUnit(m: EntityManager, order: WorkOrder, unitId: string, field = 'unitId'): Promise<OrgUnit> {
    const unit = await this.org.find(unitId, m);
    if (!unit || !unit.active || (unit.districtCode !== order.districtCode && unit.districtCode !== this.config.CITY_CODE)) {
      throw new FieldValidationException([
        { field, reason: `${field} must be an active unit of district ${order.districtCode} or the city` },
      ]);
    }
    if (unit.kind === 'city_centre' || unit.kind === 'district_centre') {
      throw new FieldValidationException([{ field, reason: `${field} must be a handling unit, not a hotline centre` }]);
    }
    return unit;
  }

  /**
   * Assign the order to `unit` (a new assignment: assignees and community cleared), move it by
   * `action`, and publish `ticket.dispatched.v1` for the same cycle. sla keeps the cycle's clocks of
   * the first dispatch: a re-dispatch does not restart the time limit.
   */
  async dispatchTo(
    m: EntityManager,
    order: WorkOrder,
    unit: OrgUnit,
    ruleId: string | null,
    actor: string,
    now: Date,
    action: OrderAction,
    note: string | null,
  ): Promise<void> {
    OrderSteps.guard(order, action);
    const previous = order.unitId;
    order.unitId = unit.id;
    order.assignmentId = randomUUID();
    order.ruleId = ruleId;
    order.assignedAt = now;
    order.assignees = [];
    order.subUnitId = null;
    const label = `${LABELS[action].split(' ')[0]} → ${unit.nameZh} ${unit.nameEn}`;
    await this.transition(m, order, action, actor, now, note ? `${label}; ${note}` : label, {
      unitId: unit.id,
      previousUnitId: previous,
      ruleId,
      assignmentId: order.assignmentId,
    });
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

  /** 结案: the order closes (callback verdict, unreachable citizen, or a proactive order approved) with its event. */
  async close(
    m: EntityManager,
    order: WorkOrder,
    now: Date,
    closeReason: string,
    note: string,
    satisfaction?: Satisfaction,
  ): Promise<void> {
    await this.transition(m, order, 'close', SYSTEM, now, note);
    await this.outbox.publish(m, 'ticket.closed.v1', {
      district: order.districtCode,
      ticketId: order.ticketId,
      occurredAt: now,
      data: {
        unitId: order.unitId!,
        outcome: order.outcome!,
        ...(satisfaction ? { satisfaction } : {}),
        closeReason,
        cycle: order.cycle,
        closedAt: now.toISOString(),
      },
    });
  }

  /** Whether this node serves `districtCode` (a node without SERVE_DISTRICTS serves the whole city). */
  serves(districtCode: string): boolean {
    return servesDistrict(this.config, districtCode);
  }
}
