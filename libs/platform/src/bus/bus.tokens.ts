import { EventType } from '@app/contracts';

export const NATS_CONNECTION = Symbol('NATS_CONNECTION');
export const BUS_OPTIONS = Symbol('BUS_OPTIONS');
export const EVENT_HANDLER_METADATA = 'jiesu:event-handler';

export interface BusOptions {
  /** Service name: producer of its events, name of its durable consumers. */
  service: string;
  natsUrl: string;
  prefix: string;
  stream: string;
  maxDeliver: number;
  concurrency: number;
  sweepMs: number;
  /** Districts this node consumes; empty = every district. */
  districts: string[];
  /** Postgres schema of the service (LISTEN channel and SQL qualify with it). */
  schema: string;
  /** Seconds the server waits for an ack before redelivering. */
  ackWaitSeconds?: number;
  /** JetStream domain of the stream (a district node behind a leaf node addresses the city's hub). */
  jsDomain?: string;
  /** Where a durable consumer created for the first time starts: the whole stream, or new messages only. */
  newConsumersFrom?: 'all' | 'new';
  /** Delay before a nak'ed message comes back: base * 2^(delivery-1), capped. */
  backoffBaseMs?: number;
  backoffMaxMs?: number;
}

export interface EventHandlerMeta {
  types: EventType[];
}
