import { FieldValidationException, inUnit, Principal, TransactionHost, TxHost } from '@app/platform';
import { ConflictException, ForbiddenException, Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DISPATCH_CONFIG, DispatchConfig } from '../dispatch.config';
import { MembershipService } from '../membership/membership.service';
import { OrgRepository } from '../org/org.repository';
import { guard, Order } from './order.aggregate';
import { IN_HAND, OrderSteps } from './order-steps';
import { addWorkingDays } from './working-days';
import { WorkOrder } from './work-order.entity';
import { AssignDto, ContactDto, ExtensionRequestDto, ExtensionRequested, ReplyDto, ReturnRequestDto, SignoffDto } from './workflow.dto';
import { WorkflowRepository } from './workflow.repository';

/** What the handling unit does: sign, contact, reply (through its head's sign-off), extend, return, assign. */
@Injectable()
export class UnitStepsService {
  constructor(
    private readonly steps: OrderSteps,
    private readonly orders: WorkflowRepository,
    private readonly org: OrgRepository,
    private readonly membership: MembershipService,
    @Inject(DISPATCH_CONFIG) private readonly config: DispatchConfig,
    @Inject(TransactionHost) private readonly txHost: TxHost,
  ) {}

  sign(user: Principal, ticketId: string): Promise<WorkOrder> {
    return this.asHandler(user, ticketId, 'sign', (order) => order.sign(user.id));
  }

  /** 响应: how and when the citizen was reached. */
  contact(user: Principal, ticketId: string, dto: ContactDto): Promise<WorkOrder> {
    return this.asHandler(user, ticketId, 'contact', (order) => order.contact(user.id, dto));
  }

  /**
   * 办结答复. The lead unit replies for every co-unit, so all of them must have submitted their part.
   * A unit that requires its head's sign-off (一把手签批) holds the reply until the head signs.
   */
  reply(user: Principal, ticketId: string, dto: ReplyDto): Promise<WorkOrder> {
    return this.asHandler(user, ticketId, 'reply', async (order) => {
      guard(order.row, 'reply');
      const pending = (await this.orders.coAssignments(ticketId)).filter((c) => c.state !== 'submitted');
      if (pending.length) {
        const names = await Promise.all(pending.map(async (c) => (await this.org.find(c.unitId))?.nameZh ?? c.unitId));
        throw new ConflictException(`协办单位尚未提交办理情况 co-units have not submitted their part yet: ${names.join(', ')}`);
      }
      const unit = await this.org.find(order.row.unitId!);
      order.reply(user.id, dto, !!unit?.requiresHeadSignoff);
    });
  }

  /**
   * 一把手签批: the head of the handling unit (a `unit_head` among its members; not any member, not an
   * administrator, not the head of another unit) releases the reply, or sends it back to the handler.
   */
  signoff(user: Principal, ticketId: string, dto: SignoffDto): Promise<WorkOrder> {
    return this.steps.change(user, ticketId, (order) => {
      if (!UnitStepsService.headOf(user, order.row.unitId)) {
        throw new ForbiddenException(
          `一把手签批须由承办单位的负责人（一把手）作出 only the head (unit_head) of the unit handling order ${order.row.orderNo} may sign it off`,
        );
      }
      if (dto.decision === 'rejected') order.headReject(user.id, dto.reason!);
      else order.headApprove(user.id, dto.reason ?? null);
      return order.row;
    });
  }

  /** 一把手: a person holding `unit_head` who is a member of the unit (the role itself, not an administrator's reach). */
  static headOf(user: Principal, unitId: string | null): boolean {
    return !!unitId && user.roles.includes('unit_head') && user.units.includes(unitId);
  }

  /**
   * 申请延期: a member of the handling unit asks for more time while the order is in its hands and
   * before its deadline. The order does not change state; sla decides and dispatch records the answer.
   */
  async requestExtension(user: Principal, ticketId: string, dto: ExtensionRequestDto): Promise<ExtensionRequested> {
    return this.steps.change(user, ticketId, (order) => {
      this.assertHandles(user, order, 'ask for an extension of');
      if (!IN_HAND.includes(order.state)) {
        throw new ConflictException(
          `cannot 申请延期 ask for an extension of an order that is ${order.state} (allowed: ${IN_HAND.join(', ')})`,
        );
      }
      const due = order.row.finishDueAt;
      if (due && order.now >= due) {
        throw new ConflictException(`延期须在办结时限前申请 an extension must be asked before the deadline (due ${due.toISOString()})`);
      }
      const requestId = randomUUID();
      order.requestExtension(user.id, requestId, dto.days, dto.reason);
      return { requestId, ticketId, cycle: order.row.cycle, days: dto.days, reason: dto.reason, requestedAt: order.now.toISOString() };
    });
  }

  /**
   * 退单: the unit asks to return an order that is not its duty, with the reason, within the limit
   * (RETURN_LIMIT_WORKING_DAYS after the assignment). Once the dispatcher has decided a return, the
   * order cannot be returned again (首接负责).
   */
  requestReturn(user: Principal, ticketId: string, dto: ReturnRequestDto): Promise<WorkOrder> {
    return this.asMember(
      user,
      ticketId,
      (no) => `only the unit handling order ${no} may return it`,
      (order) => {
        guard(order.row, 'return_request');
        if (!order.row.returnable) {
          throw new ConflictException(
            '首接负责：退单已由派单员裁定，本单位不得再次退单 first-receiver responsibility: a return of this order was already decided',
          );
        }
        const limit = this.returnDeadline(order.row.assignedAt ?? order.row.acceptedAt);
        if (order.now > limit) {
          const n = this.config.RETURN_LIMIT_WORKING_DAYS;
          throw new ConflictException(
            `退单须在派单后${n}个工作日内提出 a return must be asked within ${n} working days of the assignment (until ${limit.toISOString()})`,
          );
        }
        order.requestReturn(user.id, dto.reason, limit);
      },
    );
  }

  /**
   * 分派/下派: a member of the handling unit names the handlers who take the order (a resident desk
   * assigning the department's inspectors) or passes it to a community under the street.
   */
  async assign(user: Principal, ticketId: string, dto: AssignDto): Promise<WorkOrder> {
    if (!dto.assignees && !dto.subUnitId) {
      throw new FieldValidationException([{ field: 'assignees', reason: 'name assignees, a subUnitId, or both' }]);
    }
    return this.asMember(
      user,
      ticketId,
      (no) => `only the unit handling order ${no} may assign it`,
      async (order) => {
        if (!IN_HAND.includes(order.state)) {
          throw new ConflictException(`cannot 分派 assign an order that is ${order.state} (allowed: ${IN_HAND.join(', ')})`);
        }
        const unitId = order.row.unitId!;
        const sub = dto.subUnitId ? await this.org.find(dto.subUnitId) : undefined;
        if (dto.subUnitId && (!sub || !sub.active || sub.parentId !== unitId)) {
          throw new FieldValidationException([{ field: 'subUnitId', reason: 'subUnitId must be an active unit under the handling unit' }]);
        }
        if (dto.assignees) {
          const unit = await this.org.find(unitId);
          if (unit) await this.membership.assertAssignable(unit, dto.assignees);
        }
        order.assign(user.id, { subUnit: sub ?? undefined, assignees: dto.assignees });
      },
    );
  }

  /** The return limit: working days on the statutory calendar, or calendar days for a year it does not know. */
  private returnDeadline(from: Date): Date {
    const n = this.config.RETURN_LIMIT_WORKING_DAYS;
    return addWorkingDays(from, n, this.config.CITY_TIME_ZONE) ?? new Date(from.getTime() + n * 86_400_000);
  }

  private assertHandles(user: Principal, order: Order, what: string): void {
    if (!OrderSteps.handles(user, order.row))
      throw new ForbiddenException(`only the unit handling order ${order.row.orderNo} may ${what} it`);
  }

  /** A step of someone handling the order: a member of the unit, of the community it was passed to, or a handler named. */
  private asHandler(user: Principal, ticketId: string, what: string, step: (order: Order) => Promise<void> | void): Promise<WorkOrder> {
    return this.steps.change(user, ticketId, async (order) => {
      this.assertHandles(user, order, what);
      await step(order);
      return order.row;
    });
  }

  /** A step of a member of the handling unit itself (its head's sign-off, a return, an assignment). */
  private asMember(
    user: Principal,
    ticketId: string,
    refusal: (orderNo: string) => string,
    step: (order: Order) => Promise<void> | void,
  ): Promise<WorkOrder> {
    return this.steps.change(user, ticketId, async (order) => {
      if (!order.row.unitId || !inUnit(user, order.row.unitId)) throw new ForbiddenException(refusal(order.row.orderNo));
      await step(order);
      return order.row;
    });
  }
}
