import { SetMetadata } from '@nestjs/common';
import { EventType } from '@app/contracts';
import { EVENT_HANDLER_METADATA, EventHandlerMeta } from './bus.tokens';

/**
 * Declare a provider method as the handler of one or more event types. The bus gives each (type,
 * district) its own durable pull consumer, runs the handler inside a transaction with the inbox
 * row, and acks after commit.
 *
 *   @OnEvent('ticket.accepted.v1')
 *   async onAccepted(event: EventEnvelope<TicketAcceptedV1>, ctx: HandlerContext) { ... }
 */
export const OnEvent = (...types: [EventType, ...EventType[]]): MethodDecorator =>
  SetMetadata<string, EventHandlerMeta>(EVENT_HANDLER_METADATA, { types });
