import { Column, CreateDateColumn, Entity, Generated, Index, PrimaryColumn } from 'typeorm';

/**
 * Transactional outbox: an event is written here in the same transaction as the state change it
 * announces, and the relay publishes it to JetStream after commit (msgID = id, so a re-publish is
 * dropped by the server).
 */
@Entity('outbox')
@Index('idx_outbox_pending', ['seq'], { where: 'published_at IS NULL' })
@Index('idx_outbox_published', ['publishedAt'], { where: 'published_at IS NOT NULL' })
export class OutboxRecord {
  @PrimaryColumn('uuid')
  id: string;

  @Column('bigint')
  @Generated('increment')
  seq: string;

  @Column('text')
  subject: string;

  @Column('text')
  type: string;

  @Column('jsonb')
  envelope: Record<string, unknown>;

  @Column('jsonb', { default: () => "'{}'" })
  headers: Record<string, string>;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column('timestamptz', { name: 'published_at', nullable: true })
  publishedAt: Date | null;
}

/** Idempotency: one row per (consumer, event) applied, written in the same transaction as the effect. */
@Entity('inbox')
export class InboxRecord {
  @PrimaryColumn('text')
  consumer: string;

  @PrimaryColumn('uuid', { name: 'event_id' })
  eventId: string;

  @CreateDateColumn({ name: 'processed_at', type: 'timestamptz' })
  processedAt: Date;
}

/** Messages a consumer could not apply: invalid payloads at once, failing handlers after BUS_MAX_DELIVER failures. */
@Entity('dead_letter')
@Index('idx_dead_letter_open', ['createdAt'], { where: 'replayed_at IS NULL' })
@Index('idx_dead_letter_message', ['consumer', 'streamSeq'])
export class DeadLetterRecord {
  @PrimaryColumn('uuid')
  id: string;

  @Column('text')
  consumer: string;

  @Column('text')
  subject: string;

  @Column('bigint', { name: 'stream_seq', nullable: true })
  streamSeq: string | null;

  @Column('text', { name: 'event_id', nullable: true })
  eventId: string | null;

  @Column('text', { name: 'event_type', nullable: true })
  eventType: string | null;

  /** The raw message body, byte for byte as received (it may not be UTF-8, or hold a NUL). */
  @Column('bytea')
  payload: Buffer;

  @Column('jsonb', { default: () => "'{}'" })
  headers: Record<string, string>;

  /**
   * `oversized`, `invalid_encoding`, `malformed_json`, `invalid_envelope`, `unknown_type`, `invalid_payload`,
   * `type_mismatch`, `handler_failed`, `earlier_event_missing`.
   */
  @Column('text')
  reason: string;

  /** Validation errors (`[{field, reason}]`) or the handler's last error message. */
  @Column('jsonb')
  errors: unknown;

  @Column('int')
  deliveries: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column('timestamptz', { name: 'replayed_at', nullable: true })
  replayedAt: Date | null;
}

/**
 * What a consumer remembers about an event it could not apply yet: how many times its handler
 * failed (dead-lettered at BUS_MAX_DELIVER), and since when it has been waiting for an earlier
 * event. Deliveries that failed because the database was down are not counted anywhere. The row
 * goes with the inbox row (applied) or the dead letter.
 */
@Entity('delivery_attempt')
export class DeliveryAttemptRecord {
  @PrimaryColumn('text')
  consumer: string;

  @PrimaryColumn('uuid', { name: 'event_id' })
  eventId: string;

  @Column('int', { name: 'handler_failures', default: 0 })
  handlerFailures: number;

  @Column('timestamptz', { name: 'waiting_since', nullable: true })
  waitingSince: Date | null;

  @Column('text', { name: 'last_error', nullable: true })
  lastError: string | null;

  @Column('timestamptz', { name: 'updated_at', default: () => 'now()' })
  updatedAt: Date;
}

export const BUS_ENTITIES = [OutboxRecord, InboxRecord, DeadLetterRecord, DeliveryAttemptRecord];
