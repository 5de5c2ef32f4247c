import { FieldValidationException, inUnit, Principal } from '@app/platform';
import { ConflictException, ForbiddenException, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { MembershipService } from '../membership/membership.service';
import { OrderAction } from './order-state';
import { entry, IN_HAND, OrderSteps } from './order-steps';
import { addWorkingDays } from './working-days';
import { WorkOrder } from './work-order.entity';
import { AssignDto, ContactDto, ExtensionRequestDto, ExtensionRequested, ReplyDto, ReturnRequestDto, SignoffDto } from './workflow.dto';

/** What the handling unit does: sign, contact, reply (through its head's sign-off), extend, return, assign. */
@Injectable()
export class UnitStepsService {
  constructor(
    private readonly steps: OrderSteps,
    private readonly membership: MembershipService,
  ) {}

  sign(user: Principal, ticketId: string): Promise<WorkOrder> {
    return this.unitStep(user, ticketId, 'sign', async (m, order, now) => {
      await this.steps.outbox.publish(m, 'ticket.signed.v1', {
        district: order.districtCode,
        ticketId,
        occurredAt: now,
        data: { assignmentId: order.assignmentId!, unitId: order.unitId!, signedBy: user.id, signedAt: now.toISOString() },
      });
    });
  }

  /** 响应: how and when the citizen was reached; the time may be earlier than now, never before the assignment. */
  contact(user: Principal, ticketId: string, dto: ContactDto): Promise<WorkOrder> {
    return this.unitStep(
      user,
      ticketId,
      'contact',
      async (m, order, now) => {
        const at = dto.contactedAt ? new Date(dto.contactedAt) : now;
        if (at > now || (order.assignedAt && at < order.assignedAt)) {
          throw new FieldValidationException([{ field: 'contactedAt', reason: 'contactedAt must lie between the assignment and now' }]);
        }
        await this.steps.outbox.publish(m, 'ticket.contacted.v1', {
          district: order.districtCode,
          ticketId,
          occurredAt: now,
          data: {
            assignmentId: order.assignmentId!,
            unitId: order.unitId!,
            method: dto.method,
            ...(dto.note ? { note: dto.note } : {}),
            contactedAt: at.toISOString(),
          },
        });
      },
      dto.note ? `${dto.method}: ${dto.note}` : dto.method,
    );
  }

  /**
   * 办结答复. The lead unit replies for every co-unit, so all of them must have submitted their part.
   * A unit that requires its head's sign-off (一把手签批) holds the reply until the head signs.
   */
  async reply(user: Principal, ticketId: string, dto: ReplyDto): Promise<WorkOrder> {
    return this.steps.orders.transaction(async (m) => {
      const order = await this.lockHandled(m, user, ticketId, 'reply');
      OrderSteps.guard(order, 'reply');
      const pending = (await this.steps.orders.coAssignments(m, ticketId)).filter((c) => c.state !== 'submitted');
      if (pending.length) {
        const names = await Promise.all(pending.map(async (c) => (await this.steps.org.find(c.unitId, m))?.nameZh ?? c.unitId));
        throw new ConflictException(`协办单位尚未提交办理情况 co-units have not submitted their part yet: ${names.join(', ')}`);
      }
      const unit = await this.steps.org.find(order.unitId!, m);
      const now = this.steps.clock.now();
      order.outcome = dto.outcome;
      order.replyText = dto.replyText;
      order.attachments = dto.attachments?.map((a) => ({ name: a.name, url: a.url })) ?? [];
      order.repliedBy = user.id;
      const data = { outcome: dto.outcome, attachments: order.attachments.length };
      if (unit?.requiresHeadSignoff) {
        await this.steps.transition(m, order, 'submit_signoff', user.id, now, `${dto.outcome}: ${dto.replyText}`, data);
        return order;
      }
      await this.steps.transition(m, order, 'reply', user.id, now, dto.outcome, data);
      await this.publishReplied(m, order, now);
      return order;
    });
  }

  /** 一把手签批: the head of the handling unit releases the reply, or sends it back to the handler. */
  async signoff(user: Principal, ticketId: string, dto: SignoffDto): Promise<WorkOrder> {
    return this.steps.orders.transaction(async (m) => {
      const order = await this.steps.lockVisible(m, user, ticketId);
      if (!order.unitId || !inUnit(user, order.unitId))
        throw new ForbiddenException(`only the head of the unit handling order ${order.orderNo} may sign it off`);
      const now = this.steps.clock.now();
      if (dto.decision === 'rejected') {
        await this.steps.transition(m, order, 'head_reject', user.id, now, dto.reason!);
        return order;
      }
      await this.steps.transition(m, order, 'head_approve', user.id, now, dto.reason ?? null, { repliedBy: order.repliedBy });
      await this.publishReplied(m, order, now);
      return order;
    });
  }

  /**
   * 申请延期: a member of the handling unit asks for more time while the order is in its hands and
   * before its deadline. The order does not change state; sla decides and dispatch records the answer.
   */
  async requestExtension(user: Principal, ticketId: string, dto: ExtensionRequestDto): Promise<ExtensionRequested> {
    return this.steps.orders.transaction(async (m) => {
      const order = await this.lockHandled(m, user, ticketId, 'ask for an extension of');
      if (!IN_HAND.includes(order.state)) {
        throw new ConflictException(
          `cannot 申请延期 ask for an extension of an order that is ${order.state} (allowed: ${IN_HAND.join(', ')})`,
        );
      }
      const now = this.steps.clock.now();
      if (order.finishDueAt && now >= order.finishDueAt) {
        throw new ConflictException(
          `延期须在办结时限前申请 an extension must be asked before the deadline (due ${order.finishDueAt.toISOString()})`,
        );
      }
      const requestId = randomUUID();
      await this.steps.outbox.publish(m, 'ticket.extension-requested.v1', {
        district: order.districtCode,
        ticketId,
        occurredAt: now,
        data: {
          requestId,
          assignmentId: order.assignmentId!,
          unitId: order.unitId!,
          days: dto.days,
          reason: dto.reason,
          requestedAt: now.toISOString(),
          cycle: order.cycle,
          requestedBy: user.id,
        },
      });
      await this.steps.orders.addTimeline(
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

  /**
   * 退单: the unit asks to return an order that is not its duty, with the reason, within the limit
   * (RETURN_LIMIT_WORKING_DAYS after the assignment). Once the dispatcher has decided a return, the
   * order cannot be returned again (首接负责).
   */
  async requestReturn(user: Principal, ticketId: string, dto: ReturnRequestDto): Promise<WorkOrder> {
    return this.steps.orders.transaction(async (m) => {
      const order = await this.steps.lockVisible(m, user, ticketId);
      if (!order.unitId || !inUnit(user, order.unitId))
        throw new ForbiddenException(`only the unit handling order ${order.orderNo} may return it`);
      OrderSteps.guard(order, 'return_request');
      if (!order.returnable) {
        throw new ConflictException(
          '首接负责：退单已由派单员裁定，本单位不得再次退单 first-receiver responsibility: a return of this order was already decided',
        );
      }
      const now = this.steps.clock.now();
      const limit = this.returnDeadline(order.assignedAt ?? order.acceptedAt);
      if (now > limit) {
        throw new ConflictException(
          `退单须在派单后${this.steps.config.RETURN_LIMIT_WORKING_DAYS}个工作日内提出 a return must be asked within ${this.steps.config.RETURN_LIMIT_WORKING_DAYS} working days of the assignment (until ${limit.toISOString()})`,
        );
      }
      await this.steps.transition(m, order, 'return_request', user.id, now, dto.reason, { deadline: limit.toISOString() });
      await this.steps.outbox.publish(m, 'ticket.returned.v1', {
        district: order.districtCode,
        ticketId,
        occurredAt: now,
        data: { assignmentId: order.assignmentId!, unitId: order.unitId, reason: dto.reason, returnedAt: now.toISOString() },
      });
      return order;
    });
  }

  /**
   * 分派/下派: a member of the handling unit names the handlers who take the order (a resident desk
   * assigning the department's inspectors) or passes it to a community under the street.
   */
  async assign(user: Principal, ticketId: string, dto: AssignDto): Promise<WorkOrder> {
    if (!dto.assignees && !dto.subUnitId) {
      throw new FieldValidationException([{ field: 'assignees', reason: 'name assignees, a subUnitId, or both' }]);
    }
    return this.steps.orders.transaction(async (m) => {
      const order = await this.steps.lockVisible(m, user, ticketId);
      if (!order.unitId || !inUnit(user, order.unitId))
        throw new ForbiddenException(`only the unit handling order ${order.orderNo} may assign it`);
      if (!IN_HAND.includes(order.state)) {
        throw new ConflictException(`cannot 分派 assign an order that is ${order.state} (allowed: ${IN_HAND.join(', ')})`);
      }
      let note = '';
      if (dto.subUnitId) {
        const sub = await this.steps.org.find(dto.subUnitId, m);
        if (!sub || !sub.active || sub.parentId !== order.unitId) {
          throw new FieldValidationException([{ field: 'subUnitId', reason: 'subUnitId must be an active unit under the handling unit' }]);
        }
        order.subUnitId = sub.id;
        note += `下派 → ${sub.nameZh} ${sub.nameEn}`;
      }
      if (dto.assignees) {
        const unit = await this.steps.org.find(order.unitId, m);
        if (unit) await this.membership.assertAssignable(m, unit, dto.assignees);
        order.assignees = dto.assignees;
        note += `${note ? '; ' : ''}分派承办人 assigned to ${dto.assignees.join(', ')}`;
      }
      const now = this.steps.clock.now();
      await this.steps.orders.save(m, order);
      await this.steps.orders.addTimeline(
        m,
        entry(ticketId, now, user.id, 'assign', order.state, order.state, note, {
          cycle: order.cycle,
          subUnitId: order.subUnitId,
          assignees: order.assignees.join(','),
        }),
      );
      // intake lets the people named and the sub-unit's members reveal the citizen (they call them).
      await this.steps.outbox.publish(m, 'ticket.assigned.v1', {
        district: order.districtCode,
        ticketId,
        occurredAt: now,
        data: {
          assignmentId: order.assignmentId!,
          unitId: order.unitId,
          ...(order.subUnitId ? { subUnitId: order.subUnitId } : {}),
          assignees: order.assignees,
          cycle: order.cycle,
          assignedBy: user.id,
          assignedAt: now.toISOString(),
        },
      });
      return order;
    });
  }

  /** The return limit: working days on the statutory calendar, or calendar days for a year it does not know. */
  private returnDeadline(from: Date): Date {
    const n = this.steps.config.RETURN_LIMIT_WORKING_DAYS;
    return addWorkingDays(from, n, this.steps.config.CITY_TIME_ZONE) ?? new Date(from.getTime() + n * 86_400_000);
  }

  private async publishReplied(m: EntityManager, order: WorkOrder, now: Date): Promise<void> {
    await this.steps.outbox.publish(m, 'ticket.replied.v1', {
      district: order.districtCode,
      ticketId: order.ticketId,
      occurredAt: now,
      data: {
        assignmentId: order.assignmentId!,
        unitId: order.unitId!,
        outcome: order.outcome!,
        replyText: order.replyText!,
        cycle: order.cycle,
        repliedAt: now.toISOString(),
      },
    });
  }

  /** The order, locked, for a member of the unit handling it (or a handler it was assigned to). */
  private async lockHandled(m: EntityManager, user: Principal, ticketId: string, what: string): Promise<WorkOrder> {
    const order = await this.steps.lockVisible(m, user, ticketId);
    if (!OrderSteps.handles(user, order)) throw new ForbiddenException(`only the unit handling order ${order.orderNo} may ${what} it`);
    return order;
  }

  /** `action` (which saves the order), then its `effect` (the event); the effect does not change the order. */
  private unitStep(
    user: Principal,
    ticketId: string,
    action: OrderAction,
    effect: (m: EntityManager, order: WorkOrder, now: Date) => Promise<void>,
    note?: string,
  ): Promise<WorkOrder> {
    return this.steps.orders.transaction(async (m) => {
      const order = await this.lockHandled(m, user, ticketId, action);
      const now = this.steps.clock.now();
      await this.steps.transition(m, order, action, user.id, now, note ?? null);
      await effect(m, order, now);
      return order;
    });
  }
}
