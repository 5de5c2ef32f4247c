import {
  EventEnvelope,
  SlaBreachedV1,
  TicketAcceptedV1,
  TicketAnsweredV1,
  TicketClosedV1,
  TicketRedistrictedV1,
  TicketRepliedV1,
  TicketReviewedV1,
} from '@app/contracts';
import { HandlerContext, OnEvent } from '@app/platform';
import { Injectable } from '@nestjs/common';
import { TasksService } from './tasks.service';

@Injectable()
export class TasksHandlers {
  constructor(private readonly tasks: TasksService) {}

  @OnEvent('ticket.reviewed.v1')
  reviewed(e: EventEnvelope<TicketReviewedV1>, ctx: HandlerContext): Promise<void> {
    return this.tasks.onReviewed(ctx.manager, e);
  }

  @OnEvent('ticket.answered.v1')
  answered(e: EventEnvelope<TicketAnsweredV1>, ctx: HandlerContext): Promise<void> {
    return this.tasks.onAnswered(ctx.manager, e);
  }

  @OnEvent('ticket.closed.v1')
  closed(e: EventEnvelope<TicketClosedV1>, ctx: HandlerContext): Promise<void> {
    return this.tasks.onClosed(ctx.manager, e);
  }

  @OnEvent('ticket.accepted.v1')
  accepted(e: EventEnvelope<TicketAcceptedV1>, ctx: HandlerContext): Promise<void> {
    return this.tasks.onAccepted(ctx.manager, e);
  }

  @OnEvent('ticket.replied.v1')
  replied(e: EventEnvelope<TicketRepliedV1>, ctx: HandlerContext): Promise<void> {
    return this.tasks.onReplied(ctx.manager, e);
  }

  @OnEvent('sla.breached.v1')
  breached(e: EventEnvelope<SlaBreachedV1>, ctx: HandlerContext): Promise<void> {
    return this.tasks.onBreached(ctx.manager, e);
  }

  @OnEvent('ticket.redistricted.v1')
  redistricted(e: EventEnvelope<TicketRedistrictedV1>, ctx: HandlerContext): Promise<void> {
    return this.tasks.onRedistricted(ctx.manager, e);
  }
}
