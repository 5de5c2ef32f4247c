import { CallbackChannel, CallbackKind, Satisfaction, SpotCheckOutcome } from '@app/contracts';
import { Outbox } from '@app/platform';
import { Injectable } from '@nestjs/common';
import { CallbackTask } from './callback-task.entity';
import { TasksRepository } from './tasks.repository';

export interface Answers {
  contacted: boolean;
  resolved: boolean;
  satisfaction: Satisfaction;
  comment?: string;
}

/** Resolved and not unsatisfied: dispatch closes the order on such an answer, and reopens it otherwise. */
export const isSolved = (a: { resolved: boolean | null; satisfaction: Satisfaction | null }) =>
  a.resolved === true && a.satisfaction !== null && a.satisfaction !== Satisfaction.Unsatisfied;

/**
 * How a finished task is announced, in the caller's transaction. Reply and first-contact callbacks
 * publish callback.completed/failed.v1; spot checks publish only callback.spot-checked.v1 and
 * expiry callbacks (到期回访) callback.expiry-checked.v1, so they never move the order and never
 * replace the first callback's answers.
 */
@Injectable()
export class CallbackOutcomes {
  constructor(
    private readonly tasks: TasksRepository,
    private readonly outbox: Outbox,
  ) {}

  async answered(t: CallbackTask, a: Answers, channel: CallbackChannel, now: Date): Promise<void> {
    const comment = a.comment?.trim() ? a.comment.trim() : undefined;
    Object.assign(t, {
      state: 'completed',
      contacted: a.contacted,
      resolved: a.resolved,
      satisfaction: a.satisfaction,
      comment: comment ?? null,
      channel,
      finishedAt: now,
    });
    const base = { district: t.districtCode, ticketId: t.ticketId, occurredAt: now };
    if (t.kind === 'spot_check' || t.kind === 'expiry') {
      const first = t.checkedTaskId ? await this.tasks.lock(t.checkedTaskId) : null;
      await this.outbox.publish(t.kind === 'expiry' ? 'callback.expiry-checked.v1' : 'callback.spot-checked.v1', {
        ...base,
        data: {
          taskId: t.id,
          ...(t.checkedTaskId ? { checkedTaskId: t.checkedTaskId } : {}),
          unitId: t.unitId,
          cycle: t.cycle,
          outcome: SpotCheckOutcome.Answered,
          contacted: a.contacted,
          resolved: a.resolved,
          satisfaction: a.satisfaction,
          ...(first?.state === 'completed' ? { agreesWithCallback: isSolved(first) === isSolved(a) } : {}),
          ...(comment ? { comment } : {}),
          channel,
          attempts: t.attempts,
          checkedAt: now.toISOString(),
        },
      });
      return;
    }
    await this.outbox.publish('callback.completed.v1', {
      ...base,
      data: {
        taskId: t.id,
        unitId: t.unitId,
        cycle: t.cycle,
        contacted: a.contacted,
        resolved: a.resolved,
        satisfaction: a.satisfaction,
        ...(comment ? { comment } : {}),
        channel,
        completedAt: now.toISOString(),
        kind: t.kind === 'first_contact' ? CallbackKind.FirstContact : CallbackKind.Reply,
        repeatCall: t.repeatCall,
      },
    });
  }

  /** The citizen could not be reached (`unreachable`), the number was wrong, or they refused. */
  async failed(t: CallbackTask, reason: string, now: Date): Promise<void> {
    t.state = 'failed';
    t.finishedAt = now;
    const base = { district: t.districtCode, ticketId: t.ticketId, occurredAt: now };
    if (t.kind === 'spot_check' || t.kind === 'expiry') {
      await this.outbox.publish(t.kind === 'expiry' ? 'callback.expiry-checked.v1' : 'callback.spot-checked.v1', {
        ...base,
        data: {
          taskId: t.id,
          ...(t.checkedTaskId ? { checkedTaskId: t.checkedTaskId } : {}),
          unitId: t.unitId,
          cycle: t.cycle,
          outcome: SpotCheckOutcome.Unreachable,
          comment: reason,
          channel: CallbackChannel.Phone,
          attempts: t.attempts,
          checkedAt: now.toISOString(),
        },
      });
      return;
    }
    await this.outbox.publish('callback.failed.v1', {
      ...base,
      data: {
        taskId: t.id,
        unitId: t.unitId,
        cycle: t.cycle,
        attempts: t.attempts,
        reason,
        failedAt: now.toISOString(),
        kind: t.kind === 'first_contact' ? CallbackKind.FirstContact : CallbackKind.Reply,
        repeatCall: t.repeatCall,
      },
    });
  }
}
