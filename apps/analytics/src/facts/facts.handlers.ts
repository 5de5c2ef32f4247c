import { EVENT_TYPES, EventEnvelope, EventType } from '@app/contracts';
import { HandlerContext, OnEvent } from '@app/platform';
import { Injectable } from '@nestjs/common';
import { FactsProjector } from './facts.projector';

/** Analytics consumes every event of the catalogue (one durable consumer per type). */
@Injectable()
export class FactsHandlers {
  constructor(private readonly projector: FactsProjector) {}

  @OnEvent(...(EVENT_TYPES as [EventType, ...EventType[]]))
  onEvent(e: EventEnvelope<object>, ctx: HandlerContext): Promise<void> {
    return this.projector.project(e, ctx);
  }
}
