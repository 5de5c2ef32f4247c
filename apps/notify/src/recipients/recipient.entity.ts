import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * A person who may be told of something: a staff account as the console announces it
 * (staff.membership-changed.v1, the latest `revision` wins), with the person's own choices (quiet
 * hours, digest, channels). Notify stores no contact: only whether the account has a mobile or an
 * e-mail; the address is asked of the console when a message is sent (StaffContacts).
 */
@Entity('recipient')
@Index('idx_recipient_unit', ['unitId'])
export class Recipient {
  /** The console's account id (the `sub` of the person's tokens). */
  @PrimaryColumn('text', { name: 'person_id' })
  personId: string;

  @Column('text', { name: 'login_name' })
  loginName: string;

  @Column('text', { name: 'display_name' })
  displayName: string;

  @Column('uuid', { name: 'unit_id', nullable: true })
  unitId: string | null;

  @Column('text', { array: true })
  roles: string[];

  @Column('text', { array: true })
  districts: string[];

  @Column('boolean')
  active: boolean;

  @Column('bigint')
  revision: string;

  @Column('boolean', { name: 'has_mobile', default: false })
  hasMobile: boolean;

  @Column('boolean', { name: 'has_email', default: false })
  hasEmail: boolean;

  /** Quiet hours, city time `HH:MM`; null = NOTIFY_QUIET_START/END. Equal start and end = none. */
  @Column('text', { name: 'quiet_start', nullable: true })
  quietStart: string | null;

  @Column('text', { name: 'quiet_end', nullable: true })
  quietEnd: string | null;

  /** Non-urgent SMS and e-mail collected into one message a day at `digestAt` (null = NOTIFY_DIGEST_AT). */
  @Column('boolean', { default: false })
  digest: boolean;

  @Column('text', { name: 'digest_at', nullable: true })
  digestAt: string | null;

  /** Channels the person turned off (`sms`, `email`); the inbox cannot be turned off. */
  @Column('text', { name: 'muted_channels', array: true, default: () => "'{}'" })
  mutedChannels: string[];

  @Column('timestamptz', { name: 'changed_at' })
  changedAt: Date;
}
