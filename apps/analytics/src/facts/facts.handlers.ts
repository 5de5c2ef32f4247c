import { EVENT_TYPES, EventEnvelope, EventType } from '@app/contracts';
import { HandlerContext, OnEvent } from '@app/platform';
import { Injectable } from '@nestjs/common';
import { FactsProjector } from './facts.projector';

/** Every event about orders (one durable consumer per type); staff and taxonomy changes are no order's fact. */
export const ORDER_EVENT_TYPES = EVENT_TYPES.filter((t) => !t.startsWith('staff.') && !t.startsWith('category.')) as [
  EventType,
  ...EventType[],
];

/** Analytics consumes every event of the catalogue about orders (one durable consumer per type). */
@Injectable()
export class FactsHandlers {
  constructor(private readonly projector: FactsProjector) {}

  @OnEvent(...ORDER_EVENT_TYPES)
  onEvent(e: EventEnvelope, ctx: HandlerContext): Promise<void> {
    return this.projector.project(e, ctx);
  }
}
