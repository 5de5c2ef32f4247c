import { ReopenSource, ReviewDecision } from '@app/contracts';
import { FieldValidationException, Principal } from '@app/platform';
import { ForbiddenException, HttpException, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { OrderSteps } from './order-steps';
import { WorkOrder } from './work-order.entity';
import {
  BulkDispatchDto,
  BulkDispatchReply,
  BulkDispatchResult,
  DispatchDto,
  LeaderDispatchDto,
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
    return this.asDispatcher(user, ticketId, async (m, order, now) => {
      OrderSteps.guard(order, 'dispatch');
      const unit = await this.steps.assignableUnit(m, order, dto.unitId);
      await this.steps.dispatchTo(m, order, unit, null, user.id, now, 'dispatch', dto.note ?? '人工派单 manual dispatch');
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
    return this.steps.orders.transaction(async (m) => {
      const order = await this.steps.lockVisible(m, user, ticketId);
      if (!(await this.steps.isLeader(m, user, order.districtCode))) {
        throw new ForbiddenException(`only the leader of district ${order.districtCode} signs off 双交办 orders`);
      }
      OrderSteps.guard(order, 'leader_dispatch');
      const unitId = dto.unitId ?? order.suggestedUnitId;
      if (!unitId) throw new FieldValidationException([{ field: 'unitId', reason: 'unitId is required: routing suggested no unit' }]);
      const unit = await this.steps.assignableUnit(m, order, unitId);
      const ruleId = unit.id === order.suggestedUnitId ? order.suggestedRuleId : null;
      const note = `区领导签批 signed off by the district leader${dto.note ? `: ${dto.note}` : ''}`;
      await this.steps.dispatchTo(m, order, unit, ruleId, user.id, this.steps.clock.now(), 'leader_dispatch', note);
      return order;
    });
  }

  /** 转办: the dispatcher moves an order still in a unit's hands (before its reply) to another unit. */
  redispatch(user: Principal, ticketId: string, dto: RedispatchDto): Promise<WorkOrder> {
    return this.asDispatcher(user, ticketId, async (m, order, now) => {
      OrderSteps.guard(order, 'redispatch');
      const unit = await this.steps.assignableUnit(m, order, dto.unitId);
      if (unit.id === order.unitId)
        throw new FieldValidationException([{ field: 'unitId', reason: 'unitId is the unit that has the order now' }]);
      await this.steps.dispatchTo(m, order, unit, null, user.id, now, 'redispatch', dto.reason);
    });
  }

  /**
   * 退单审核: accepted, the order goes to the unit the dispatcher names; refused, it stays with the
   * unit that asked, as signed for. Either way the return is decided: no unit may return it again.
   */
  decideReturn(user: Principal, ticketId: string, dto: ReturnDecisionDto): Promise<WorkOrder> {
    return this.asDispatcher(user, ticketId, async (m, order, now) => {
      if (dto.decision === 'refused') {
        OrderSteps.guard(order, 'return_refuse');
        order.returnable = false;
        await this.steps.transition(m, order, 'return_refuse', user.id, now, dto.reason);
        return;
      }
      OrderSteps.guard(order, 'return_accept');
      const unit = await this.steps.assignableUnit(m, order, dto.unitId!);
      if (unit.id === order.unitId)
        throw new FieldValidationException([{ field: 'unitId', reason: 'unitId is the unit that returned the order' }]);
      order.returnable = false;
      await this.steps.dispatchTo(m, order, unit, null, user.id, now, 'return_accept', dto.reason);
    });
  }

  /** 审核: the dispatcher approves the reply (→ callback) or sends it back for rework (新一轮办理). */
  review(user: Principal, ticketId: string, dto: ReviewDto): Promise<WorkOrder> {
    return this.asDispatcher(user, ticketId, async (m, order, now) => {
      const approved = dto.decision === ReviewDecision.Approved;
      OrderSteps.guard(order, approved ? 'approve' : 'send_back');
      const reviewedCycle = order.cycle;
      if (!approved) {
        order.cycle += 1;
        order.reworkCount += 1;
      }
      await this.steps.transition(m, order, approved ? 'approve' : 'send_back', user.id, now, dto.reason ?? null);
      await this.steps.outbox.publish(m, 'ticket.reviewed.v1', {
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
      // 未诉先办: nobody asked, so nobody is called back; the approved reply ends the order.
      if (approved && order.proactive) {
        await this.steps.close(
          m,
          order,
          now,
          'proactive_no_callback',
          '未诉先办无诉求人，审核通过即结案 proactive order: no citizen to call back',
        );
      }
    });
  }

  /**
   * 重办 by the dispatcher: the citizen came back about an order awaiting its callback or closed. A
   * new cycle (counted as rework) for the same unit, which replies again, or for another unit, which
   * signs for it first.
   */
  reopen(user: Principal, ticketId: string, dto: ReopenDto): Promise<WorkOrder> {
    return this.asDispatcher(user, ticketId, async (m, order, now) => {
      const other = dto.unitId && dto.unitId !== order.unitId ? await this.steps.assignableUnit(m, order, dto.unitId) : null;
      OrderSteps.guard(order, other ? 'reopen_to' : 'reopen');
      order.cycle += 1;
      order.reworkCount += 1;
      if (other) {
        order.unitId = other.id;
        order.assignmentId = randomUUID();
        order.assignedAt = now;
        order.assignees = [];
        order.subUnitId = null;
        order.returnable = true;
      }
      await this.steps.transition(m, order, other ? 'reopen_to' : 'reopen', user.id, now, dto.reason, {
        unitId: order.unitId,
        source: ReopenSource.Dispatcher,
      });
      await this.steps.outbox.publish(m, 'ticket.reopened.v1', {
        district: order.districtCode,
        ticketId,
        occurredAt: now,
        data: {
          assignmentId: order.assignmentId!,
          unitId: order.unitId!,
          source: ReopenSource.Dispatcher,
          reason: dto.reason,
          cycle: order.cycle,
          reopenedAt: now.toISOString(),
        },
      });
    });
  }

  /**
   * The order locked for a dispatcher of its district; 404 outside their view (lockVisible checks the
   * district). Every effect ends in a transition, which saves the order.
   */
  private asDispatcher(
    user: Principal,
    ticketId: string,
    effect: (m: EntityManager, order: WorkOrder, now: Date) => Promise<void>,
  ): Promise<WorkOrder> {
    return this.steps.orders.transaction(async (m) => {
      const order = await this.steps.lockVisible(m, user, ticketId);
      await effect(m, order, this.steps.clock.now());
      return order;
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
