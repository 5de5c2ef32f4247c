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

/** One event of `Outbox.publishMany`: its type, and what `publish` takes for it (typed by the type). */
export type OutgoingEvent = { [T in EventType]: { type: T } & PublishInput<T> }[EventType];

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
 * The envelope an outbox stores for `input`, in its JSON form, validated against its contract
 * (`InvalidEventError` if it is not valid): what `Outbox` and the service tier's `RecordingOutbox` write.
 */
export function outgoingEnvelope<T extends EventType>(producer: string, type: T, input: PublishInput<T>): EventEnvelope<T> {
  const envelope = {
    id: randomUUID(),
    type,
    version: versionOf(type),
    occurredAt: (input.occurredAt ?? new Date()).toISOString(),
    district: input.district,
    ticketId: input.ticketId,
    producer,
    data: input.data,
  } as EventEnvelope<T>;
  // Producers validate too: a bug here must fail the transaction, not poison every consumer.
  const plain = JSON.parse(JSON.stringify(envelope)) as EventEnvelope<T>;
  const check = validateEvent(plain);
  if (!check.ok) throw new InvalidEventError(type, check.errors);
  return plain;
}

/**
 * The only way a service publishes. `publish` writes the event into the outbox through the
 * TransactionHost, i.e. inside the caller's transaction: if it rolls back, the event never existed.
 * Outside a transaction it refuses to run. `publishMany` writes a batch the same way in one statement.
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
    const envelope = outgoingEnvelope(this.options.service, type, input);
    // One round trip: the row, and a NOTIFY that Postgres delivers only if (and when) this commits.
    await this.txHost.tx.query(
      `WITH ins AS (
         INSERT INTO "${this.options.schema}"."outbox" (id, subject, type, envelope, headers)
         VALUES ($1, $2, $3, $4::jsonb, $5::jsonb) RETURNING 1)
       SELECT pg_notify($6, '') FROM ins`,
      [
        envelope.id,
        subjectFor(this.options.prefix, input.district, type),
        type,
        JSON.stringify(envelope),
        this.headers(),
        outboxChannel(this.options.schema),
      ],
    );
    return envelope;
  }

  /**
   * Several events in one round trip: every envelope is built and validated as `publish` does (one
   * invalid event refuses the whole batch, and nothing is written), then one multi-row INSERT, in the
   * order given (the relay publishes by `seq`), and one NOTIFY. Returns the envelopes in that order.
   */
  async publishMany(events: readonly OutgoingEvent[]): Promise<EventEnvelope[]> {
    if (!inTransaction(this.txHost)) {
      throw new Error(`Outbox.publishMany(${events.length} events) must run inside a transaction`);
    }
    const envelopes: EventEnvelope[] = events.map((e) => outgoingEnvelope(this.options.service, e.type, e as PublishInput<EventType>));
    if (!envelopes.length) return envelopes;
    const rows = envelopes.map((e, n) => ({
      n,
      id: e.id,
      subject: subjectFor(this.options.prefix, e.district, e.type),
      type: e.type,
      envelope: e,
    }));
    // One parameter for the rows (jsonb_to_recordset), so the statement is one shape whatever the
    // batch size; ORDER BY n keeps the order given in seq (nextval is evaluated after the sort).
    await this.txHost.tx.query(
      `WITH ins AS (
         INSERT INTO "${this.options.schema}"."outbox" (id, subject, type, envelope, headers)
         SELECT r.id, r.subject, r.type, r.envelope, $2::jsonb
           FROM jsonb_to_recordset($1::jsonb) AS r(n int, id uuid, subject text, type text, envelope jsonb)
          ORDER BY r.n
         RETURNING 1)
       SELECT pg_notify($3, '') FROM (SELECT 1 FROM ins LIMIT 1) one`,
      [JSON.stringify(rows), this.headers(), outboxChannel(this.options.schema)],
    );
    return envelopes;
  }

  /**
   * The trace goes with the row: the relay publishes it in the NATS headers, so the consumers' work
   * joins the trace of the request (or message) that made this change.
   */
  private headers(): string {
    const traceparent = currentTraceparent();
    return JSON.stringify(traceparent ? { traceparent } : {});
  }
}
