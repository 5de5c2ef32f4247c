import { Channel, NotAcceptedReason, RequestType, TicketFlag, Urgency } from '@app/contracts';
import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/** A work order as received. The citizen's identity is encrypted; only masked forms leave intake. */
@Entity('ticket')
@Index('idx_ticket_district_accepted', ['districtCode', 'acceptedAt'])
@Index('idx_ticket_accepted', ['acceptedAt'])
export class Ticket {
  @PrimaryColumn('uuid')
  id: string;

  @Index('uq_ticket_order_no', { unique: true })
  @Column('text', { name: 'order_no' })
  orderNo: string;

  @Column('text')
  channel: Channel;

  @Column('text', { name: 'request_type' })
  requestType: RequestType;

  /** `idx_ticket_match_scope` (district, category root, accepted_at) in the migration: the duplicate check's scan. */
  @Index('idx_ticket_match_scope', { synchronize: false })
  @Column('text', { name: 'category_code' })
  categoryCode: string;

  @Column('text')
  urgency: Urgency;

  /** Trigram GIN index in the migration (words of the content for 工单查询); TypeORM must not drop it. */
  @Index('idx_ticket_content_trgm', { synchronize: false })
  @Column('text')
  content: string;

  /**
   * The content's jieba words (classification/text.ts `tokens`, repeats kept), cut once when the
   * order is written: the duplicate check reads them instead of cutting every candidate's text
   * (duplicates.repository.ts); null for orders from before it.
   */
  @Column('text', { name: 'match_words', array: true, nullable: true, select: false })
  matchWords?: string[] | null;

  @Column('text')
  address: string;

  @Column('text', { name: 'district_code' })
  districtCode: string;

  @Column('text', { name: 'street_code', nullable: true })
  streetCode: string | null;

  @Column('text', { name: 'community_code', nullable: true })
  communityCode: string | null;

  @Column('double precision', { nullable: true })
  lat: number | null;

  @Column('double precision', { nullable: true })
  lng: number | null;

  @Column('text', { name: 'citizen_name_enc', nullable: true })
  citizenNameEnc: string | null;

  @Column('text', { name: 'citizen_phone_enc', nullable: true })
  citizenPhoneEnc: string | null;

  @Index('idx_ticket_phone_hash')
  @Column('text', { name: 'citizen_phone_hash', nullable: true })
  citizenPhoneHash: string | null;

  /** Kept for masking without decrypting: `138****5678`. */
  @Column('text', { name: 'citizen_phone_masked', nullable: true })
  citizenPhoneMasked: string | null;

  @Column('text', { name: 'citizen_name_masked', nullable: true })
  citizenNameMasked: string | null;

  @Column('boolean', { name: 'identity_hidden', default: false })
  identityHidden: boolean;

  /** 不接收短信: the citizen refused text messages; callback sends no SMS survey link. */
  @Column('boolean', { name: 'sms_opt_out', default: false })
  smsOptOut: boolean;

  @Column('boolean', { default: false })
  proactive: boolean;

  /** The citizen asked to keep the order off the public problem wall (true) or agreed to it (false); null: not asked (then identityHidden decides). */
  @Column('boolean', { name: 'public_wall_opt_out', nullable: true })
  publicWallOptOut: boolean | null;

  @Column('text', { array: true, default: () => "'{}'" })
  flags: TicketFlag[];

  /** Fully anonymous (no name, no phone): allowed only on channels listed in ANONYMOUS_CHANNELS. */
  @Column('boolean', { default: false })
  anonymous: boolean;

  /** What became of the contact: dispatched, answered at first contact, not accepted, or merged. */
  @Column('text', { default: 'dispatch' })
  disposition: Disposition;

  /** For a merged contact: the open order it joined. */
  @Index('idx_ticket_merged_into')
  @Column('uuid', { name: 'merged_into', nullable: true })
  mergedInto: string | null;

  /** Distinct citizens on the order (itself and the contacts merged into it). */
  @Column('int', { name: 'citizen_count', default: 1 })
  citizenCount: number;

  @Column('text', { name: 'not_accepted_reason', nullable: true })
  notAcceptedReason: NotAcceptedReason | null;

  /** What the citizen was told at first contact: the answer, or where to go when not accepted. Public. */
  @Column('text', { name: 'public_answer', nullable: true })
  publicAnswer: string | null;

  @Column('uuid', { name: 'article_id', nullable: true })
  articleId: string | null;

  /** The classifier's first choice when the operator asked for a suggestion. */
  @Column('text', { name: 'suggested_category', nullable: true })
  suggestedCategory: string | null;

  /** How the district was found: given by the caller, resolved from the gazetteer, or sent to triage. */
  @Column('text', { name: 'location_source', default: 'given' })
  locationSource: LocationSource;

  /** Progress as learnt from dispatch's events, for the citizen's status lookup and Open311. */
  @Column('text', { default: 'accepted' })
  progress: Progress;

  /** (cycle, rank) of the last progress event applied: a late event never moves the order back. */
  @Column('int', { name: 'progress_cycle', default: 0 })
  progressCycle: number;

  @Column('int', { name: 'progress_rank', default: 0 })
  progressRank: number;

  @Column('timestamptz', { name: 'progress_at', nullable: true })
  progressAt: Date | null;

  /** The unit handling it (from ticket.dispatched.v1): its members may reveal the contact. */
  @Column('uuid', { name: 'unit_id', nullable: true })
  unitId: string | null;

  @Column('text', { name: 'unit_name', nullable: true })
  unitName: string | null;

  /**
   * The handling unit's own assignment (ticket.assigned.v1): the people it named and the unit it
   * passed the order down to may reveal the contact too, while `assignedUnitId` is still `unitId`.
   */
  @Column('uuid', { name: 'assigned_unit_id', nullable: true })
  assignedUnitId: string | null;

  @Column('uuid', { name: 'sub_unit_id', nullable: true })
  subUnitId: string | null;

  @Column('text', { array: true, default: () => "'{}'" })
  assignees: string[];

  @Column('timestamptz', { name: 'assigned_at', nullable: true })
  assignedAt: Date | null;

  /** The handling unit's reply as the citizen may read it (ticket.replied.v1 replyText). */
  @Column('text', { name: 'public_reply', nullable: true })
  publicReply: string | null;

  @Column('text', { name: 'created_by' })
  createdBy: string;

  @Column('timestamptz', { name: 'accepted_at' })
  acceptedAt: Date;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}

export type Disposition = 'dispatch' | 'answered' | 'not_accepted' | 'merged';
export type Progress = 'accepted' | 'processing' | 'replied' | 'closed' | 'answered' | 'not_accepted' | 'merged';
/** `dispatcher`: a dispatcher moved the order to another district (转区). */
export type LocationSource = 'given' | 'gazetteer' | 'triage' | 'dispatcher';

/** A retried submission with the same `Idempotency-Key` (per caller) returns the first order. */
@Entity('idempotency_key')
export class IdempotencyKey {
  @PrimaryColumn('text')
  scope: string;

  @PrimaryColumn('text')
  key: string;

  /** SHA-256 of the request body: the same key with another body is refused. */
  @Column('text', { name: 'request_hash' })
  requestHash: string;

  @Column('uuid', { name: 'ticket_id' })
  ticketId: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}

/** One row per calendar day in the city's time zone: the last order number handed out. */
@Entity('order_sequence')
export class OrderSequence {
  @PrimaryColumn('date')
  day: string;

  @Column('int')
  last: number;
}

/** Every reveal of a citizen's contact: who, for which order, why. */
@Entity('reveal_audit')
@Index('idx_reveal_audit_ticket', ['ticketId'])
export class RevealAudit {
  @PrimaryColumn('uuid')
  id: string;

  @Column('uuid', { name: 'ticket_id' })
  ticketId: string;

  @Column('text', { name: 'requested_by' })
  requestedBy: string;

  @Column('text')
  role: string;

  @Column('text')
  purpose: string;

  @Column('boolean')
  granted: boolean;

  @CreateDateColumn({ name: 'at', type: 'timestamptz' })
  at: Date;
}
