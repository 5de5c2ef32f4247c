import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/** What a person can be told of (the notifications' kinds). */
export const NOTIFICATION_KINDS = [
  'dispatched',
  'urged',
  'sent_back',
  'reopened',
  'warning',
  'breached',
  'dual_hold',
  'escalated',
  'callback_overdue',
  'supplemented',
  'supervised',
  'supervision_closed',
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

/**
 * Whom a rule reaches, relative to the order: `unit` — members of the order's unit; `district` — people
 * whose districts include the order's (city-wide people too); `district_centre` — members of the
 * district's hotline centre (its leader is the centre's unit_head); `city` — city-wide people only.
 */
export const AUDIENCES = ['unit', 'district', 'district_centre', 'city'] as const;
export type Audience = (typeof AUDIENCES)[number];

export const CHANNELS = ['inbox', 'sms', 'email', 'robot'] as const;
export type Channel = (typeof CHANNELS)[number];

/**
 * 谁收到什么: one row per (kind, roles, audience), optionally for one district only (null = every
 * district). A person is told when they hold every role of `roles` and fall in the audience. The
 * defaults are rows of the migration NotifyInit; an administrator adds and deactivates rules.
 */
@Entity('notify_rule')
@Index('idx_notify_rule_kind', ['kind', 'active'])
export class NotifyRule {
  @PrimaryColumn('uuid')
  id: string;

  @Column('text')
  kind: NotificationKind;

  @Column('text', { array: true })
  roles: string[];

  @Column('text')
  audience: Audience;

  @Column('text', { name: 'district_code', nullable: true })
  districtCode: string | null;

  @Column('text', { array: true })
  channels: Channel[];

  @Column('boolean', { default: true })
  active: boolean;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
