import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * One row per order (and per contact answered at first contact or not accepted, 不予受理: never
 * dispatched), built only from events. Every column is written so that events may arrive in
 * any order and more than once: first-time facts keep the earliest value, counters count event ids
 * the inbox lets through once.
 */
@Entity('ticket_fact')
@Index('idx_ticket_fact_district_dispatched', ['districtCode', 'dispatchedAt'])
@Index('idx_ticket_fact_district_accepted', ['districtCode', 'acceptedAt'])
@Index('idx_ticket_fact_district_replied', ['districtCode', 'firstRepliedAt'])
@Index('idx_ticket_fact_wall', ['communityCode', 'acceptedAt'])
@Index('idx_ticket_fact_category_accepted', ['categoryCode', 'acceptedAt'])
export class TicketFact {
  @PrimaryColumn('uuid', { name: 'ticket_id' })
  ticketId: string;

  @Column('text', { name: 'district_code' })
  districtCode: string;

  /** When the order last moved district (转区): an older move arriving late never moves it back. */
  @Column('timestamptz', { name: 'district_moved_at', nullable: true })
  districtMovedAt: Date | null;

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

  /**
   * The unit the order counts for in the per-unit figures: the latest dispatch of the first cycle
   * (a 转办 or an accepted return moves it; see unit-attribution.ts).
   */
  @Column('uuid', { name: 'unit_id', nullable: true })
  unitId: string | null;

  /** That unit's name (ticket.dispatched.v1). */
  @Column('text', { name: 'unit_name', nullable: true })
  unitName: string | null;

  /** `dispatchedAt` of the dispatch that named `unit_id`, so a late older dispatch never takes the order back. */
  @Column('timestamptz', { name: 'unit_dispatched_at', nullable: true })
  unitDispatchedAt: Date | null;

  /** Place of the matter (ticket.accepted.v1 location; the street also from ticket.dispatched.v1). Never the address. */
  @Column('text', { name: 'street_code', nullable: true })
  streetCode: string | null;

  @Column('text', { name: 'community_code', nullable: true })
  communityCode: string | null;

  @Column('double precision', { nullable: true })
  lat: number | null;

  @Column('double precision', { nullable: true })
  lng: number | null;

  @Column('boolean', { nullable: true })
  proactive: boolean | null;

  /** Off the public wall: publicWallOptOut, or identityHidden when the citizen was not asked. Null until accepted. */
  @Column('boolean', { name: 'wall_opt_out', nullable: true })
  wallOptOut: boolean | null;

  /** Highest handling cycle seen (dispatch, clocks, reply, reopen). */
  @Column('int', { default: 0 })
  cycle: number;

  /** The latest public reply (ticket.replied.v1.replyText) and its cycle. */
  @Column('text', { name: 'reply_text', nullable: true })
  replyText: string | null;

  @Column('int', { name: 'reply_cycle', nullable: true })
  replyCycle: number | null;

  /** Finish due time of the latest cycle (sla.clocks-set.v1: latest cycle, then latest event). */
  @Column('timestamptz', { name: 'finish_due_at', nullable: true })
  finishDueAt: Date | null;

  @Column('int', { name: 'finish_due_cycle', nullable: true })
  finishDueCycle: number | null;

  @Column('timestamptz', { name: 'finish_due_set_at', nullable: true })
  finishDueSetAt: Date | null;

  @Column('timestamptz', { name: 'accepted_at', nullable: true })
  acceptedAt: Date | null;

  @Column('timestamptz', { name: 'answered_at', nullable: true })
  answeredAt: Date | null;

  /** 不予受理 (ticket.not-accepted.v1): when the contact was refused, and why. Such a row is never accepted or dispatched. */
  @Column('timestamptz', { name: 'not_accepted_at', nullable: true })
  notAcceptedAt: Date | null;

  /** `NotAcceptedReason`: litigation, arbitration, administrative_review, petition, concluded. */
  @Column('text', { name: 'not_accepted_reason', nullable: true })
  notAcceptedReason: string | null;

  @Column('timestamptz', { name: 'dispatched_at', nullable: true })
  dispatchedAt: Date | null;

  @Column('timestamptz', { name: 'contacted_at', nullable: true })
  contactedAt: Date | null;

  @Column('timestamptz', { name: 'respond_due_at', nullable: true })
  respondDueAt: Date | null;

  /** When sla last set the first cycle's respond due time (the latest setting wins). */
  @Column('timestamptz', { name: 'respond_due_set_at', nullable: true })
  respondDueSetAt: Date | null;

  /** Due time of the first handling cycle: the on-time rate compares the first reply with it. */
  @Column('timestamptz', { name: 'first_finish_due_at', nullable: true })
  firstFinishDueAt: Date | null;

  /** When sla last set the first cycle's finish due time (the latest setting wins, earlier or later). */
  @Column('timestamptz', { name: 'first_finish_due_set_at', nullable: true })
  firstFinishDueSetAt: Date | null;

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
@Index('idx_callback_fact_ticket', ['ticketId'])
@Index('idx_callback_fact_unit_completed', ['unitId', 'completedAt'])
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

  /** What the citizen said (the callback's comment), or why the callback failed; for the drill-down to orders. */
  @Column('text', { nullable: true })
  comment: string | null;

  /** `reply` or `first_contact` (CallbackKind). */
  @Column('text', { default: 'reply' })
  kind: string;
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

/**
 * The daily rollup the rates read: one row per city day, district, dimension set and key, with the
 * counters of docs/architecture.md#the-rates. Maintained in the projector's transaction.
 */
@Entity('rate_daily')
export class RateDaily {
  @PrimaryColumn('text')
  dimension: string;

  @PrimaryColumn('date')
  day: string;

  @PrimaryColumn('text', { name: 'district_code' })
  districtCode: string;

  @PrimaryColumn('text', { name: 'dim_key' })
  dimKey: string;

  @Column('int', { default: 0 }) accepted: number;
  @Column('int', { default: 0 }) answered: number;
  @Column('int', { default: 0 }) merged: number;
  @Column('int', { name: 'not_accepted', default: 0 }) notAccepted: number;
  @Column('int', { default: 0 }) dispatched: number;
  @Column('int', { name: 'responded_on_time', default: 0 }) respondedOnTime: number;
  @Column('int', { default: 0 }) replied: number;
  @Column('int', { name: 'replied_on_time', default: 0 }) repliedOnTime: number;
  @Column('int', { default: 0 }) reworked: number;
  @Column('int', { default: 0 }) closed: number;
  @Column('int', { default: 0 }) callbacks: number;
  @Column('int', { name: 'callbacks_failed', default: 0 }) callbacksFailed: number;
  @Column('int', { default: 0 }) resolved: number;
  @Column('int', { default: 0 }) satisfied: number;
  @Column('int', { name: 'basically_satisfied', default: 0 }) basicallySatisfied: number;
}

/** Names of the handling units, from ticket.dispatched.v1 (the name of the latest dispatch, so arrival order does not matter). */
@Entity('unit_name')
export class UnitName {
  @PrimaryColumn('uuid', { name: 'unit_id' })
  unitId: string;

  @Column('text', { name: 'district_code' })
  districtCode: string;

  @Column('text')
  name: string;

  @Column('timestamptz', { name: 'seen_at' })
  seenAt: Date;
}
