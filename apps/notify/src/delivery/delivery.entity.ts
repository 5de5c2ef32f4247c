import { Column, Entity, Index, PrimaryColumn, Unique } from 'typeorm';
import type { SendFailureReason } from './channels';

export type DeliveryChannel = 'sms' | 'email' | 'wecom' | 'dingtalk';

/**
 * `pending`: to send at `not_before` (after quiet hours, or the next retry); `digest`: waits for the
 * person's daily digest at `not_before`; `digested`: went out in the digest delivery `digest_id`; `sent`; `failed`: retries spent (5xx, timeouts); `dead`: a
 * dead end no retry can mend (number invalid, webhook refused, no SMTP). Failed and dead are the
 * administrator's (`GET /admin/deliveries`).
 */
export type DeliveryState = 'pending' | 'digest' | 'digested' | 'sent' | 'failed' | 'dead';

/**
 * One message to one person (or one group robot) on one channel for one event: unique on
 * (event id, channel, recipient key), so a redelivered event sends nothing twice. The address is
 * not stored: a person's mobile or e-mail is asked of the console at send time, a robot is looked up
 * by id; `target_masked` keeps the masked address the last attempt went to.
 */
@Entity('message_delivery')
@Unique('uq_message_delivery_event', ['eventId', 'channel', 'recipientKey'])
@Index('idx_message_delivery_due', ['state', 'notBefore'])
export class MessageDelivery {
  @PrimaryColumn('uuid')
  id: string;

  @Column('uuid', { name: 'event_id' })
  eventId: string;

  /** `person:<id>` or `robot:<id>`. */
  @Column('text', { name: 'recipient_key' })
  recipientKey: string;

  @Column('text', { name: 'person_id', nullable: true })
  personId: string | null;

  @Column('uuid', { name: 'robot_id', nullable: true })
  robotId: string | null;

  @Column('text')
  channel: DeliveryChannel;

  @Column('text', { name: 'target_masked' })
  targetMasked: string;

  @Column('text')
  kind: string;

  @Column('boolean')
  urgent: boolean;

  @Column('uuid', { name: 'ticket_id', nullable: true })
  ticketId: string | null;

  @Column('text', { name: 'district_code' })
  districtCode: string;

  @Column('text')
  title: string;

  @Column('text')
  body: string;

  /** The SMS template's parameters (order number, category, place, deadline). */
  @Column('jsonb', { default: () => "'{}'" })
  params: Record<string, string>;

  @Column('text')
  state: DeliveryState;

  @Column('timestamptz', { name: 'not_before' })
  notBefore: Date;

  @Column('int', { default: 0 })
  attempts: number;

  @Column('text', { name: 'last_error', nullable: true })
  lastError: string | null;

  /** The last failure's kind (`SendFailureReason`); null once sent, and for rows from before it was kept. */
  @Column('text', { name: 'last_reason', nullable: true })
  lastReason: SendFailureReason | null;

  @Column('timestamptz', { name: 'sent_at', nullable: true })
  sentAt: Date | null;

  @Column('uuid', { name: 'digest_id', nullable: true })
  digestId: string | null;

  @Column('timestamptz', { name: 'created_at' })
  createdAt: Date;
}

/** One try of a delivery: when, what the provider answered, and what it meant. */
@Entity('send_attempt')
@Index('idx_send_attempt_delivery', ['deliveryId'])
export class SendAttempt {
  @PrimaryColumn('uuid')
  id: string;

  @Column('uuid', { name: 'delivery_id' })
  deliveryId: string;

  @Column('timestamptz')
  at: Date;

  /** `sent`, `retry` (will try again), `failed` (retries spent), `dead` (a dead end). */
  @Column('text')
  outcome: string;

  @Column('text', { nullable: true })
  answer: string | null;

  @Column('text', { nullable: true })
  error: string | null;

  /** The failure's kind (`SendFailureReason`); null for a send that went out. */
  @Column('text', { nullable: true })
  reason: SendFailureReason | null;

  @Column('int', { name: 'duration_ms' })
  durationMs: number;
}
