import { ClockKind, Urgency, EventEnvelope, EscalationTarget, ReviewDecision } from '@app/contracts';
import { HandlerContext, OnEvent } from '@app/platform';
import { Injectable } from '@nestjs/common';
import { OrdersRepository } from '../orders/orders.repository';
import { NotificationsService } from './notifications.service';

const LEVEL_ZH: Record<EscalationTarget, string> = { unit: '承办单位', district: '区级督办', city: '市级督办' };
/** Why an order is on the supervision list, in the words of the contract (sla.supervision-opened.v1). */
const SUPERVISION_REASON_ZH: Record<string, string> = {
  overdue: '超时',
  unsatisfied: '回访不满意',
  repeat: '重复/集中诉求',
  at_risk: '临期督办',
};
const reasonZh = (reason: string): string => SUPERVISION_REASON_ZH[reason] ?? reason;

/** Thin edges: each event becomes the order's facts and/or an occurrence for the rules. */
@Injectable()
export class NotifyHandlers {
  constructor(
    private readonly notifications: NotificationsService,
    private readonly orders: OrdersRepository,
  ) {}

  /** The order's number, category and place (a flag alone tells nobody: see heldForLeader). */
  @OnEvent('ticket.accepted.v1')
  async accepted(e: EventEnvelope<'ticket.accepted.v1'>): Promise<void> {
    const d = e.data;
    await this.orders.upsert({
      ticketId: e.ticketId,
      districtCode: d.location.districtCode,
      orderNo: d.orderNo,
      categoryCode: d.categoryCode,
      placeName: d.placeName ?? null,
      urgency: d.urgency,
    });
  }

  /** 双交办: dispatch actually held the order for the district leader's sign-off. */
  @OnEvent('ticket.held-for-leader.v1')
  async heldForLeader(e: EventEnvelope<'ticket.held-for-leader.v1'>, ctx: HandlerContext): Promise<void> {
    await this.notifications.notify(e, ctx.delivery, { kind: 'dual_hold', unitId: e.data.centreUnitId });
  }

  @OnEvent('sla.clocks-set.v1')
  async clocksSet(e: EventEnvelope<'sla.clocks-set.v1'>): Promise<void> {
    await this.orders.setDue(e.ticketId, e.district, new Date(e.data.finishDueAt), new Date(e.occurredAt));
  }

  /**
   * 派单: the unit's handlers and head; urgent orders at any hour. The notice waits for sla's deadline
   * (a few deliveries), but the order's unit is a fact at once: it is committed before the wait, so
   * that a supplement or another unit-bound notice arriving meanwhile finds it.
   */
  @OnEvent('ticket.dispatched.v1')
  async dispatched(e: EventEnvelope<'ticket.dispatched.v1'>, ctx: HandlerContext): Promise<void> {
    const d = e.data;
    await this.orders.upsertNow({
      ticketId: e.ticketId,
      districtCode: d.districtCode,
      categoryCode: d.categoryCode,
      urgency: d.urgency,
      unitId: d.unitId,
      unitName: d.unitName,
    });
    await this.notifications.notify(e, ctx.delivery, {
      kind: 'dispatched',
      unitId: d.unitId,
      urgent: d.urgency === Urgency.Urgent,
      needsDeadline: true,
    });
  }

  @OnEvent('ticket.reviewed.v1')
  async reviewed(e: EventEnvelope<'ticket.reviewed.v1'>, ctx: HandlerContext): Promise<void> {
    if (e.data.decision !== ReviewDecision.SentBack) return;
    await this.notifications.notify(e, ctx.delivery, { kind: 'sent_back', unitId: e.data.unitId, note: e.data.reason });
  }

  @OnEvent('ticket.reopened.v1')
  async reopened(e: EventEnvelope<'ticket.reopened.v1'>, ctx: HandlerContext): Promise<void> {
    await this.orders.upsert({ ticketId: e.ticketId, districtCode: e.district, unitId: e.data.unitId });
    await this.notifications.notify(e, ctx.delivery, { kind: 'reopened', unitId: e.data.unitId });
  }

  @OnEvent('sla.urged.v1')
  async urged(e: EventEnvelope<'sla.urged.v1'>, ctx: HandlerContext): Promise<void> {
    await this.notifications.notify(e, ctx.delivery, {
      kind: 'urged',
      unitId: e.data.unitId,
      note: `第${e.data.urgeCount}次催办`,
    });
  }

  @OnEvent('sla.warning.v1')
  async warning(e: EventEnvelope<'sla.warning.v1'>, ctx: HandlerContext): Promise<void> {
    const kind = e.data.kind === ClockKind.Respond ? '响应' : '办结';
    await this.notifications.notify(e, ctx.delivery, {
      kind: 'warning',
      unitId: e.data.unitId,
      dueAt: new Date(e.data.dueAt),
      note: `${kind}时限将到`,
    });
  }

  @OnEvent('sla.breached.v1')
  async breached(e: EventEnvelope<'sla.breached.v1'>, ctx: HandlerContext): Promise<void> {
    const kind = e.data.kind === ClockKind.Respond ? '响应' : '办结';
    await this.notifications.notify(e, ctx.delivery, {
      kind: 'breached',
      unitId: e.data.unitId,
      dueAt: new Date(e.data.dueAt),
      note: `${kind}已超时`,
    });
  }

  @OnEvent('sla.escalated.v1')
  async escalated(e: EventEnvelope<'sla.escalated.v1'>, ctx: HandlerContext): Promise<void> {
    await this.notifications.notify(e, ctx.delivery, {
      kind: 'escalated',
      unitId: e.data.unitId,
      note: `第${e.data.step}级：${LEVEL_ZH[e.data.target]}`,
    });
  }

  /**
   * 补充诉求: the citizen added to the order; the unit handling it is told that (not what: the words
   * are on the order's page, and a message never carries what the citizen said). The order's unit
   * comes with ticket.dispatched.v1 on another consumer: waited for like the order's other facts, and
   * nobody is told when the order has none (the dispatcher reads it on the order's timeline).
   */
  @OnEvent('ticket.supplemented.v1')
  async supplemented(e: EventEnvelope<'ticket.supplemented.v1'>, ctx: HandlerContext): Promise<void> {
    const order = await this.orders.find(e.ticketId);
    await this.notifications.notify(e, ctx.delivery, { kind: 'supplemented', unitId: order?.unitId ?? null, needsUnit: true });
  }

  /**
   * 督办立项: sla put the order on the supervision list (overdue, an unsatisfied callback, a repeat, or
   * urged before its breach). The unit the item names is told why and at which level; the item's
   * summary stays on the list.
   */
  @OnEvent('sla.supervision-opened.v1')
  async supervisionOpened(e: EventEnvelope<'sla.supervision-opened.v1'>, ctx: HandlerContext): Promise<void> {
    await this.notifications.notify(e, ctx.delivery, {
      kind: 'supervised',
      unitId: e.data.unitId,
      note: `督办原因：${reasonZh(e.data.reason)}，督办级别：${LEVEL_ZH[e.data.level]}`,
    });
  }

  /**
   * 督办销号: a supervisor closed the item. The unit the item named then is told, with the reason and
   * the level it had reached; the closing note stays on the order's timeline. An event from before
   * sla named them carries neither: then the order's unit is told, waited for like a supplement's.
   */
  @OnEvent('sla.supervision-closed.v1')
  async supervisionClosed(e: EventEnvelope<'sla.supervision-closed.v1'>, ctx: HandlerContext): Promise<void> {
    const d = e.data;
    const unitId = d.unitId ?? (await this.orders.find(e.ticketId))?.unitId ?? null;
    await this.notifications.notify(e, ctx.delivery, {
      kind: 'supervision_closed',
      unitId,
      needsUnit: !d.unitId,
      note: `督办原因：${reasonZh(d.reason)}${d.level ? `，督办级别：${LEVEL_ZH[d.level]}` : ''}`,
    });
  }

  @OnEvent('callback.overdue.v1')
  async callbackOverdue(e: EventEnvelope<'callback.overdue.v1'>, ctx: HandlerContext): Promise<void> {
    await this.notifications.notify(e, ctx.delivery, {
      kind: 'callback_overdue',
      unitId: e.data.unitId,
      dueAt: new Date(e.data.dueAt),
    });
  }
}
