import {
  CallbackCompletedV1,
  CallbackFailedV1,
  ClockKind,
  EventEnvelope,
  ReviewDecision,
  SlaBreachedV1,
  SlaClocksSetV1,
  TicketAcceptedV1,
  TicketAnsweredV1,
  TicketClosedV1,
  TicketContactedV1,
  TicketDispatchedV1,
  TicketMergedV1,
  TicketRepliedV1,
  TicketReopenedV1,
  TicketReviewedV1,
} from '@app/contracts';
import { HandlerContext, OnEvent } from '@app/platform';
import { Injectable } from '@nestjs/common';
import { FactsRepository } from './facts.repository';

/**
 * The read model's projection: how each event lands in the fact tables. Built only from events, so
 * replaying the stream from its first message rebuilds it.
 */
@Injectable()
export class FactsProjector {
  constructor(private readonly facts: FactsRepository) {}

  @OnEvent('ticket.accepted.v1')
  async accepted(e: EventEnvelope<TicketAcceptedV1>, { manager }: HandlerContext): Promise<void> {
    const d = e.data;
    await this.facts.upsertTicket(manager, e.ticketId!, d.location.districtCode, {
      order_no: [d.orderNo, 'first'],
      channel: [d.channel, 'first'],
      category_code: [d.categoryCode, 'first'],
      request_type: [d.requestType, 'first'],
      urgency: [d.urgency, 'first'],
      accepted_at: [d.acceptedAt, 'earliest'],
    });
  }

  @OnEvent('ticket.answered.v1')
  async answered(e: EventEnvelope<TicketAnsweredV1>, { manager }: HandlerContext): Promise<void> {
    const d = e.data;
    await this.facts.upsertTicket(manager, e.ticketId!, e.district, {
      order_no: [d.orderNo, 'first'],
      channel: [d.channel, 'first'],
      category_code: [d.categoryCode, 'first'],
      request_type: [d.requestType, 'first'],
      answered_at: [d.answeredAt, 'earliest'],
    });
  }

  @OnEvent('ticket.merged.v1')
  async merged(e: EventEnvelope<TicketMergedV1>, { manager }: HandlerContext): Promise<void> {
    await this.facts.upsertTicket(manager, e.ticketId!, e.district, { merged_count: [1, 'add'] });
  }

  @OnEvent('ticket.dispatched.v1')
  async dispatched(e: EventEnvelope<TicketDispatchedV1>, { manager }: HandlerContext): Promise<void> {
    await this.facts.upsertTicket(manager, e.ticketId!, e.district, {
      unit_id: [e.data.unitId, 'first'],
      dispatched_at: [e.data.dispatchedAt, 'earliest'],
    });
  }

  @OnEvent('ticket.contacted.v1')
  async contacted(e: EventEnvelope<TicketContactedV1>, { manager }: HandlerContext): Promise<void> {
    await this.facts.upsertTicket(manager, e.ticketId!, e.district, { contacted_at: [e.data.contactedAt, 'earliest'] });
  }

  @OnEvent('ticket.replied.v1')
  async replied(e: EventEnvelope<TicketRepliedV1>, { manager }: HandlerContext): Promise<void> {
    await this.facts.upsertTicket(manager, e.ticketId!, e.district, {
      first_replied_at: [e.data.repliedAt, 'earliest'],
      last_replied_at: [e.data.repliedAt, 'latest'],
    });
  }

  @OnEvent('ticket.reviewed.v1')
  async reviewed(e: EventEnvelope<TicketReviewedV1>, { manager }: HandlerContext): Promise<void> {
    const sentBack = e.data.decision === ReviewDecision.SentBack ? 1 : 0;
    await this.facts.upsertTicket(manager, e.ticketId!, e.district, { sent_back_count: [sentBack, 'add'] });
  }

  @OnEvent('ticket.reopened.v1')
  async reopened(e: EventEnvelope<TicketReopenedV1>, { manager }: HandlerContext): Promise<void> {
    await this.facts.upsertTicket(manager, e.ticketId!, e.district, { reopen_count: [1, 'add'] });
  }

  @OnEvent('ticket.closed.v1')
  async closed(e: EventEnvelope<TicketClosedV1>, { manager }: HandlerContext): Promise<void> {
    await this.facts.upsertTicket(manager, e.ticketId!, e.district, { closed_at: [e.data.closedAt, 'latest'] });
  }

  @OnEvent('sla.clocks-set.v1')
  async clocksSet(e: EventEnvelope<SlaClocksSetV1>, { manager }: HandlerContext): Promise<void> {
    if (e.data.cycle !== 1) return;
    await this.facts.upsertTicket(manager, e.ticketId!, e.district, {
      ...(e.data.respondDueAt ? { respond_due_at: [e.data.respondDueAt, 'first'] as [unknown, 'first'] } : {}),
      first_finish_due_at: [e.data.finishDueAt, 'latest'],
    });
  }

  @OnEvent('sla.breached.v1')
  async breached(e: EventEnvelope<SlaBreachedV1>, { manager }: HandlerContext): Promise<void> {
    const col = e.data.kind === ClockKind.Respond ? 'respond_breached' : 'finish_breached';
    await this.facts.upsertTicket(manager, e.ticketId!, e.district, { [col]: [true, 'or'] });
  }

  @OnEvent('callback.completed.v1')
  async callbackCompleted(e: EventEnvelope<CallbackCompletedV1>, { manager }: HandlerContext): Promise<void> {
    const d = e.data;
    await this.facts.upsertCallback(manager, {
      taskId: d.taskId,
      ticketId: e.ticketId!,
      districtCode: e.district,
      unitId: d.unitId,
      cycle: d.cycle,
      completedAt: new Date(d.completedAt),
      failed: false,
      contacted: d.contacted,
      resolved: d.resolved,
      satisfaction: d.satisfaction,
    });
  }

  @OnEvent('callback.failed.v1')
  async callbackFailed(e: EventEnvelope<CallbackFailedV1>, { manager }: HandlerContext): Promise<void> {
    const d = e.data;
    await this.facts.upsertCallback(manager, {
      taskId: d.taskId,
      ticketId: e.ticketId!,
      districtCode: e.district,
      unitId: d.unitId,
      cycle: d.cycle,
      completedAt: new Date(d.failedAt),
      failed: true,
      contacted: null,
      resolved: null,
      satisfaction: null,
    });
  }
}
