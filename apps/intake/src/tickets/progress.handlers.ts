import { EventEnvelope, ReviewDecision } from '@app/contracts';
import { BatchWorkKey, EarlyEventError, HandlerContext, OnEvent } from '@app/platform';
import { Injectable } from '@nestjs/common';
import { ProgressStep, TicketsRepository } from './tickets.repository';

/**
 * What intake learns from dispatch for the citizen's status lookup and Open311: the unit, the public
 * reply, closed. Each step is ranked within its cycle, so a late or repeated event never moves the
 * order back; a reply sent back or reopened is withdrawn from the citizen's view.
 */
@Injectable()
export class ProgressHandlers {
  /** A batch's steps, applied at its end (one statement for its orders, TicketsRepository.advanceProgress). */
  private readonly steps = BatchWorkKey.collecting<ProgressStep>('intake progress', (steps) => this.tickets.advanceProgress(steps));

  constructor(private readonly tickets: TicketsRepository) {}

  private advance(ctx: HandlerContext, step: ProgressStep): void {
    ctx.batch.work(this.steps).items.push(step);
  }

  @OnEvent('ticket.dispatched.v1')
  async dispatched(e: EventEnvelope<'ticket.dispatched.v1'>, ctx: HandlerContext): Promise<void> {
    const d = e.data;
    this.advance(ctx, {
      ticketId: e.ticketId,
      cycle: d.cycle,
      rank: 1,
      progress: 'processing',
      at: new Date(d.dispatchedAt),
      unitId: d.unitId,
      unitName: d.unitName,
    });
  }

  /** Who the unit assigned the order to: they may reveal the citizen while the unit handles it. */
  @OnEvent('ticket.assigned.v1')
  async assigned(e: EventEnvelope<'ticket.assigned.v1'>): Promise<void> {
    const d = e.data;
    await this.tickets.recordAssignment({
      ticketId: e.ticketId,
      unitId: d.unitId,
      subUnitId: d.subUnitId ?? null,
      assignees: d.assignees,
      assignedAt: new Date(d.assignedAt),
    });
  }

  @OnEvent('ticket.replied.v1')
  async replied(e: EventEnvelope<'ticket.replied.v1'>, ctx: HandlerContext): Promise<void> {
    const d = e.data;
    this.advance(ctx, {
      ticketId: e.ticketId,
      cycle: d.cycle,
      rank: 2,
      progress: 'replied',
      at: new Date(d.repliedAt),
      publicReply: d.replyText,
    });
  }

  @OnEvent('ticket.reviewed.v1')
  async reviewed(e: EventEnvelope<'ticket.reviewed.v1'>, ctx: HandlerContext): Promise<void> {
    const d = e.data;
    const sentBack = d.decision === ReviewDecision.SentBack;
    this.advance(ctx, {
      ticketId: e.ticketId,
      // A send-back opens the next cycle: the unit works on it again.
      cycle: sentBack ? d.cycle + 1 : d.cycle,
      rank: sentBack ? 0 : 3,
      progress: sentBack ? 'processing' : 'replied',
      at: new Date(d.reviewedAt),
      ...(sentBack ? { publicReply: null } : {}),
    });
  }

  @OnEvent('ticket.reopened.v1')
  async reopened(e: EventEnvelope<'ticket.reopened.v1'>, ctx: HandlerContext): Promise<void> {
    const d = e.data;
    this.advance(ctx, {
      ticketId: e.ticketId,
      cycle: d.cycle,
      rank: 0,
      progress: 'processing',
      at: new Date(d.reopenedAt),
      // A reopen to another unit (重办并改派) hands the order, and the right to reveal its citizen, to that unit.
      unitId: d.unitId,
      publicReply: null,
    });
  }

  @OnEvent('ticket.closed.v1')
  async closed(e: EventEnvelope<'ticket.closed.v1'>, ctx: HandlerContext): Promise<void> {
    const d = e.data;
    this.advance(ctx, {
      ticketId: e.ticketId,
      cycle: d.cycle,
      rank: 9,
      progress: 'closed',
      at: new Date(d.closedAt),
    });
  }

  /** 转区: the order's district (the basis of who may see and reveal it) follows the move. */
  @OnEvent('ticket.redistricted.v1')
  async redistricted(e: EventEnvelope<'ticket.redistricted.v1'>): Promise<void> {
    const d = e.data;
    const now = await this.tickets.moveDistrict(e.ticketId, d.fromDistrictCode, d.districtCode, d.streetCode ?? null);
    if (now === d.districtCode) return;
    // Another move of the same order has not arrived yet (or the order is unknown): retry later.
    throw new EarlyEventError(`order ${e.ticketId} is in district ${now}, not ${d.fromDistrictCode}; waiting for the earlier move`);
  }
}
