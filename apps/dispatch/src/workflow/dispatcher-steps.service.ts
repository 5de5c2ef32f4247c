import { ReopenSource } from '@app/contracts';
import { FieldValidationException, Principal } from '@app/platform';
import { ForbiddenException, HttpException, Injectable } from '@nestjs/common';
import { guard, Order } from './order.aggregate';
import { OrderSteps } from './order-steps';
import { WorkOrder } from './work-order.entity';
import {
  BulkDispatchDto,
  BulkDispatchReply,
  BulkDispatchResult,
  DispatchDto,
  LeaderDispatchDto,
  LeaderSignoffDto,
  RedispatchDto,
  ReopenDto,
  ReturnDecisionDto,
  ReviewDto,
} from './workflow.dto';

/** What the district's dispatcher (and, for 双交办, its leader) does with an order. */
@Injectable()
export class DispatcherStepsService {
  constructor(private readonly steps: OrderSteps) {}

  /** 人工派单: an order no rule placed goes to the unit the dispatcher names. */
  dispatch(user: Principal, ticketId: string, dto: DispatchDto): Promise<WorkOrder> {
    return this.asDispatcher(user, ticketId, async (order) => {
      guard(order.row, 'dispatch');
      const unit = await this.steps.assignableUnit(order.row, dto.unitId);
      order.dispatch('dispatch', unit, null, user.id, dto.note ?? '人工派单 manual dispatch');
    });
  }

  /**
   * 批量派单: each selected order to the one unit, each in its own transaction, with a result per
   * order. Not all-or-nothing: an order another dispatcher took meanwhile (409), one outside the
   * caller's view (404) or one the unit cannot take (400) is reported and the others still go,
   * so one stale row in a dispatcher's selection never blocks the rest of the queue.
   */
  async bulkDispatch(user: Principal, dto: BulkDispatchDto): Promise<BulkDispatchReply> {
    const results: BulkDispatchResult[] = [];
    for (const ticketId of dto.ticketIds) {
      try {
        const order = await this.dispatch(user, ticketId, { unitId: dto.unitId, note: dto.note });
        results.push({ ticketId, ok: true, state: order.state });
      } catch (e) {
        if (!(e instanceof HttpException)) throw e;
        results.push({ ticketId, ok: false, status: e.getStatus(), message: reasonOf(e) });
      }
    }
    const dispatched = results.filter((r) => r.ok).length;
    return { results, dispatched, refused: results.length - dispatched };
  }

  /** 双交办: the district leader signs the dispatch off, to the suggested unit or another. */
  leaderDispatch(user: Principal, ticketId: string, dto: LeaderDispatchDto): Promise<WorkOrder> {
    return this.steps.change(user, ticketId, async (order) => {
      const o = order.row;
      if (!(await this.steps.isLeader(user, o.districtCode))) {
        throw new ForbiddenException(`only the leader of district ${o.districtCode} signs off 双交办 orders`);
      }
      guard(o, 'leader_dispatch');
      const unitId = dto.unitId ?? o.suggestedUnitId;
      if (!unitId) throw new FieldValidationException([{ field: 'unitId', reason: 'unitId is required: routing suggested no unit' }]);
      const unit = await this.steps.assignableUnit(o, unitId);
      const ruleId = unit.id === o.suggestedUnitId ? o.suggestedRuleId : null;
      order.dispatch(
        'leader_dispatch',
        unit,
        ruleId,
        user.id,
        `区领导签批 signed off by the district leader${dto.note ? `: ${dto.note}` : ''}`,
      );
      return o;
    });
  }

  /**
   * 双交办 in hand: the district leader signs off an order a merge made repeat or concentrated while
   * its unit had it (Order.holdInHand); the unit's reply may then go out. The unit stays.
   */
  leaderSignoff(user: Principal, ticketId: string, dto: LeaderSignoffDto): Promise<WorkOrder> {
    return this.steps.change(user, ticketId, async (order) => {
      if (!(await this.steps.isLeader(user, order.row.districtCode))) {
        throw new ForbiddenException(`only the leader of district ${order.row.districtCode} signs off 双交办 orders`);
      }
      order.leaderSignoff(user.id, dto.note ?? null);
      return order.row;
    });
  }

  /** 转办: the dispatcher moves an order still in a unit's hands (before its reply) to another unit. */
  redispatch(user: Principal, ticketId: string, dto: RedispatchDto): Promise<WorkOrder> {
    return this.asDispatcher(user, ticketId, async (order) => {
      guard(order.row, 'redispatch');
      const unit = await this.steps.assignableUnit(order.row, dto.unitId);
      if (unit.id === order.row.unitId)
        throw new FieldValidationException([{ field: 'unitId', reason: 'unitId is the unit that has the order now' }]);
      order.dispatch('redispatch', unit, null, user.id, dto.reason);
    });
  }

  /**
   * 退单审核: accepted, the order goes to the unit the dispatcher names; refused, it stays with the
   * unit that asked, as signed for. Either way the return is decided: no unit may return it again.
   */
  decideReturn(user: Principal, ticketId: string, dto: ReturnDecisionDto): Promise<WorkOrder> {
    return this.asDispatcher(user, ticketId, async (order) => {
      if (dto.decision === 'refused') return order.refuseReturn(user.id, dto.reason);
      guard(order.row, 'return_accept');
      const unit = await this.steps.assignableUnit(order.row, dto.unitId!);
      if (unit.id === order.row.unitId)
        throw new FieldValidationException([{ field: 'unitId', reason: 'unitId is the unit that returned the order' }]);
      order.dispatch('return_accept', unit, null, user.id, dto.reason);
    });
  }

  /** 审核: the dispatcher approves the reply (→ callback) or sends it back for rework (新一轮办理). */
  review(user: Principal, ticketId: string, dto: ReviewDto): Promise<WorkOrder> {
    return this.asDispatcher(user, ticketId, (order) => order.review(user.id, dto.decision, dto.reason));
  }

  /**
   * 重办 by the dispatcher: the citizen came back about an order awaiting its callback or closed. A
   * new cycle (counted as rework) for the same unit, which replies again, or for another unit, which
   * signs for it first.
   */
  reopen(user: Principal, ticketId: string, dto: ReopenDto): Promise<WorkOrder> {
    return this.asDispatcher(user, ticketId, async (order) => {
      const other = dto.unitId && dto.unitId !== order.row.unitId ? await this.steps.assignableUnit(order.row, dto.unitId) : null;
      order.reopen(user.id, ReopenSource.Dispatcher, dto.reason, other);
    });
  }

  /** The order locked for a dispatcher of its district; 404 outside their view (the district is checked). */
  private asDispatcher(user: Principal, ticketId: string, step: (order: Order) => Promise<void> | void): Promise<WorkOrder> {
    return this.steps.change(user, ticketId, async (order) => {
      await step(order);
      return order.row;
    });
  }
}

/** The reason an HttpException carries, as the single-order endpoint would have answered it. */
function reasonOf(e: HttpException): string {
  const body = e.getResponse();
  if (typeof body === 'string') return body;
  const m = (body as { message?: unknown }).message;
  return Array.isArray(m) ? m.join('; ') : typeof m === 'string' ? m : e.message;
}
