import { SetMetadata } from '@nestjs/common';
import { EventEnvelope, EventType } from '@app/contracts';
import { EVENT_HANDLER_METADATA, EventHandlerMeta } from './bus.tokens';
import type { HandlerContext } from './consumer-host';

/** A method that can handle the events of types K: it takes their envelope (and, if it wants, the context). */
export type EventHandlerMethod<K extends EventType> = (event: EventEnvelope<K>, ctx: HandlerContext) => Promise<void>;

/**
 * Declare a provider method as the handler of one or more event types. The bus gives each (type,
 * district) its own durable pull consumer, runs the handler inside a transaction with the inbox
 * row, and acks after commit.
 *
 * Typed: the method's first parameter must accept `EventEnvelope<K>` for the types named, so a
 * handler declared for the wrong envelope does not compile.
 *
 *   @OnEvent('ticket.accepted.v1')
 *   async onAccepted(e: EventEnvelope<'ticket.accepted.v1'>) { e.ticketId; e.data.orderNo; ... }
 */
export function OnEvent<K extends EventType>(
  ...types: [K, ...K[]]
): <M extends EventHandlerMethod<K>>(target: object, key: string | symbol, descriptor: TypedPropertyDescriptor<M>) => void {
  const set = SetMetadata<string, EventHandlerMeta>(EVENT_HANDLER_METADATA, { types });
  return (target, key, descriptor) => {
    set(target, key, descriptor);
  };
}
