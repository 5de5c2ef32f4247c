import { CallbackChannel, Satisfaction } from '@app/contracts';
import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, Unique } from 'typeorm';

export type TaskState = 'pending' | 'claimed' | 'completed' | 'failed';

/**
 * `reply`: a unit's approved reply (one per order and cycle); `first_contact`: a sampled answer given at
 * first contact; `spot_check`: a sampled closed order called again by the supervisors (抽查回访);
 * `expiry`: the time limit expired without a reply and the district's policy calls the citizen then
 * (到期回访, the Beijing rule).
 */
export type TaskKind = 'reply' | 'first_contact' | 'spot_check' | 'expiry';
export const TASK_KINDS: TaskKind[] = ['reply', 'first_contact', 'spot_check', 'expiry'];

/**
 * The automatic SMS survey link of a task: `queued` (to send), `sending` (its link is stored and the
 * provider is being asked), `sent`, `failed` (intake refused, or the provider).
 */
export type AutoSmsState = 'queued' | 'sending' | 'sent' | 'failed';

/** One callback task per order, cycle and kind. */
@Entity('callback_task')
@Unique('uq_callback_task_cycle_kind', ['ticketId', 'cycle', 'kind'])
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

  @Column('text', { default: 'reply' })
  kind: TaskKind;

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

  @Column('timestamptz', { name: 'last_attempt_at', nullable: true })
  lastAttemptAt: Date | null;

  /** The citizen had to call more than once about this matter (intake's `repeat` flag). */
  @Column('boolean', { name: 'repeat_call', default: false })
  repeatCall: boolean;

  /** The citizen asked to stay unknown to the unit: nothing the unit sees may name them. */
  @Column('boolean', { name: 'identity_hidden', default: false })
  identityHidden: boolean;

  /** Spot checks: the first callback task of the same order and cycle. */
  @Column('uuid', { name: 'checked_task_id', nullable: true })
  checkedTaskId: string | null;

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

  /** The survey link sent by SMS without an agent (null: not asked for). */
  @Column('text', { name: 'auto_sms', nullable: true })
  autoSms: AutoSmsState | null;

  @Column('int', { name: 'auto_sms_tries', default: 0 })
  autoSmsTries: number;

  /** When callback.overdue.v1 was raised for this task (once). */
  @Column('timestamptz', { name: 'overdue_at', nullable: true })
  overdueAt: Date | null;

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
