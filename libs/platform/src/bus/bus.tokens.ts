import { EventType } from '@app/contracts';

export const NATS_CONNECTION = Symbol('NATS_CONNECTION');
export const BUS_OPTIONS = Symbol('BUS_OPTIONS');
/** The process's `DatabaseCircuit` (consumers pause while it is open; health reports it). */
export const DATABASE_CIRCUIT = Symbol('DATABASE_CIRCUIT');
/** The process's `HandlerBudget`: handlers running at once, across every consumer. */
export const HANDLER_BUDGET = Symbol('HANDLER_BUDGET');
export const EVENT_HANDLER_METADATA = 'jiesu:event-handler';

export interface BusOptions {
  /** Service name: producer of its events, name of its durable consumers. */
  service: string;
  natsUrl: string;
  prefix: string;
  stream: string;
  /** Handler failures (not deliveries: database outages do not count) before a message is dead-lettered. */
  maxDeliver: number;
  /**
   * Transactions one consumer runs at once, each applying a batch of its messages (the process-wide
   * budget caps the sum over consumers).
   */
  concurrency: number;
  /** The most messages of one consumer applied in one transaction (default 1: one message per transaction). */
  batch?: number;
  /**
   * How long (ms) a consumer lets a batch that is not full wait for more messages before applying it
   * (default 0: never; what has arrived is applied at once).
   */
  lingerMs?: number;
  /** Seconds an early event may wait for the one it depends on before it is dead-lettered. */
  earlyEventHorizonSeconds?: number;
  /** Bodies larger than this are dead-lettered unparsed. */
  maxEventBytes?: number;
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
