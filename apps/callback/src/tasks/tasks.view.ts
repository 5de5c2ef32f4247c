import { CallbackChannel, Satisfaction } from '@app/contracts';
import { ApiProperty } from '@app/platform';
import { AttemptResult, AutoSmsState, CallbackAttempt, CallbackTask, TASK_KINDS, TaskKind, TaskState } from './callback-task.entity';
import { SentLink } from '../survey/survey.service';
import { TaskDetail, TaskView } from './tasks.service';

/*
 * The callback service's answers as its OpenAPI document describes them (the console's types are generated
 * from it). Each class `implements` what the service returns, so a field added to a task without being
 * described here does not compile. Times are ISO 8601 strings on the wire.
 */

const TASK_STATES: TaskState[] = ['pending', 'claimed', 'completed', 'failed'];
const AUTO_SMS_STATES: AutoSmsState[] = ['queued', 'sending', 'sent', 'failed'];
const ATTEMPT_RESULTS: AttemptResult[] = ['no_answer', 'busy', 'wrong_number', 'refused'];
const time = { type: String, format: 'date-time' } as const;
const maybeTime = { ...time, nullable: true } as const;

/** One callback task (回访任务) as stored. */
export class CallbackTaskView implements CallbackTask {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) ticketId: string;
  @ApiProperty() districtCode: string;
  @ApiProperty({ format: 'uuid' }) unitId: string;
  @ApiProperty({ description: 'handling cycle of the order (1, then 2… after a reopen)' }) cycle: number;
  @ApiProperty({ enum: TASK_KINDS, enumName: 'CallbackTaskKind' }) kind: TaskKind;
  @ApiProperty({ enum: TASK_STATES, enumName: 'CallbackTaskState' }) state: TaskState;
  @ApiProperty(time) dueAt: Date;
  @ApiProperty({ type: String, nullable: true, description: 'account id of the agent holding it' }) claimedBy: string | null;
  @ApiProperty(maybeTime) claimedAt: Date | null;
  @ApiProperty() attempts: number;
  @ApiProperty(maybeTime) lastAttemptAt: Date | null;
  @ApiProperty({ description: 'the citizen called about this order more than once' }) repeatCall: boolean;
  @ApiProperty() identityHidden: boolean;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'spot checks: the task it checks' })
  checkedTaskId: string | null;
  @ApiProperty({ type: Boolean, nullable: true }) contacted: boolean | null;
  @ApiProperty({ type: Boolean, nullable: true }) resolved: boolean | null;
  @ApiProperty({ enum: Satisfaction, enumName: 'Satisfaction', nullable: true }) satisfaction: Satisfaction | null;
  @ApiProperty({ type: String, nullable: true }) comment: string | null;
  @ApiProperty({ enum: CallbackChannel, enumName: 'CallbackChannel', nullable: true }) channel: CallbackChannel | null;
  @ApiProperty(maybeTime) finishedAt: Date | null;
  @ApiProperty({ enum: AUTO_SMS_STATES, enumName: 'AutoSmsState', nullable: true }) autoSms: AutoSmsState | null;
  @ApiProperty() autoSmsTries: number;
  @ApiProperty(maybeTime) overdueAt: Date | null;
  @ApiProperty(time) createdAt: Date;
}

/** A task in the queue, with what the agent reads before calling. */
export class TaskListView extends CallbackTaskView implements TaskView {
  @ApiProperty({ type: String, nullable: true }) orderNo: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'the reply as the citizen may hear it' }) publicReply: string | null;
  @ApiProperty({ description: 'past its due time and still open (超期未回访)' }) overdue: boolean;
  @ApiProperty({ ...maybeTime, description: 'after an unanswered attempt: when the citizen may be called again' })
  callableFrom: Date | null;
  @ApiProperty({ ...maybeTime, description: "when the holder's claim lapses" }) claimedUntil: Date | null;
}

/** One call attempt: who called, when, what happened. */
export class CallbackAttemptView implements CallbackAttempt {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) taskId: string;
  @ApiProperty() agent: string;
  @ApiProperty({ enum: ATTEMPT_RESULTS, enumName: 'AttemptResult' }) result: AttemptResult;
  @ApiProperty(time) at: Date;
}

/** One task with its attempts. */
export class TaskDetailView extends TaskListView implements TaskDetail {
  @ApiProperty({ type: [CallbackAttemptView] }) attemptLog: CallbackAttemptView[];
}

/** The citizen's contact, revealed to the agent who holds the task (audited by intake). */
export class TaskContactView {
  @ApiProperty({ type: String, nullable: true }) name: string | null;
  @ApiProperty({ type: String, nullable: true }) phone: string | null;
}

/** The survey link sent by SMS. */
export class SentLinkView implements SentLink {
  @ApiProperty() linkId: string;
  @ApiProperty({ enum: CallbackChannel, enumName: 'CallbackChannel' }) channel: CallbackChannel;
  @ApiProperty({ description: 'the number it went to, masked' }) sentTo: string;
  @ApiProperty(time) expiresAt: string;
}
