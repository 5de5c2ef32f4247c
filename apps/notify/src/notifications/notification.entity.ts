import { Column, Entity, Index, PrimaryColumn, Unique } from 'typeorm';

/**
 * One person's inbox entry for one event: unique on (event id, person), so a redelivered or replayed
 * event tells nobody twice. Its SMS, e-mail and robot messages are `message_delivery` rows.
 */
@Entity('notification')
@Unique('uq_notification_event_person', ['eventId', 'personId'])
@Index('idx_notification_inbox', ['personId', 'createdAt'])
export class Notification {
  @PrimaryColumn('uuid')
  id: string;

  @Column('uuid', { name: 'event_id' })
  eventId: string;

  @Column('text', { name: 'person_id' })
  personId: string;

  @Column('text')
  kind: string;

  @Column('boolean')
  urgent: boolean;

  @Column('uuid', { name: 'ticket_id', nullable: true })
  ticketId: string | null;

  @Column('text', { name: 'order_no', nullable: true })
  orderNo: string | null;

  @Column('text', { name: 'district_code' })
  districtCode: string;

  @Column('text')
  title: string;

  @Column('text')
  body: string;

  @Column('timestamptz', { name: 'created_at' })
  createdAt: Date;

  @Column('timestamptz', { name: 'read_at', nullable: true })
  readAt: Date | null;
}
