import { CallbackChannel, Satisfaction } from '@app/contracts';
import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, Unique } from 'typeorm';

export type TaskState = 'pending' | 'claimed' | 'completed' | 'failed';

/** One callback per approved reply (per handling cycle). */
@Entity('callback_task')
@Unique('uq_callback_task_cycle', ['ticketId', 'cycle'])
@Index('idx_callback_task_queue', ['districtCode', 'state', 'dueAt'])
export class CallbackTask {
  @PrimaryColumn('uuid')
  id: string;

  @Column('uuid', { name: 'ticket_id' })
  ticketId: string;

  @Column('text', { name: 'district_code' })
  districtCode: string;

  @Column('uuid', { name: 'unit_id' })
  unitId: string;

  @Column('int')
  cycle: number;

  @Column('text')
  state: TaskState;

  @Column('timestamptz', { name: 'due_at' })
  dueAt: Date;

  @Column('text', { name: 'claimed_by', nullable: true })
  claimedBy: string | null;

  @Column('timestamptz', { name: 'claimed_at', nullable: true })
  claimedAt: Date | null;

  @Column('int', { default: 0 })
  attempts: number;

  @Column('boolean', { nullable: true })
  contacted: boolean | null;

  @Column('boolean', { nullable: true })
  resolved: boolean | null;

  @Column('text', { nullable: true })
  satisfaction: Satisfaction | null;

  @Column('text', { nullable: true })
  comment: string | null;

  @Column('text', { nullable: true })
  channel: CallbackChannel | null;

  @Column('timestamptz', { name: 'finished_at', nullable: true })
  finishedAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}

export type AttemptResult = 'no_answer' | 'busy' | 'wrong_number' | 'refused';

@Entity('callback_attempt')
@Index('idx_callback_attempt_task', ['taskId'])
export class CallbackAttempt {
  @PrimaryColumn('uuid')
  id: string;

  @Column('uuid', { name: 'task_id' })
  taskId: string;

  @Column('text')
  agent: string;

  @Column('text')
  result: AttemptResult;

  @Column('timestamptz')
  at: Date;
}
