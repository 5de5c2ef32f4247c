import { EventEnvelope } from '@app/contracts';
import { BatchWorkKey, HandlerContext, OnEvent } from '@app/platform';
import { Injectable } from '@nestjs/common';
import { TasksService } from './tasks.service';

@Injectable()
export class TasksHandlers {
  /** A batch's acceptances, applied together at its end (TasksService.onAccepted). */
  private readonly acceptances = BatchWorkKey.collecting<EventEnvelope<'ticket.accepted.v1'>>('callback acceptances', (events) =>
    this.tasks.onAccepted(events),
  );

  constructor(private readonly tasks: TasksService) {}

  @OnEvent('ticket.reviewed.v1')
  reviewed(e: EventEnvelope<'ticket.reviewed.v1'>): Promise<void> {
    return this.tasks.onReviewed(e);
  }

  @OnEvent('ticket.answered.v1')
  answered(e: EventEnvelope<'ticket.answered.v1'>): Promise<void> {
    return this.tasks.onAnswered(e);
  }

  @OnEvent('ticket.closed.v1')
  closed(e: EventEnvelope<'ticket.closed.v1'>): Promise<void> {
    return this.tasks.onClosed(e);
  }

  @OnEvent('ticket.accepted.v1')
  async accepted(e: EventEnvelope<'ticket.accepted.v1'>, ctx: HandlerContext): Promise<void> {
    ctx.batch.work(this.acceptances).items.push(e);
  }

  @OnEvent('ticket.merged.v1')
  merged(e: EventEnvelope<'ticket.merged.v1'>): Promise<void> {
    return this.tasks.onMerged(e);
  }

  @OnEvent('ticket.replied.v1')
  replied(e: EventEnvelope<'ticket.replied.v1'>): Promise<void> {
    return this.tasks.onReplied(e);
  }

  @OnEvent('sla.breached.v1')
  breached(e: EventEnvelope<'sla.breached.v1'>): Promise<void> {
    return this.tasks.onBreached(e);
  }

  @OnEvent('ticket.redistricted.v1')
  redistricted(e: EventEnvelope<'ticket.redistricted.v1'>): Promise<void> {
    return this.tasks.onRedistricted(e);
  }
}
