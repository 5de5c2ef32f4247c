import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * What a message may say about an order, learnt from events: its number, category, place at street
 * level, urgency, unit and deadline. Never the citizen, never the content or the address.
 */
@Entity('order_info')
export class OrderInfo {
  @PrimaryColumn('uuid', { name: 'ticket_id' })
  ticketId: string;

  @Column('text', { name: 'district_code' })
  districtCode: string;

  @Column('text', { name: 'order_no', nullable: true })
  orderNo: string | null;

  @Column('text', { name: 'category_code', nullable: true })
  categoryCode: string | null;

  @Column('text', { name: 'place_name', nullable: true })
  placeName: string | null;

  @Column('text', { nullable: true })
  urgency: string | null;

  @Column('uuid', { name: 'unit_id', nullable: true })
  unitId: string | null;

  @Column('text', { name: 'unit_name', nullable: true })
  unitName: string | null;

  @Column('timestamptz', { name: 'finish_due_at', nullable: true })
  finishDueAt: Date | null;

  /** `occurredAt` of the clocks-set event the deadline came from: an older one never overwrites it. */
  @Column('timestamptz', { name: 'due_set_at', nullable: true })
  dueSetAt: Date | null;
}
