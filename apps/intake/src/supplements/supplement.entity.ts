import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** 补充诉求: what the citizen added to an order already accepted (published as ticket.supplemented.v1). */
@Entity('supplement')
@Index('idx_supplement_ticket', ['ticketId', 'at'])
export class Supplement {
  @PrimaryColumn('uuid')
  id: string;

  @Column('uuid', { name: 'ticket_id' })
  ticketId: string;

  @Column('text')
  text: string;

  @Column('text', { name: 'created_by' })
  createdBy: string;

  /** Set by the service from its clock: the same instant as the event's supplementedAt. */
  @Column('timestamptz')
  at: Date;
}
