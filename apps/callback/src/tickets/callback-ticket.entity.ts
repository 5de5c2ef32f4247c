import { Column, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/**
 * What callback knows about an order from other services' events: the order number and the public
 * reply for the survey page, and the flags behind repeat tracking. Never the citizen's identity.
 */
@Entity('callback_ticket')
export class CallbackTicket {
  @PrimaryColumn('uuid', { name: 'ticket_id' })
  ticketId: string;

  @Column('text', { name: 'district_code' })
  districtCode: string;

  @Column('text', { name: 'order_no', nullable: true })
  orderNo: string | null;

  @Column('text', { array: true, default: () => "'{}'" })
  flags: string[];

  @Column('boolean', { name: 'identity_hidden', default: false })
  identityHidden: boolean;

  /** 未诉先办: raised by a grid worker, a video patrol or a hotspot; no citizen, so never called back. */
  @Column('boolean', { default: false })
  proactive: boolean;

  /** intake's `smsReachable`: a mobile number and no refusal of SMS, so the survey link goes by itself. */
  @Column('boolean', { name: 'sms_reachable', default: false })
  smsReachable: boolean;

  @Column('timestamptz', { name: 'accepted_at', nullable: true })
  acceptedAt: Date | null;

  /** The latest reply as the citizen may read it (ticket.replied.v1 replyText, or the first-contact answer). */
  @Column('text', { name: 'public_reply', nullable: true })
  publicReply: string | null;

  @Column('int', { name: 'reply_cycle', nullable: true })
  replyCycle: number | null;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
