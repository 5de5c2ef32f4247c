import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * One row per order, built only from events. Every column is written so that events may arrive in
 * any order and more than once: first-time facts keep the earliest value, counters count event ids
 * the inbox lets through once.
 */
@Entity('ticket_fact')
@Index('idx_ticket_fact_district_dispatched', ['districtCode', 'dispatchedAt'])
@Index('idx_ticket_fact_district_accepted', ['districtCode', 'acceptedAt'])
@Index('idx_ticket_fact_district_replied', ['districtCode', 'firstRepliedAt'])
export class TicketFact {
  @PrimaryColumn('uuid', { name: 'ticket_id' })
  ticketId: string;

  @Column('text', { name: 'district_code' })
  districtCode: string;

  @Column('text', { name: 'order_no', nullable: true })
  orderNo: string | null;

  @Column('text', { nullable: true })
  channel: string | null;

  @Column('text', { name: 'category_code', nullable: true })
  categoryCode: string | null;

  @Column('text', { name: 'request_type', nullable: true })
  requestType: string | null;

  @Column('text', { nullable: true })
  urgency: string | null;

  @Column('uuid', { name: 'unit_id', nullable: true })
  unitId: string | null;

  @Column('timestamptz', { name: 'accepted_at', nullable: true })
  acceptedAt: Date | null;

  @Column('timestamptz', { name: 'answered_at', nullable: true })
  answeredAt: Date | null;

  @Column('timestamptz', { name: 'dispatched_at', nullable: true })
  dispatchedAt: Date | null;

  @Column('timestamptz', { name: 'contacted_at', nullable: true })
  contactedAt: Date | null;

  @Column('timestamptz', { name: 'respond_due_at', nullable: true })
  respondDueAt: Date | null;

  /** Due time of the first handling cycle: the on-time rate compares the first reply with it. */
  @Column('timestamptz', { name: 'first_finish_due_at', nullable: true })
  firstFinishDueAt: Date | null;

  @Column('timestamptz', { name: 'first_replied_at', nullable: true })
  firstRepliedAt: Date | null;

  @Column('timestamptz', { name: 'last_replied_at', nullable: true })
  lastRepliedAt: Date | null;

  @Column('timestamptz', { name: 'closed_at', nullable: true })
  closedAt: Date | null;

  @Column('int', { name: 'merged_count', default: 0 })
  mergedCount: number;

  @Column('int', { name: 'sent_back_count', default: 0 })
  sentBackCount: number;

  @Column('int', { name: 'reopen_count', default: 0 })
  reopenCount: number;

  @Column('boolean', { name: 'respond_breached', default: false })
  respondBreached: boolean;

  @Column('boolean', { name: 'finish_breached', default: false })
  finishBreached: boolean;
}

/** One row per callback task: the citizen's answers, or that they could not be reached. */
@Entity('callback_fact')
@Index('idx_callback_fact_district_completed', ['districtCode', 'completedAt'])
export class CallbackFact {
  @PrimaryColumn('uuid', { name: 'task_id' })
  taskId: string;

  @Column('uuid', { name: 'ticket_id' })
  ticketId: string;

  @Column('text', { name: 'district_code' })
  districtCode: string;

  @Column('uuid', { name: 'unit_id' })
  unitId: string;

  @Column('int')
  cycle: number;

  @Column('timestamptz', { name: 'completed_at' })
  completedAt: Date;

  @Column('boolean')
  failed: boolean;

  @Column('boolean', { nullable: true })
  contacted: boolean | null;

  @Column('boolean', { nullable: true })
  resolved: boolean | null;

  @Column('text', { nullable: true })
  satisfaction: string | null;
}

/** Events per day (city time zone), district and type: every event the platform publishes. */
@Entity('event_daily')
export class EventDaily {
  @PrimaryColumn('date')
  day: string;

  @PrimaryColumn('text', { name: 'district_code' })
  districtCode: string;

  @PrimaryColumn('text')
  type: string;

  @Column('int')
  count: number;
}
