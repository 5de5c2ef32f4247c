import { Channel, RequestType, TicketFlag, Urgency } from '@app/contracts';
import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/** A work order as received. The citizen's identity is encrypted; only masked forms leave intake. */
@Entity('ticket')
@Index('idx_ticket_district_accepted', ['districtCode', 'acceptedAt'])
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

  @Column('text', { name: 'category_code' })
  categoryCode: string;

  @Column('text')
  urgency: Urgency;

  @Column('text')
  content: string;

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

  @Column('boolean', { default: false })
  proactive: boolean;

  @Column('text', { array: true, default: () => "'{}'" })
  flags: TicketFlag[];

  @Column('text', { name: 'created_by' })
  createdBy: string;

  @Column('timestamptz', { name: 'accepted_at' })
  acceptedAt: Date;

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
