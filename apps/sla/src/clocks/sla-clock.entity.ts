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
@Index('idx_sla_clock_open_due', ['dueAt'], { where: 'stopped_at IS NULL' })
@Index('idx_sla_clock_open_window', ['windowEnd', 'startedAt'], { where: 'stopped_at IS NULL' })
@Index('idx_sla_clock_provisional', ['id'], { where: 'provisional AND stopped_at IS NULL' })
@Index('idx_sla_clock_failing', ['id'], { where: 'fail_count > 0' })
export class SlaClock {
  @PrimaryColumn('uuid')
  id: string;

  @Column('uuid', { name: 'ticket_id' })
  ticketId: string;

  @Column('text', { name: 'district_code' })
  districtCode: string;

  /** The unit held to this clock: the one that has the order (see reassign.ts for re-dispatches). */
  @Column('uuid', { name: 'unit_id' })
  unitId: string;

  /**
   * When `unitId` got the order: the `dispatchedAt` of the dispatch that named it, or the clock's
   * start. A re-dispatch of the cycle older than this never takes the clock back.
   */
  @Column('timestamptz', { name: 'unit_assigned_at' })
  unitAssignedAt: Date;

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

  /** Keys of the milestones already fired (see schedule.ts), so none fires twice. */
  @Column('text', { array: true, default: () => "'{}'" })
  fired: string[];

  /** Highest escalation step reached (0 = none). */
  @Column('int', { name: 'escalation_step', default: 0 })
  escalationStep: number;

  @Column('timestamptz', { name: 'escalated_at', nullable: true })
  escalatedAt: Date | null;

  /** Working days added by approved extensions. */
  @Column('int', { name: 'extended_working_days', default: 0 })
  extendedWorkingDays: number;

  /** Time the clock stood still, in minutes of its own unit (working time for working-day limits). */
  @Column('int', { name: 'paused_minutes', default: 0 })
  pausedMinutes: number;

  @Column('timestamptz', { name: 'paused_at', nullable: true })
  pausedAt: Date | null;

  @Column('text', { name: 'pause_reason', nullable: true })
  pauseReason: string | null;

  /**
   * The last instant its schedule reaches (the last escalation step, or the due time): the clock's
   * computation consulted the calendar on the local days from `started_at` to this, so a calendar
   * edit recomputes only the running clocks whose [started_at, window_end] touches the edited days.
   */
  @Column('timestamptz', { name: 'window_end' })
  windowEnd: Date;

  /**
   * Computed (due time or schedule) on the provisional calendar, weekends only, for a year without
   * data (`provisional_years`); recomputed and cleared when the year is declared.
   */
  @Column('boolean', { default: false })
  provisional: boolean;

  @Column('int', { name: 'provisional_years', array: true, default: () => "'{}'" })
  provisionalYears: number[];

  /** Failures since the last success (the tick backs the clock off; other clocks keep firing). */
  @Column('int', { name: 'fail_count', default: 0 })
  failCount: number;

  @Column('text', { name: 'last_error', nullable: true })
  lastError: string | null;

  @Column('timestamptz', { name: 'failed_at', nullable: true })
  failedAt: Date | null;
}
