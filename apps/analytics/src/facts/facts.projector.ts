import { ClockKind, EventEnvelope, ReviewDecision } from '@app/contracts';
import { Inject, Injectable } from '@nestjs/common';
import { ANALYTICS_CONFIG, AnalyticsConfig } from '../analytics.config';
import { contributions, OrderForRollup, rollupDelta } from '../rollups/rollup';
import { CallbackRow, FactsRepository, Merge } from './facts.repository';
import { unitColumns } from './unit-attribution';

/**
 * The read model's projection: how each event lands in the fact tables. Built only from events, so
 * replaying the stream from its first message rebuilds it.
 */
@Injectable()
export class FactsProjector {
  constructor(
    private readonly facts: FactsRepository,
    @Inject(ANALYTICS_CONFIG) private readonly config: AnalyticsConfig,
  ) {}

  /**
   * Change one order's facts and move the daily rollup by the difference: the order's row is
   * locked and read before the change; the change returns the order as it left it (its writes
   * return what they wrote, so nothing is read twice), and the difference is applied in the same
   * transaction.
   */
  private async withOrder(ticketId: string, district: string, change: (before: OrderForRollup) => Promise<OrderForRollup>): Promise<void> {
    const zone = this.config.CITY_TIME_ZONE;
    const before = await this.facts.lockOrder(ticketId, district);
    const after = await change(before);
    const delta = rollupDelta(contributions(before.fact, before.callbacks, zone), contributions(after.fact, after.callbacks, zone));
    await this.facts.applyRollupDelta(delta);
  }

  /** Merge values into the order's fact row (each column by its own rule), moving the rollup with it. */
  private updateFact(ticketId: string, district: string, values: Record<string, [unknown, Merge]>): Promise<void> {
    return this.withOrder(ticketId, district, async (before) => ({
      ...before,
      fact: await this.facts.upsertTicket(ticketId, district, values),
    }));
  }

  /** Record a callback of the order (once per task), moving the rollup with it. */
  private addCallback(row: CallbackRow): Promise<void> {
    return this.withOrder(row.ticketId, row.districtCode, async (before) => {
      const added = await this.facts.upsertCallback(row);
      return added ? { ...before, callbacks: [...before.callbacks, added] } : before;
    });
  }

  /** Every event lands in the daily volume rollup; the ones that carry facts also in the fact tables. */
  async project(e: EventEnvelope): Promise<void> {
    await this.facts.countEvent(e);
    // The envelope is the union over the catalogue: each case narrows it to its type's envelope.
    switch (e.type) {
      case 'ticket.accepted.v1':
        return this.accepted(e);
      case 'ticket.answered.v1':
        return this.answered(e);
      case 'ticket.merged.v1':
        return this.merged(e);
      case 'ticket.dispatched.v1':
        return this.dispatched(e);
      case 'ticket.contacted.v1':
        return this.contacted(e);
      case 'ticket.replied.v1':
        return this.replied(e);
      case 'ticket.reviewed.v1':
        return this.reviewed(e);
      case 'ticket.reopened.v1':
        return this.reopened(e);
      case 'ticket.closed.v1':
        return this.closed(e);
      case 'ticket.redistricted.v1':
        return this.redistricted(e);
      case 'sla.clocks-set.v1':
        return this.clocksSet(e);
      case 'sla.breached.v1':
        return this.breached(e);
      case 'callback.completed.v1':
        return this.callbackCompleted(e);
      case 'callback.failed.v1':
        return this.callbackFailed(e);
      // Counted only, for now: the later analytics issue builds facts from them.
      case 'ticket.supplemented.v1':
      case 'ticket.signed.v1':
      case 'ticket.assigned.v1':
      case 'ticket.returned.v1':
      case 'ticket.extension-requested.v1':
      case 'sla.warning.v1':
      case 'sla.escalated.v1':
      case 'sla.extension-decided.v1':
      case 'sla.supervision-opened.v1':
      case 'sla.supervision-closed.v1':
      case 'sla.urged.v1':
      case 'hotspot.proposed.v1':
      case 'callback.spot-checked.v1': // spot checks stay apart from the first callback: never a callback fact
        return;
      case 'staff.membership-changed.v1': // not subscribed (facts.handlers.ts): no order's fact
      case 'callback.expiry-checked.v1': // 到期回访: like a spot check, never a callback fact
      case 'callback.overdue.v1': // notify's; no fact changes
      case 'notification.created.v1': // notify's; no order's fact
        return;
    }
  }

  private async accepted(e: EventEnvelope<'ticket.accepted.v1'>): Promise<void> {
    const d = e.data;
    const l = d.location;
    await this.updateFact(e.ticketId, l.districtCode, {
      order_no: [d.orderNo, 'first'],
      channel: [d.channel, 'first'],
      category_code: [d.categoryCode, 'first'],
      request_type: [d.requestType, 'first'],
      urgency: [d.urgency, 'first'],
      accepted_at: [d.acceptedAt, 'earliest'],
      street_code: [l.streetCode ?? null, 'first_here'],
      community_code: [l.communityCode ?? null, 'first_here'],
      lat: [l.lat ?? null, 'first'],
      lng: [l.lng ?? null, 'first'],
      proactive: [d.proactive, 'first'],
      // Not asked → off the wall when the citizen hid their identity from the unit, on it otherwise.
      wall_opt_out: [d.publicWallOptOut ?? d.identityHidden, 'first'],
    });
  }

  /** 转区: every figure of the order moves to its new district (the rollup by the before/after difference). */
  private async redistricted(e: EventEnvelope<'ticket.redistricted.v1'>): Promise<void> {
    const d = e.data;
    await this.withOrder(e.ticketId, d.districtCode, async (before) => ({
      ...before,
      fact: (await this.facts.moveDistrict(e.ticketId, d.districtCode, d.streetCode ?? null, d.redistrictedAt)) ?? before.fact,
    }));
  }

  private async answered(e: EventEnvelope<'ticket.answered.v1'>): Promise<void> {
    const d = e.data;
    await this.updateFact(e.ticketId, e.district, {
      order_no: [d.orderNo, 'first'],
      channel: [d.channel, 'first'],
      category_code: [d.categoryCode, 'first'],
      request_type: [d.requestType, 'first'],
      answered_at: [d.answeredAt, 'earliest'],
    });
  }

  private async merged(e: EventEnvelope<'ticket.merged.v1'>): Promise<void> {
    await this.updateFact(e.ticketId, e.district, { merged_count: [1, 'add'] });
  }

  private async dispatched(e: EventEnvelope<'ticket.dispatched.v1'>): Promise<void> {
    const d = e.data;
    await this.facts.upsertUnitName(d.unitId, d.districtCode, d.unitName, d.dispatchedAt);
    await this.updateFact(e.ticketId, e.district, {
      // The unit follows the first cycle's latest dispatch (转办, accepted return): unit-attribution.ts.
      ...unitColumns(d),
      street_code: [d.streetCode ?? null, 'first_here'],
      dispatched_at: [d.dispatchedAt, 'earliest'],
      cycle: [d.cycle, 'greatest'],
    });
  }

  private async contacted(e: EventEnvelope<'ticket.contacted.v1'>): Promise<void> {
    await this.updateFact(e.ticketId, e.district, { contacted_at: [e.data.contactedAt, 'earliest'] });
  }

  private async replied(e: EventEnvelope<'ticket.replied.v1'>): Promise<void> {
    const d = e.data;
    await this.updateFact(e.ticketId, e.district, {
      first_replied_at: [d.repliedAt, 'earliest'],
      // The reply text and its cycle follow the latest reply; last_replied_at itself last of all.
      reply_text: [d.replyText, { by: ['reply_cycle', 'last_replied_at'] }],
      reply_cycle: [d.cycle, { by: ['reply_cycle', 'last_replied_at'] }],
      last_replied_at: [d.repliedAt, { by: ['reply_cycle', 'last_replied_at'] }],
      cycle: [d.cycle, 'greatest'],
    });
  }

  private async reviewed(e: EventEnvelope<'ticket.reviewed.v1'>): Promise<void> {
    const sentBack = e.data.decision === ReviewDecision.SentBack ? 1 : 0;
    await this.updateFact(e.ticketId, e.district, { sent_back_count: [sentBack, 'add'] });
  }

  private async reopened(e: EventEnvelope<'ticket.reopened.v1'>): Promise<void> {
    await this.updateFact(e.ticketId, e.district, { reopen_count: [1, 'add'], cycle: [e.data.cycle, 'greatest'] });
  }

  private async closed(e: EventEnvelope<'ticket.closed.v1'>): Promise<void> {
    await this.updateFact(e.ticketId, e.district, { closed_at: [e.data.closedAt, 'latest'] });
  }

  private async clocksSet(e: EventEnvelope<'sla.clocks-set.v1'>): Promise<void> {
    const d = e.data;
    await this.updateFact(e.ticketId, e.district, {
      ...(d.cycle === 1 && d.respondDueAt ? { respond_due_at: [d.respondDueAt, 'first'] as [unknown, 'first'] } : {}),
      ...(d.cycle === 1 ? { first_finish_due_at: [d.finishDueAt, 'latest'] as [unknown, 'latest'] } : {}),
      // The wall's deadline: the latest cycle's due time, the latest setting of it (extensions, calendar edits).
      finish_due_at: [d.finishDueAt, { by: ['finish_due_cycle', 'finish_due_set_at', 'finish_due_at'] }],
      finish_due_cycle: [d.cycle, { by: ['finish_due_cycle', 'finish_due_set_at', 'finish_due_at'] }],
      finish_due_set_at: [e.occurredAt, { by: ['finish_due_cycle', 'finish_due_set_at', 'finish_due_at'] }],
      cycle: [d.cycle, 'greatest'],
    });
  }

  private async breached(e: EventEnvelope<'sla.breached.v1'>): Promise<void> {
    const col = e.data.kind === ClockKind.Respond ? 'respond_breached' : 'finish_breached';
    await this.updateFact(e.ticketId, e.district, { [col]: [true, 'or'] });
  }

  private async callbackCompleted(e: EventEnvelope<'callback.completed.v1'>): Promise<void> {
    const d = e.data;
    await this.addCallback({
      taskId: d.taskId,
      ticketId: e.ticketId,
      districtCode: e.district,
      unitId: d.unitId,
      cycle: d.cycle,
      completedAt: new Date(d.completedAt),
      failed: false,
      contacted: d.contacted,
      resolved: d.resolved,
      satisfaction: d.satisfaction,
      comment: d.comment ?? null,
      kind: d.kind ?? 'reply',
    });
  }

  private async callbackFailed(e: EventEnvelope<'callback.failed.v1'>): Promise<void> {
    const d = e.data;
    await this.addCallback({
      taskId: d.taskId,
      ticketId: e.ticketId,
      districtCode: e.district,
      unitId: d.unitId,
      cycle: d.cycle,
      completedAt: new Date(d.failedAt),
      failed: true,
      contacted: null,
      resolved: null,
      satisfaction: null,
      comment: d.reason ?? null,
      kind: d.kind ?? 'reply',
    });
  }
}
