import { EventEnvelope, EventType, subjectFor } from '@app/contracts';
import { DataSource, EntitySubscriberInterface, QueryRunner, TransactionCommitEvent, TransactionRollbackEvent } from 'typeorm';
import { BusOptions } from '../bus/bus.tokens';
import { OutgoingEvent, outgoingEnvelope, PublishInput, Write, writeParts } from '../bus/outbox';
import { inTransaction, transactionDepth, TxHost } from '../database/transactions';

/** An event the service published in a transaction that committed, with the subject the relay would use. */
export interface RecordedEvent<T extends EventType = EventType> {
  subject: string;
  envelope: EventEnvelope<T>;
}

interface Pending {
  depth: number;
  event: RecordedEvent;
}

/**
 * The bus of the service-level tier: stands in for `Outbox` (provide it under the `Outbox` token) and
 * records what would be published instead of writing the outbox row. It keeps the real outbox's
 * rules: `publish` and `publishMany` join the caller's transaction (the TransactionHost's), refuse to
 * run outside one, and refuse an event its contract rejects (`InvalidEventError`; `publishMany` then
 * records none of its batch), and an event counts as published only when its transaction commits; a
 * rollback (or a rolled-back savepoint) forgets it, as the real outbox row would be.
 */
export class RecordingOutbox {
  private readonly committed: RecordedEvent[] = [];
  private readonly pending = new Map<QueryRunner, Pending[]>();

  constructor(
    private readonly options: Pick<BusOptions, 'service' | 'prefix'>,
    dataSource: DataSource,
    private readonly txHost: TxHost,
  ) {
    dataSource.subscribers.push(this.subscriber());
  }

  /** The same signature and the same refusals as `Outbox.publish`. */
  async publish<T extends EventType>(type: T, input: PublishInput<T>): Promise<EventEnvelope<T>> {
    const runner = this.runnerFor(`Outbox.publish(${type})`);
    const envelope = outgoingEnvelope(this.options.service, type, input);
    this.record(runner, [envelope]);
    return envelope;
  }

  /** The same signature and the same refusals as `Outbox.publishMany`: all of the batch or none of it. */
  async publishMany(events: readonly OutgoingEvent[]): Promise<EventEnvelope[]> {
    const runner = this.runnerFor(`Outbox.publishMany(${events.length} events)`);
    const envelopes: EventEnvelope[] = events.map((e) => outgoingEnvelope(this.options.service, e.type, e as PublishInput<EventType>));
    this.record(runner, envelopes);
    return envelopes;
  }

  /**
   * As `Outbox.publishWith`: the writes run, in one statement as there, and the events are recorded
   * with them: committed at once outside a transaction, else with the caller's transaction.
   */
  async publishWith(writes: readonly Write[], events: readonly OutgoingEvent[]): Promise<EventEnvelope[]> {
    const envelopes: EventEnvelope[] = events.map((e) => outgoingEnvelope(this.options.service, e.type, e as PublishInput<EventType>));
    const { parts, params } = writeParts(writes);
    if (parts.length > 0) await this.txHost.tx.query(`WITH ${parts.join(', ')} SELECT 1`, params);
    const runner = this.txHost.tx.queryRunner;
    if (inTransaction(this.txHost) && runner) this.record(runner, envelopes);
    else this.committed.push(...envelopes.map((envelope) => this.recorded(envelope)));
    return envelopes;
  }

  private runnerFor(what: string): QueryRunner {
    const runner = this.txHost.tx.queryRunner;
    if (!inTransaction(this.txHost) || !runner) throw new Error(`${what} must run inside a transaction`);
    return runner;
  }

  /** Pending at the runner's current depth, until its transaction commits (or forgotten on rollback). */
  private record(runner: QueryRunner, envelopes: EventEnvelope[]): void {
    const list = this.pending.get(runner) ?? [];
    const depth = transactionDepth(runner);
    for (const envelope of envelopes) list.push({ depth, event: this.recorded(envelope) });
    this.pending.set(runner, list);
  }

  /** The envelope with the subject the relay would publish it on. */
  private recorded(envelope: EventEnvelope): RecordedEvent {
    return { subject: subjectFor(this.options.prefix, envelope.district, envelope.type), envelope };
  }

  /** Every committed event, oldest first. */
  get events(): RecordedEvent[] {
    return [...this.committed];
  }

  /** The committed events' types, oldest first: `expect(outbox.types()).toEqual(['ticket.signed.v1'])`. */
  types(): string[] {
    return this.committed.map((e) => e.envelope.type);
  }

  /** The committed envelopes of one type, oldest first. */
  of<T extends EventType>(type: T): EventEnvelope<T>[] {
    return this.committed.filter((e) => e.envelope.type === type).map((e) => e.envelope as EventEnvelope<T>);
  }

  /** The one committed envelope of `type`; throws when there is none or more than one. */
  only<T extends EventType>(type: T): EventEnvelope<T> {
    const found = this.of(type);
    if (found.length !== 1) throw new Error(`expected one ${type}, recorded ${found.length} (all: ${this.types().join(', ') || 'none'})`);
    return found[0];
  }

  /** Forget what was recorded (between the arrange and the act of a test). */
  clear(): void {
    this.committed.length = 0;
  }

  private subscriber(): EntitySubscriberInterface {
    return {
      afterTransactionCommit: (e: TransactionCommitEvent) => {
        // A released savepoint hands its events to the enclosing level, pending until the outer
        // transaction commits: a later savepoint's rollback at the same depth must not take them.
        if (e.queryRunner.isTransactionActive) {
          const depth = transactionDepth(e.queryRunner);
          for (const p of this.pending.get(e.queryRunner) ?? []) if (p.depth > depth) p.depth = depth;
          return;
        }
        this.committed.push(...(this.pending.get(e.queryRunner) ?? []).map((p) => p.event));
        this.pending.delete(e.queryRunner);
      },
      afterTransactionRollback: (e: TransactionRollbackEvent) => {
        if (!e.queryRunner.isTransactionActive) {
          this.pending.delete(e.queryRunner);
          return;
        }
        const depth = transactionDepth(e.queryRunner);
        const kept = (this.pending.get(e.queryRunner) ?? []).filter((p) => p.depth <= depth);
        this.pending.set(e.queryRunner, kept);
      },
    };
  }
}
