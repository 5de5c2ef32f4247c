import { ClockKind } from '@app/contracts';
import { Column, Entity, Index, PrimaryColumn, Unique } from 'typeorm';

/**
 * One clock of one handling cycle of an order. `next_fire_at` is the next instant the tick must look
 * at it (a warning or the breach); null once stopped or fully fired, so the tick's index holds only
 * what can still fire and its cost grows with what is due, not with what is open.
 */
@Entity('sla_clock')
@Unique('uq_sla_clock_cycle', ['ticketId', 'kind', 'cycle'])
@Index('idx_sla_clock_next_fire', ['nextFireAt'], { where: 'next_fire_at IS NOT NULL' })
export class SlaClock {
  @PrimaryColumn('uuid')
  id: string;

  @Column('uuid', { name: 'ticket_id' })
  ticketId: string;

  @Column('text', { name: 'district_code' })
  districtCode: string;

  @Column('uuid', { name: 'unit_id' })
  unitId: string;

  @Column('text')
  kind: ClockKind;

  @Column('int')
  cycle: number;

  @Column('uuid', { name: 'policy_id' })
  policyId: string;

  @Column('timestamptz', { name: 'started_at' })
  startedAt: Date;

  @Column('timestamptz', { name: 'due_at' })
  dueAt: Date;

  @Column('timestamptz', { name: 'warn_at' })
  warnAt: Date;

  @Column('timestamptz', { name: 'warned_at', nullable: true })
  warnedAt: Date | null;

  @Column('timestamptz', { name: 'breached_at', nullable: true })
  breachedAt: Date | null;

  @Column('timestamptz', { name: 'stopped_at', nullable: true })
  stoppedAt: Date | null;

  @Column('timestamptz', { name: 'next_fire_at', nullable: true })
  nextFireAt: Date | null;
}

/** The next instant a clock can fire, or null. */
export function nextFire(c: Pick<SlaClock, 'stoppedAt' | 'warnedAt' | 'warnAt' | 'breachedAt' | 'dueAt'>): Date | null {
  if (c.stoppedAt) return null;
  if (!c.warnedAt && c.warnAt < c.dueAt) return c.warnAt;
  if (!c.breachedAt) return c.dueAt;
  return null;
}
