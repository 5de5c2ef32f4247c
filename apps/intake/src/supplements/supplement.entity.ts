import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** 补充诉求: what the citizen added to an order already accepted (published as ticket.supplemented.v1). */
@Entity('supplement')
@Index('idx_supplement_ticket', ['ticketId', 'at'])
@Index('uq_supplement_idempotency', ['ticketId', 'createdBy', 'idempotencyKey'], {
  unique: true,
  where: '"idempotency_key" IS NOT NULL',
})
export class Supplement {
  @PrimaryColumn('uuid')
  id: string;

  @Column('uuid', { name: 'ticket_id' })
  ticketId: string;

  @Column('text')
  text: string;

  /** The operator's person id, or `citizen` for one the citizen added on the status page (with the order's token). */
  @Column('text', { name: 'created_by' })
  createdBy: string;

  /** Set by the service from its clock: the same instant as the event's supplementedAt. */
  @Column('timestamptz')
  at: Date;

  /** The `Idempotency-Key` it was sent with (per order and author): a retry returns this row. */
  @Column('text', { name: 'idempotency_key', nullable: true })
  idempotencyKey: string | null;

  /** SHA-256 of the request body sent with the key: the same key with another body is refused. */
  @Column('text', { name: 'request_hash', nullable: true })
  requestHash: string | null;
}
