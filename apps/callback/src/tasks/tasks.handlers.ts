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
import { OnEvent } from '@app/platform';
import { Injectable } from '@nestjs/common';
import { TasksService } from './tasks.service';

@Injectable()
export class TasksHandlers {
  constructor(private readonly tasks: TasksService) {}

  @OnEvent('ticket.reviewed.v1')
  reviewed(e: EventEnvelope<TicketReviewedV1>): Promise<void> {
    return this.tasks.onReviewed(e);
  }

  @OnEvent('ticket.answered.v1')
  answered(e: EventEnvelope<TicketAnsweredV1>): Promise<void> {
    return this.tasks.onAnswered(e);
  }

  @OnEvent('ticket.closed.v1')
  closed(e: EventEnvelope<TicketClosedV1>): Promise<void> {
    return this.tasks.onClosed(e);
  }

  @OnEvent('ticket.accepted.v1')
  accepted(e: EventEnvelope<TicketAcceptedV1>): Promise<void> {
    return this.tasks.onAccepted(e);
  }

  @OnEvent('ticket.replied.v1')
  replied(e: EventEnvelope<TicketRepliedV1>): Promise<void> {
    return this.tasks.onReplied(e);
  }

  @OnEvent('sla.breached.v1')
  breached(e: EventEnvelope<SlaBreachedV1>): Promise<void> {
    return this.tasks.onBreached(e);
  }

  @OnEvent('ticket.redistricted.v1')
  redistricted(e: EventEnvelope<TicketRedistrictedV1>): Promise<void> {
    return this.tasks.onRedistricted(e);
  }
}
