import { ReplyOutcome, RequestType, TicketFlag, Urgency } from '@app/contracts';
import { Column, Entity, Generated, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { OrderState } from './order-state';

/** Dispatch's view of an order: where it is, who has it, and how far its handling has come. */
@Entity('work_order')
@Index('idx_work_order_unit_state', ['unitId', 'state'])
@Index('idx_work_order_district_state', ['districtCode', 'state'])
// Worklists are ordered by the finish due time (soonest first) and filtered by it (overdue, due before).
@Index('idx_work_order_unit_due', ['unitId', 'finishDueAt'])
@Index('idx_work_order_district_due', ['districtCode', 'finishDueAt'])
// The district leader's queue: orders held in hand for their sign-off (few, so a partial index).
@Index('idx_work_order_leader_hold', ['districtCode'], { where: 'leader_hold_at IS NOT NULL' })
export class WorkOrder {
  @PrimaryColumn('uuid', { name: 'ticket_id' })
  ticketId: string;

  @Column('text', { name: 'order_no' })
  orderNo: string;

  @Column('text', { name: 'district_code' })
  districtCode: string;

  @Column('text', { name: 'street_code', nullable: true })
  streetCode: string | null;

  /**
   * The community (社区/村) the address lies in, when intake placed it: twelve digits, the code of
   * the community's unit, so the street office's hand-down can offer it first. Cleared when the order
   * moves to another district.
   */
  @Column('text', { name: 'community_code', nullable: true })
  communityCode: string | null;

  @Column('text', { name: 'category_code' })
  categoryCode: string;

  @Column('text', { name: 'request_type' })
  requestType: RequestType;

  @Column('text')
  urgency: Urgency;

  @Column('text', { array: true, default: () => "'{}'" })
  flags: TicketFlag[];

  /** The request text, for the handler (no citizen identity: that is revealed from intake). */
  @Column('text')
  content: string;

  @Column('text')
  address: string;

  @Column('boolean', { name: 'identity_hidden', default: false })
  identityHidden: boolean;

  /** 未诉先办: raised by a grid worker, a video patrol or a confirmed hotspot; no citizen to call back. */
  @Column('boolean', { default: false })
  proactive: boolean;

  /** The district the order was transferred to (转区), while it rests here as `transferred`. */
  @Column('text', { name: 'transferred_to', nullable: true })
  transferredTo: string | null;

  @Column('text')
  state: OrderState;

  @Column('uuid', { name: 'unit_id', nullable: true })
  unitId: string | null;

  @Column('uuid', { name: 'assignment_id', nullable: true })
  assignmentId: string | null;

  @Column('uuid', { name: 'rule_id', nullable: true })
  ruleId: string | null;

  @Column('int', { default: 1 })
  cycle: number;

  /** When the current assignment was made: the return limit (退单时限) counts from it. */
  @Column('timestamptz', { name: 'assigned_at', nullable: true })
  assignedAt: Date | null;

  /** False once a disputed return was decided: the unit assigned after it may not return it (首接负责). */
  @Column('boolean', { default: true })
  returnable: boolean;

  /** What routing suggests (shown to the dispatcher and the district leader); null when no rule matched. */
  @Column('uuid', { name: 'suggested_unit_id', nullable: true })
  suggestedUnitId: string | null;

  @Column('uuid', { name: 'suggested_rule_id', nullable: true })
  suggestedRuleId: string | null;

  /** Handlers the unit (a resident desk, a department) assigned the order to, by user id. */
  /** GIN (migration MemberWorklistIndexes): "orders assigned to me" is `assignees @> ARRAY[me]`. */
  @Index('idx_work_order_assignees', { synchronize: false })
  @Column('text', { array: true, default: () => "'{}'" })
  assignees: string[];

  /** A community (or other child unit) the street office passed the order down to. */
  @Index('idx_work_order_sub_unit')
  @Column('uuid', { name: 'sub_unit_id', nullable: true })
  subUnitId: string | null;

  /** Evidence attached to the reply (photos, documents): name and link, no content. */
  @Column('jsonb', { default: () => "'[]'" })
  attachments: { name: string; url: string }[];

  /** Who wrote the reply now waiting for (or past) the head's sign-off. */
  @Column('text', { name: 'replied_by', nullable: true })
  repliedBy: string | null;

  @Column('int', { name: 'rework_count', default: 0 })
  reworkCount: number;

  @Column('text', { nullable: true })
  outcome: ReplyOutcome | null;

  @Column('text', { name: 'reply_text', nullable: true })
  replyText: string | null;

  @Column('timestamptz', { name: 'respond_due_at', nullable: true })
  respondDueAt: Date | null;

  @Column('timestamptz', { name: 'finish_due_at', nullable: true })
  finishDueAt: Date | null;

  /** sla's warning points (预警) for the two clocks, from `sla.clocks-set.v1`; null when sla did not say. */
  @Column('timestamptz', { name: 'respond_warn_at', nullable: true })
  respondWarnAt: Date | null;

  @Column('timestamptz', { name: 'finish_warn_at', nullable: true })
  finishWarnAt: Date | null;

  /**
   * 双交办 in hand: when a merge made the order repeat or concentrated while a unit had it, in a
   * district whose centre asks for the leader's sign-off (`dualSignoffRequired`). The unit keeps
   * handling it, but its reply waits for the district leader's sign-off (`leader_signoff`), which
   * clears this. Null otherwise (an order flagged before its dispatch waits in `awaiting_leader`).
   */
  @Column('timestamptz', { name: 'leader_hold_at', nullable: true })
  leaderHoldAt: Date | null;

  /** occurredAt of the last due-time event applied, so an older one arriving late is ignored. */
  @Column('timestamptz', { name: 'due_set_at', nullable: true })
  dueSetAt: Date | null;

  /** The handling cycle the due times belong to. */
  @Column('int', { name: 'due_cycle', default: 0 })
  dueCycle: number;

  @Column('timestamptz', { name: 'accepted_at' })
  acceptedAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}

/** The order's timeline: every step, who took it, when and why. */
@Entity('timeline_entry')
@Index('idx_timeline_ticket', ['ticketId', 'at'])
export class TimelineEntry {
  @PrimaryColumn('uuid')
  id: string;

  /** Insertion order: several steps can share one instant (one transaction, a frozen test clock). */
  @Column('bigint')
  @Generated('increment')
  seq: string;

  @Column('uuid', { name: 'ticket_id' })
  ticketId: string;

  @Column('timestamptz')
  at: Date;

  /** User id, or `system:<service>` for steps taken on an event. */
  @Column('text')
  actor: string;

  @Column('text')
  action: string;

  @Column('text', { name: 'from_state', nullable: true })
  fromState: string | null;

  @Column('text', { name: 'to_state', nullable: true })
  toState: string | null;

  @Column('text', { nullable: true })
  note: string | null;

  @Column('jsonb', { default: () => "'{}'" })
  data: Record<string, string | number | boolean | null>;
}
