import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

export type RecomputeScope = 'days' | 'year';

/**
 * A recompute of running clocks after a calendar edit, persisted so it resumes after a crash: the
 * request that made the edit runs it, and the tick (or the next boot) finishes what is left. Clocks
 * are visited in id order; `after_id` is the last one done.
 *   days: clocks whose window [started_at, window_end] touches the local days [from_at, to_at)
 *   year: clocks computed provisionally for `year` (declared now)
 */
@Entity('calendar_recompute')
@Index('idx_calendar_recompute_open', ['createdAt'], { where: 'finished_at IS NULL' })
export class CalendarRecompute {
  @PrimaryColumn('uuid')
  id: string;

  @Column('text')
  scope: RecomputeScope;

  @Column('timestamptz', { name: 'from_at', nullable: true })
  fromAt: Date | null;

  @Column('timestamptz', { name: 'to_at', nullable: true })
  toAt: Date | null;

  @Column('int', { nullable: true })
  year: number | null;

  @Column('uuid', { name: 'after_id', default: '00000000-0000-0000-0000-000000000000' })
  afterId: string;

  /** Clocks visited, and those whose due time moved. */
  @Column('int', { default: 0 })
  visited: number;

  @Column('int', { default: 0 })
  moved: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column('timestamptz', { name: 'finished_at', nullable: true })
  finishedAt: Date | null;
}
