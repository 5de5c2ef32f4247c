import { Inject, Injectable } from '@nestjs/common';
import { ContractMap, EventEnvelope, EventType, subjectFor, TicketEventType, versionOf } from '@app/contracts';
import { randomUUID } from 'node:crypto';
import { TransactionHost } from '@nestjs-cls/transactional';
import { inTransaction, TxHost } from '../database/transactions';
import { currentTraceparent } from '../logging/trace';
import { BUS_OPTIONS, BusOptions } from './bus.tokens';
import { validateEvent } from './event-validation';

export interface PublishInput<T extends EventType> {
  district: string;
  /** The order the event is about; null only for the events not about one order. */
  ticketId: T extends TicketEventType ? string : string | null;
  data: ContractMap[T];
  occurredAt?: Date;
}

export class InvalidEventError extends Error {
  constructor(
    readonly type: string,
    readonly errors: unknown,
  ) {
    super(`refusing to publish an invalid ${type}: ${JSON.stringify(errors)}`);
  }
}

export function outboxChannel(schema: string): string {
  return `${schema}_outbox`;
}

/**
 * The only way a service publishes. `publish` writes the event into the outbox through the
 * TransactionHost, i.e. inside the caller's transaction: if it rolls back, the event never existed.
 * Outside a transaction it refuses to run.
 */
@Injectable()
export class Outbox {
  constructor(
    @Inject(BUS_OPTIONS) private readonly options: BusOptions,
    @Inject(TransactionHost) private readonly txHost: TxHost,
  ) {}

  async publish<T extends EventType>(type: T, input: PublishInput<T>): Promise<EventEnvelope<T>> {
    if (!inTransaction(this.txHost)) {
      throw new Error(`Outbox.publish(${type}) must run inside a transaction`);
    }
    const manager = this.txHost.tx;
    const envelope = {
      id: randomUUID(),
      type,
      version: versionOf(type),
      occurredAt: (input.occurredAt ?? new Date()).toISOString(),
      district: input.district,
      ticketId: input.ticketId,
      producer: this.options.service,
      data: input.data,
    } as EventEnvelope<T>;
    // Producers validate too: a bug here must fail the transaction, not poison every consumer.
    const plain = JSON.parse(JSON.stringify(envelope)) as unknown;
    const check = validateEvent(plain);
    if (!check.ok) throw new InvalidEventError(type, check.errors);

    // The trace goes with the row: the relay publishes it in the NATS headers, so the consumers'
    // work joins the trace of the request (or message) that made this change.
    const traceparent = currentTraceparent();
    // One round trip: the row, and a NOTIFY that Postgres delivers only if (and when) this commits.
    await manager.query(
      `WITH ins AS (
         INSERT INTO "${this.options.schema}"."outbox" (id, subject, type, envelope, headers)
         VALUES ($1, $2, $3, $4::jsonb, $5::jsonb) RETURNING 1)
       SELECT pg_notify($6, '') FROM ins`,
      [
        envelope.id,
        subjectFor(this.options.prefix, input.district, type),
        type,
        JSON.stringify(plain),
        JSON.stringify(traceparent ? { traceparent } : {}),
        outboxChannel(this.options.schema),
      ],
    );
    return envelope;
  }
}
