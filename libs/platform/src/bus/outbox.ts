import { Inject, Injectable, Optional } from '@nestjs/common';
import { ContractMap, EventEnvelope, EventType, subjectFor, TicketEventType, versionOf } from '@app/contracts';
import { randomUUID } from 'node:crypto';
import { TransactionHost } from '@nestjs-cls/transactional';
import { inTransaction, TxHost } from '../database/transactions';
import { currentTraceparent } from '../logging/trace';
import { BUS_OPTIONS, BusOptions } from './bus.tokens';
import { validateEvent } from './event-validation';
import { BatchScope, BatchWork, BatchWorkKey } from './batch-scope';
import { OutboxRelay } from './outbox-relay';

export interface PublishInput<T extends EventType> {
  district: string;
  /** The order the event is about; null only for the events not about one order. */
  ticketId: T extends TicketEventType ? string : string | null;
  data: ContractMap[T];
  occurredAt?: Date;
}

/**
 * A data-modifying statement (INSERT, UPDATE or DELETE, without RETURNING) and its parameters, written
 * with events in one statement by `Outbox.publishWith`. Its text holds no `$` but its placeholders
 * `$1…` (they are renumbered there).
 */
export interface Write {
  sql: string;
  params: readonly unknown[];
}

/**
 * `writes` as the data-modifying CTEs of one statement (`w0 AS (…), w1 AS (…)`), each one's
 * placeholders renumbered after the ones before it, and the parameters of them all in that order.
 */
export function writeParts(writes: readonly Write[]): { parts: string[]; params: unknown[] } {
  const params: unknown[] = [];
  const parts = writes.map((w, i) => {
    const offset = params.length;
    params.push(...w.params);
    return `w${i} AS (${w.sql.replace(/\$(\d+)/g, (_, n: string) => `$${Number(n) + offset}`)})`;
  });
  return { parts, params };
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

/** One outbox row: an envelope, the subject the relay publishes it on, and the trace it goes with. */
interface OutboxRow {
  id: string;
  subject: string;
  type: string;
  envelope: EventEnvelope;
  headers: Record<string, string>;
}

/**
 * The rows a consumer batch's handlers published, written in one statement at the end of the batch
 * (`BatchScope`), in the order they were published. Once flushed it takes no more: a row published
 * after that (by another end-of-batch work's flush) is written at once.
 */
class OutboxBatch implements BatchWork {
  private readonly rows: OutboxRow[] = [];
  private flushed = false;

  constructor(private readonly write: (rows: OutboxRow[]) => Promise<void>) {}

  /** Keep `rows` for the end of the batch; false if the batch's rows are already written. */
  add(rows: OutboxRow[]): boolean {
    if (this.flushed) return false;
    this.rows.push(...rows);
    return true;
  }

  async flush(): Promise<void> {
    this.flushed = true;
    if (this.rows.length > 0) await this.write(this.rows);
  }
}

/**
 * The only way a service publishes. `publish` writes the event into the outbox through the
 * TransactionHost, i.e. inside the caller's transaction: if it rolls back, the event never existed.
 * Outside a transaction it refuses to run. `publishMany` writes a batch the same way in one statement.
 *
 * In a consumer batch (the transaction the ConsumerHost applies a batch of messages in, not a
 * savepoint of it) the rows of all its handlers are written together at the end of the batch, in one
 * statement, still before its COMMIT: the same transaction, the same order, one statement per batch
 * instead of one per message. Each event is built and validated when it is
 * published, so an invalid one still fails its own handler.
 */
@Injectable()
export class Outbox {
  private readonly endOfBatch = new BatchWorkKey('outbox', () => new OutboxBatch((rows) => this.writeWith([], rows)));

  constructor(
    @Inject(BUS_OPTIONS) private readonly options: BusOptions,
    @Inject(TransactionHost) private readonly txHost: TxHost,
    /** The process's relay, woken when what this writes commits; none in a script (its rows wait for a service's sweep). */
    @Optional() private readonly relay?: OutboxRelay,
  ) {}

  async publish<T extends EventType>(type: T, input: PublishInput<T>): Promise<EventEnvelope<T>> {
    if (!inTransaction(this.txHost)) {
      throw new Error(`Outbox.publish(${type}) must run inside a transaction`);
    }
    const envelope = outgoingEnvelope(this.options.service, type, input);
    await this.put([this.row(envelope)]);
    return envelope;
  }

  /**
   * Several events in one round trip: every envelope is built and validated as `publish` does (one
   * invalid event refuses the whole batch, and nothing is written), then one multi-row INSERT, in the
   * order given (the relay publishes by `seq`, woken when the transaction commits). Returns the
   * envelopes in that order.
   */
  async publishMany(events: readonly OutgoingEvent[]): Promise<EventEnvelope[]> {
    if (!inTransaction(this.txHost)) {
      throw new Error(`Outbox.publishMany(${events.length} events) must run inside a transaction`);
    }
    const envelopes: EventEnvelope[] = events.map((e) => outgoingEnvelope(this.options.service, e.type, e as PublishInput<EventType>));
    if (envelopes.length > 0) await this.put(envelopes.map((e) => this.row(e)));
    return envelopes;
  }

  /**
   * The caller's `writes` and the `events` in ONE statement: each write a data-modifying CTE, the
   * events' outbox rows another (in the order given). Postgres runs every part of it or none (a
   * statement is atomic on its own), so a change that is only this needs no transaction: intake's
   * order, its classifier sample and its event are one round trip where BEGIN, three INSERTs and
   * COMMIT were five. Inside a transaction it joins it. The events are built and validated first
   * (an invalid one writes nothing); the rows are written now, never left for the end of a batch.
   */
  async publishWith(writes: readonly Write[], events: readonly OutgoingEvent[]): Promise<EventEnvelope[]> {
    const envelopes: EventEnvelope[] = events.map((e) => outgoingEnvelope(this.options.service, e.type, e as PublishInput<EventType>));
    await this.writeWith(
      writes,
      envelopes.map((e) => this.row(e)),
    );
    return envelopes;
  }

  private row(envelope: EventEnvelope): OutboxRow {
    const traceparent = currentTraceparent();
    return {
      id: envelope.id,
      subject: subjectFor(this.options.prefix, envelope.district, envelope.type),
      type: envelope.type,
      envelope,
      // The trace goes with the row: the relay publishes it in the NATS headers, so the consumers'
      // work joins the trace of the request (or message) that made this change. End-of-batch work
      // publishing for a message runs in that message's trace (`runWithTrace`).
      headers: traceparent ? { traceparent } : {},
    };
  }

  /** At the end of the consumer batch this transaction applies, if it is one; else now. */
  private async put(rows: OutboxRow[]): Promise<void> {
    if (BatchScope.current(this.txHost.tx.queryRunner)?.work(this.endOfBatch).add(rows)) return;
    await this.writeWith([], rows);
  }

  /**
   * `writes` (data-modifying CTEs) and `rows` in one statement, then the relay told (it publishes them
   * once they are committed): the one way this writes, a single row included. The rows are one
   * parameter (jsonb_to_recordset), so the statement is one shape whatever their number; ORDER BY n
   * keeps the order given in seq (nextval is evaluated after the sort).
   */
  private async writeWith(writes: readonly Write[], rows: readonly OutboxRow[]): Promise<void> {
    const { parts, params } = writeParts(writes);
    if (rows.length > 0) {
      params.push(JSON.stringify(rows.map((r, n) => ({ n, ...r }))));
      parts.push(`ins AS (
         INSERT INTO "${this.options.schema}"."outbox" (id, subject, type, envelope, headers)
         SELECT r.id, r.subject, r.type, r.envelope, r.headers
           FROM jsonb_to_recordset($${params.length}::jsonb) AS r(n int, id uuid, subject text, type text, envelope jsonb, headers jsonb)
          ORDER BY r.n)`);
    }
    if (parts.length === 0) return;
    await this.txHost.tx.query(`WITH ${parts.join(', ')} SELECT 1`, params);
    if (rows.length > 0) this.relay?.written(this.txHost.tx.queryRunner);
  }
}
