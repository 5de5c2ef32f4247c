import { CallbackChannel, EventEnvelope, QUERY_PATTERNS, QueryMap, ReviewDecision, TicketReviewedV1 } from '@app/contracts';
import { CLOCK, Clock, districtScope, inDistrict, Outbox, Principal } from '@app/platform';
import {
  BadGatewayException,
  ConflictException,
  ForbiddenException,
  GatewayTimeoutException,
  Inject,
  Injectable,
  NotFoundException,
} from '@nestjs/common';
import { ClientProxy } from '@nestjs/microservices';
import { randomUUID } from 'node:crypto';
import { firstValueFrom, timeout, TimeoutError } from 'rxjs';
import { EntityManager } from 'typeorm';
import { CALLBACK_CONFIG, CallbackConfig, INTAKE_QUERIES } from '../callback.config';
import { CallbackAttempt, CallbackTask, TaskState } from './callback-task.entity';
import { AttemptDto, CompleteDto } from './tasks.dto';
import { TasksRepository } from './tasks.repository';

type RevealReply = QueryMap['intake.citizen-contact.reveal.v1']['reply'];

/** 回访: a task per approved reply; agents claim, try, and record the citizen's answers. */
@Injectable()
export class TasksService {
  constructor(
    private readonly tasks: TasksRepository,
    private readonly outbox: Outbox,
    @Inject(INTAKE_QUERIES) private readonly intake: ClientProxy,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(CALLBACK_CONFIG) private readonly config: CallbackConfig,
  ) {}

  async onReviewed(m: EntityManager, e: EventEnvelope<TicketReviewedV1>): Promise<void> {
    if (e.data.decision !== ReviewDecision.Approved) return;
    const reviewedAt = new Date(e.data.reviewedAt);
    await this.tasks.insertIfAbsent(
      m,
      Object.assign(new CallbackTask(), {
        id: randomUUID(),
        ticketId: e.ticketId!,
        districtCode: e.district,
        unitId: e.data.unitId,
        cycle: e.data.cycle,
        state: 'pending',
        dueAt: new Date(reviewedAt.getTime() + this.config.CALLBACK_DUE_HOURS * 3_600_000),
        claimedBy: null,
        claimedAt: null,
        attempts: 0,
        contacted: null,
        resolved: null,
        satisfaction: null,
        comment: null,
        channel: null,
        finishedAt: null,
      }),
    );
  }

  list(user: Principal, state: TaskState | undefined, ticketId: string | undefined, limit: number): Promise<CallbackTask[]> {
    return this.tasks.list(districtScope(user), state, ticketId, limit);
  }

  async get(user: Principal, id: string): Promise<CallbackTask> {
    const t = await this.tasks.find(id);
    if (!t || !inDistrict(user, t.districtCode)) throw new NotFoundException(`no callback task ${id}`);
    return t;
  }

  /** Take a task so no other agent calls the same citizen. */
  claim(user: Principal, id: string): Promise<CallbackTask> {
    return this.step(user, id, false, async (_m, t, now) => {
      if (t.state === 'claimed' && t.claimedBy !== user.id) throw new ConflictException(`task ${id} is held by another agent`);
      if (t.state !== 'pending' && t.state !== 'claimed') throw new ConflictException(`task ${id} is ${t.state}`);
      t.state = 'claimed';
      t.claimedBy = user.id;
      t.claimedAt = now;
    });
  }

  release(user: Principal, id: string): Promise<CallbackTask> {
    return this.step(user, id, true, async (_m, t) => {
      t.state = 'pending';
      t.claimedBy = null;
      t.claimedAt = null;
    });
  }

  /** A failed attempt; after CALLBACK_MAX_ATTEMPTS the callback fails as unreachable. */
  attempt(user: Principal, id: string, dto: AttemptDto): Promise<CallbackTask> {
    return this.step(user, id, true, async (m, t, now) => {
      t.attempts += 1;
      await this.tasks.addAttempt(
        m,
        Object.assign(new CallbackAttempt(), { id: randomUUID(), taskId: t.id, agent: user.id, result: dto.result, at: now }),
      );
      if (t.attempts < this.config.CALLBACK_MAX_ATTEMPTS) return;
      t.state = 'failed';
      t.finishedAt = now;
      await this.outbox.publish(m, 'callback.failed.v1', {
        district: t.districtCode,
        ticketId: t.ticketId,
        occurredAt: now,
        data: {
          taskId: t.id,
          unitId: t.unitId,
          cycle: t.cycle,
          attempts: t.attempts,
          reason: dto.result === 'refused' ? 'refused' : 'unreachable',
          failedAt: now.toISOString(),
        },
      });
    });
  }

  complete(user: Principal, id: string, dto: CompleteDto): Promise<CallbackTask> {
    return this.step(user, id, true, async (m, t, now) => {
      Object.assign(t, {
        state: 'completed',
        contacted: dto.contacted,
        resolved: dto.resolved,
        satisfaction: dto.satisfaction,
        comment: dto.comment ?? null,
        channel: dto.channel ?? CallbackChannel.Phone,
        finishedAt: now,
      });
      await this.outbox.publish(m, 'callback.completed.v1', {
        district: t.districtCode,
        ticketId: t.ticketId,
        occurredAt: now,
        data: {
          taskId: t.id,
          unitId: t.unitId,
          cycle: t.cycle,
          contacted: dto.contacted,
          resolved: dto.resolved,
          satisfaction: dto.satisfaction,
          ...(dto.comment ? { comment: dto.comment } : {}),
          channel: dto.channel ?? CallbackChannel.Phone,
          completedAt: now.toISOString(),
        },
      });
    });
  }

  /** The citizen's phone for the agent holding the task, from intake (which audits the reveal). */
  async contact(user: Principal, id: string): Promise<{ name: string | null; phone: string | null }> {
    const t = await this.get(user, id);
    if (t.state !== 'claimed' || t.claimedBy !== user.id) throw new ConflictException('claim the task before revealing the contact');
    let reply: RevealReply;
    try {
      reply = await firstValueFrom(
        this.intake
          .send<RevealReply>(QUERY_PATTERNS.revealCitizenContact, {
            ticketId: t.ticketId,
            requestedBy: user.id,
            role: 'callback_agent',
            purpose: `callback task ${t.id}`,
          })
          .pipe(timeout(this.config.QUERY_TIMEOUT_MS)),
      );
    } catch (e) {
      if (e instanceof TimeoutError) throw new GatewayTimeoutException('intake did not answer the contact query in time');
      throw new BadGatewayException(`intake could not answer the contact query: ${(e as Error).message ?? String(e)}`);
    }
    if (!reply.ok) throw new ConflictException(`intake refused to reveal the contact: ${reply.error}`);
    return { name: reply.name ?? null, phone: reply.phone ?? null };
  }

  /** Common frame: lock, scope, (optionally) holder check, effect, save; one transaction. */
  private step(
    user: Principal,
    id: string,
    mustHold: boolean,
    effect: (m: EntityManager, t: CallbackTask, now: Date) => Promise<void>,
  ): Promise<CallbackTask> {
    return this.tasks.transaction(async (m) => {
      const t = await this.tasks.lock(m, id);
      if (!t || !inDistrict(user, t.districtCode)) throw new NotFoundException(`no callback task ${id}`);
      if (mustHold) {
        if (t.state !== 'claimed') throw new ConflictException(`task ${id} is ${t.state}; claim it first`);
        if (t.claimedBy !== user.id) throw new ForbiddenException(`task ${id} is held by another agent`);
      }
      await effect(m, t, this.clock.now());
      await this.tasks.save(m, t);
      return t;
    });
  }
}
