import {
  CLOCK,
  Clock,
  FieldValidationException,
  hasRole,
  inDistrict,
  inUnit,
  Outbox,
  OutgoingEvent,
  Principal,
  runWithTrace,
  TraceContext,
  TransactionHost,
  TxHost,
} from '@app/platform';
import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import { DISPATCH_CONFIG, DispatchConfig } from '../dispatch.config';
import { OrgUnit } from '../org/org-unit.entity';
import { OrgRepository } from '../org/org.repository';
import { servesDistrict } from '../org/served-districts';
import { Order } from './order.aggregate';
import { OrderState } from './order-state';
import { WorkOrder } from './work-order.entity';
import { WorkflowRepository } from './workflow.repository';

export { SYSTEM } from './order.aggregate';

/** A new order routed in memory, and the trace of the event that brought it (`OrderSteps.commitNew`). */
export interface Arrival {
  order: Order;
  trace?: TraceContext;
}

/** States in which the order is in a unit's hands, before its reply. */
export const IN_HAND: OrderState[] = [
  OrderState.Dispatched,
  OrderState.Signed,
  OrderState.Contacted,
  OrderState.Rework,
  OrderState.Reopened,
  OrderState.SignoffRejected,
];

/**
 * States in which a unit has the order and its reply has not gone out yet: a merge that makes such an
 * order 双交办 holds its reply for the district leader (Order.holdInHand).
 */
export const BEFORE_REPLY: OrderState[] = [...IN_HAND, OrderState.ReturnRequested, OrderState.AwaitingSignoff];

/**
 * What every step shares: who may see an order and who handles it, the order locked in a
 * transaction as an `Order` aggregate, and the commit of what its transitions did (the row, the
 * timeline entries, the co-units released, the events, in one transaction).
 */
@Injectable()
export class OrderSteps {
  constructor(
    private readonly orders: WorkflowRepository,
    private readonly org: OrgRepository,
    private readonly outbox: Outbox,
    @Inject(TransactionHost) private readonly txHost: TxHost,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(DISPATCH_CONFIG) private readonly config: DispatchConfig,
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
  async isLeader(user: Principal, districtCode: string): Promise<boolean> {
    if (user.roles.includes('admin')) return inDistrict(user, districtCode);
    if (!user.roles.includes('unit_head') || !inDistrict(user, districtCode)) return false;
    const centre = await this.org.districtCentre(districtCode);
    return !!centre && user.units.includes(centre.id);
  }

  async canSee(user: Principal, o: WorkOrder): Promise<boolean> {
    if (!inDistrict(user, o.districtCode)) return false;
    if (OrderSteps.overseer(user) || OrderSteps.handles(user, o)) return true;
    const co = await this.orders.coAssignments(o.ticketId);
    if (co.some((c) => inUnit(user, c.unitId))) return true;
    return this.isLeader(user, o.districtCode);
  }

  /**
   * One step on one order: in a transaction, the order locked (404 when it does not exist or is
   * outside the caller's view) as an aggregate at the clock's now; `step` authorises and calls its
   * transition; then what the transition did is committed. Returns what `step` returns.
   */
  async change<T>(user: Principal, ticketId: string, step: (order: Order) => Promise<T> | T): Promise<T> {
    return this.txHost.withTransaction(async () => {
      const row = await this.orders.lock(ticketId);
      if (!row || !(await this.canSee(user, row))) throw new NotFoundException(`no order ${ticketId}`);
      const order = this.begin(row);
      const result = await step(order);
      await this.commit(order);
      return result;
    });
  }

  /** The order row as an aggregate at the clock's now (bus handlers, which lock the row themselves). */
  begin(row: WorkOrder): Order {
    return new Order(row, this.clock.now());
  }

  /** Write what the order's transitions did, in the caller's transaction (the order's row lock held). */
  async commit(order: Order): Promise<void> {
    await this.orders.save(order.row);
    await this.writeEffects(order);
  }

  /**
   * New orders, their first steps already taken in memory (routed): the rows are inserted as they are
   * now, in one statement, then what the steps did (one statement for all their timelines; their
   * events, each order's in the trace of the event that brought it), in the caller's transaction.
   * Nothing is written for an order already known (a redelivered acceptance, or the same order twice
   * in a batch: the first is kept).
   */
  async commitNew(arrivals: readonly Arrival[]): Promise<void> {
    const first = new Map<string, Arrival>();
    for (const a of arrivals) if (!first.has(a.order.ticketId)) first.set(a.order.ticketId, a);
    const written = new Set(await this.orders.insertAll([...first.values()].map((a) => a.order.row)));
    const fresh = [...first.values()].filter((a) => written.has(a.order.row));
    await this.orders.addTimelines(fresh.flatMap((a) => a.order.entries.splice(0)));
    // The end of a batch runs in no message's trace: each order's events go in its own event's.
    for (const { order, trace } of fresh) await (trace ? runWithTrace(trace, () => this.publishEvents(order)) : this.publishEvents(order));
  }

  /** The co-units released, the timeline entries and the events of the order's steps. */
  private async writeEffects(order: Order): Promise<void> {
    if (order.coUnitsReleased) await this.orders.removeCoAssignments(order.ticketId);
    await this.orders.addTimelines(order.entries.splice(0));
    await this.publishEvents(order);
    order.coUnitsReleased = false;
  }

  /** One statement for the order's events, in the order its steps raised them (the relay publishes by seq). */
  private async publishEvents(order: Order): Promise<void> {
    await this.outbox.publishMany(
      order.events
        .splice(0)
        .map(
          (e) => ({ type: e.type, district: e.district, ticketId: order.ticketId, occurredAt: order.now, data: e.data }) as OutgoingEvent,
        ),
    );
  }

  /** A unit that may take the district's orders: active, and of the district or the city. */
  async assignableUnit(order: WorkOrder, unitId: string, field = 'unitId'): Promise<OrgUnit> {
    const unit = await this.org.find(unitId);
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

  /** Whether this node serves `districtCode` (a node without SERVE_DISTRICTS serves the whole city). */
  serves(districtCode: string): boolean {
    return servesDistrict(this.config, districtCode);
  }
}
