import { EventEnvelope, TicketReviewedV1 } from '@app/contracts';
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
}
