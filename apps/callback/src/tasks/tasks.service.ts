import { CallbackChannel, CloseReason, EventEnvelope, ClockKind, ReviewDecision, TicketFlag } from '@app/contracts';
import {
  CLOCK,
  Clock,
  districtScope,
  EarlyEventError,
  hasRole,
  inDistrict,
  Outbox,
  Principal,
  Role,
  TransactionHost,
  TxHost,
} from '@app/platform';
import { ConflictException, ForbiddenException, Inject, Injectable, Logger, NotFoundException } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { CALLBACK_CONFIG, CallbackConfig } from '../callback.config';
import { CallbackTicketRepository } from '../tickets/callback-ticket.repository';
import { CallbackOutcomes } from './callback-outcomes';
import { addWorkingDays, CalendarGapError, isUnreachable, sampled } from './callback-policy';
import { CallbackAttempt, CallbackTask, TaskKind } from './callback-task.entity';
import { ExpiryPolicyService } from '../policies/expiry-policy.service';
import { CitizenContact, IntakeContacts } from './intake-contacts';
import { AttemptDto, CompleteDto, ListTasksQuery } from './tasks.dto';
import { TasksRepository } from './tasks.repository';

/** A task as the queue shows it: the order's number, the reply the citizen heard, and its timing. */
export interface TaskView extends CallbackTask {
  orderNo: string | null;
  /** The reply as the citizen may read it (the unit's public reply, or the first-contact answer). */
  publicReply: string | null;
  /** Past its due time and still open (超期未回访). */
  overdue: boolean;
  /** After an unanswered attempt: when the citizen may be called again (null: now). */
  callableFrom: Date | null;
  /** When the holder's claim lapses (null: not claimed). */
  claimedUntil: Date | null;
}

/** One task with its attempts (who called, when, what happened). */
export interface TaskDetail extends TaskView {
  attemptLog: CallbackAttempt[];
}

/** Which team works a kind of task: callback agents call replies and first-contact answers; supervisors spot-check. */
export function teamOf(kind: TaskKind): Role {
  return kind === 'spot_check' ? 'supervisor' : 'callback_agent';
}

const KINDS_OF: Record<string, TaskKind[]> = { callback_agent: ['reply', 'first_contact', 'expiry'], supervisor: ['spot_check'] };

/** 回访: tasks from approved replies, sampled first-contact answers and sampled closed orders; claim, call, record. */
@Injectable()
export class TasksService {
  private readonly log = new Logger(TasksService.name);

  constructor(
    @Inject(TransactionHost) private readonly txHost: TxHost,
    private readonly tasks: TasksRepository,
    private readonly tickets: CallbackTicketRepository,
    private readonly outcomes: CallbackOutcomes,
    private readonly contacts: IntakeContacts,
    private readonly outbox: Outbox,
    private readonly expiryPolicy: ExpiryPolicyService,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(CALLBACK_CONFIG) private readonly config: CallbackConfig,
  ) {}

  // ---- from events ------------------------------------------------------------------------------

  /** An approved reply: the citizen is called back, due within CALLBACK_DUE_WORKING_DAYS. */
  async onReviewed(e: EventEnvelope<'ticket.reviewed.v1'>): Promise<void> {
    if (e.data.decision !== ReviewDecision.Approved) return;
    // 未诉先办: nobody asked, nobody is called; dispatch closes the order on approval.
    if ((await this.tickets.find(e.ticketId))?.proactive) return;
    const start = new Date(e.data.reviewedAt);
    await this.create(
      e.ticketId,
      e.district,
      e.data.unitId,
      e.data.cycle,
      'reply',
      this.dueAfter(start, this.config.CALLBACK_DUE_WORKING_DAYS),
    );
  }

  /** A sample of the answers given at first contact (直接答复) is called back too, credited to the hotline centre. */
  async onAnswered(e: EventEnvelope<'ticket.answered.v1'>): Promise<void> {
    await this.tickets.upsertReply(e.ticketId, e.district, e.data.answer, 1, e.data.orderNo);
    if (!sampled('first_contact', e.ticketId, this.config.CALLBACK_FIRST_CONTACT_PERCENT)) return;
    const start = new Date(e.data.answeredAt);
    const unit = this.config.CALLBACK_FIRST_CONTACT_UNIT_ID;
    await this.create(e.ticketId, e.district, unit, 1, 'first_contact', this.dueAfter(start, this.config.CALLBACK_DUE_WORKING_DAYS));
  }

  /** A sample of closed orders goes to the supervisors' spot-check queue (抽查回访). */
  async onClosed(e: EventEnvelope<'ticket.closed.v1'>): Promise<void> {
    if (e.data.closeReason === CloseReason.ProactiveNoCallback) return;
    if (!sampled('spot_check', e.ticketId, this.config.CALLBACK_SPOT_CHECK_PERCENT)) return;
    const first = await this.tasks.findOf(e.ticketId, e.data.cycle, 'reply');
    const due = this.dueAfter(new Date(e.data.closedAt), this.config.CALLBACK_SPOT_CHECK_DUE_WORKING_DAYS);
    await this.create(e.ticketId, e.district, e.data.unitId, e.data.cycle, 'spot_check', due, first?.id ?? null);
  }

  /**
   * Intake's flags (repeat caller) and the citizen's wish to stay hidden from the unit, for the
   * orders of a batch's acceptances, in their order (two statements for the batch).
   */
  async onAccepted(events: readonly EventEnvelope<'ticket.accepted.v1'>[]): Promise<void> {
    await this.tickets.upsertAccepted(
      events.map(({ ticketId, data: d }) => ({
        ticketId,
        districtCode: d.location.districtCode,
        orderNo: d.orderNo,
        flags: d.flags,
        identityHidden: d.identityHidden,
        proactive: d.proactive,
        smsReachable: d.smsReachable ?? false,
        acceptedAt: new Date(d.acceptedAt),
      })),
    );
    await this.tasks.markTickets(
      events.map(({ ticketId, data: d }) => ({
        ticketId,
        repeatCall: d.flags.includes(TicketFlag.Repeat),
        identityHidden: d.identityHidden,
      })),
    );
  }

  /**
   * 合并: another contact joined the order, and the flags the order has after it (`repeat`: the same
   * citizen asked again, 重复件; `concentrated`: enough citizens asked, 集中件) join callback's copy,
   * which every task made from now on reads; `repeat` marks the order's tasks at once. Flags only
   * grow, so merges and the acceptance applied in any order agree: a merge before its order's
   * acceptance is kept on the order's row (as a reply is), never waited for.
   */
  async onMerged(e: EventEnvelope<'ticket.merged.v1'>): Promise<void> {
    const flags = e.data.flags ?? [];
    if (flags.length === 0) return;
    await this.tickets.addFlags(e.ticketId, e.district, flags);
    if (flags.includes(TicketFlag.Repeat)) await this.tasks.markRepeat(e.ticketId);
  }

  /**
   * 到期回访 (the Beijing rule): the finish time limit expired without a reply, and the district's
   * policy (`expiry_policy`, set by a city-scope administrator) calls the citizen then. One task per order and cycle, of its
   * own kind: its answers never close or reopen the order.
   */
  async onBreached(e: EventEnvelope<'sla.breached.v1'>): Promise<void> {
    if (e.data.kind !== ClockKind.Finish) return;
    if (!(await this.expiryPolicy.applies(e.district))) return;
    if ((await this.tickets.find(e.ticketId))?.proactive) return;
    const due = this.dueAfter(new Date(e.data.breachedAt), this.config.CALLBACK_DUE_WORKING_DAYS);
    await this.create(e.ticketId, e.district, e.data.unitId, e.data.cycle, 'expiry', due);
  }

  /** 转区: the order's callback work follows it to its new district's queue. */
  async onRedistricted(e: EventEnvelope<'ticket.redistricted.v1'>): Promise<void> {
    const d = e.data;
    const now = await this.tickets.moveDistrict(e.ticketId, d.fromDistrictCode, d.districtCode);
    if (now === d.districtCode) return;
    // Its acceptance, or an earlier move, has not arrived yet: retry later.
    throw new EarlyEventError(`order ${e.ticketId} is in district ${now}, not ${d.fromDistrictCode}; waiting for the earlier event`);
  }

  /** The public reply, shown on the survey page. */
  async onReplied(e: EventEnvelope<'ticket.replied.v1'>): Promise<void> {
    await this.tickets.upsertReply(e.ticketId, e.district, e.data.replyText, e.data.cycle);
  }

  /**
   * 回访逾期: open tasks past their due time raise callback.overdue.v1 once (notify tells the callback
   * team lead), in the transaction that marks them.
   */
  raiseOverdue(limit: number): Promise<number> {
    const now = this.clock.now();
    return this.txHost.withTransaction(async () => {
      const due = await this.tasks.lockOverdue(now, limit);
      for (const t of due) {
        t.overdueAt = now;
        await this.tasks.save(t);
        await this.outbox.publish('callback.overdue.v1', {
          district: t.districtCode,
          ticketId: t.ticketId,
          occurredAt: now,
          data: {
            taskId: t.id,
            unitId: t.unitId,
            cycle: t.cycle,
            taskKind: t.kind,
            dueAt: t.dueAt.toISOString(),
            overdueAt: now.toISOString(),
          },
        });
      }
      return due.length;
    });
  }

  // ---- the queue --------------------------------------------------------------------------------

  async list(user: Principal, q: ListTasksQuery): Promise<TaskView[]> {
    const now = this.clock.now();
    const rows = await this.tasks.list({
      districts: districtScope(user),
      state: q.state,
      kind: q.kind,
      ticketId: q.ticketId,
      repeatCall: q.repeatCall,
      overdueAt: q.overdue ? now : undefined,
      claimedBy: q.mine ? user.id : undefined,
      limit: q.limit ?? 100,
    });
    const tickets = await this.tickets.findMany([...new Set(rows.map((t) => t.ticketId))]);
    return rows.map((t) => this.view(t, tickets.get(t.ticketId) ?? null, now));
  }

  async get(user: Principal, id: string): Promise<CallbackTask> {
    const t = await this.tasks.find(id);
    if (!t || !inDistrict(user, t.districtCode)) throw new NotFoundException(`no callback task ${id}`);
    return t;
  }

  /** One task as its page shows it: the order's number and reply, the timing, every attempt. */
  async detail(user: Principal, id: string): Promise<TaskDetail> {
    const t = await this.get(user, id);
    const [ticket, attemptLog] = await Promise.all([this.tickets.find(t.ticketId), this.tasks.attempts(t.id)]);
    return { ...this.view(t, ticket, this.clock.now()), attemptLog };
  }

  private view(t: CallbackTask, ticket: { orderNo: string | null; publicReply: string | null } | null, now: Date): TaskView {
    const open = t.state === 'pending' || t.state === 'claimed';
    const next = t.lastAttemptAt ? new Date(t.lastAttemptAt.getTime() + this.config.CALLBACK_ATTEMPT_GAP_MINUTES * 60_000) : null;
    return {
      ...t,
      orderNo: ticket?.orderNo ?? null,
      publicReply: ticket?.publicReply ?? null,
      overdue: open && t.dueAt < now,
      callableFrom: open && next && next > now ? next : null,
      claimedUntil: t.state === 'claimed' && t.claimedAt ? this.leaseEnd(t) : null,
    };
  }

  /** Take a task so no other agent calls the same citizen. A claim older than CALLBACK_CLAIM_MINUTES lapses. */
  claim(user: Principal, id: string): Promise<CallbackTask> {
    return this.step(user, id, false, async (t, now) => {
      if (t.state === 'claimed' && t.claimedBy !== user.id && !this.lapsed(t, now)) {
        throw new ConflictException(`task ${id} is held by another agent until ${this.leaseEnd(t).toISOString()}`);
      }
      if (t.state !== 'pending' && t.state !== 'claimed') throw new ConflictException(`task ${id} is ${t.state}`);
      this.ensureGap(t, now);
      t.state = 'claimed';
      t.claimedBy = user.id;
      t.claimedAt = now;
    });
  }

  /** Claim the earliest-due open task of the caller's team(s) in scope; null when the queue is empty. */
  async claimNext(user: Principal): Promise<CallbackTask | null> {
    const kinds = Object.entries(KINDS_OF).flatMap(([role, k]) => (hasRole(user, role as Role) ? k : []));
    if (kinds.length === 0) throw new ForbiddenException('no callback team for your roles');
    const now = this.clock.now();
    return this.txHost.withTransaction(async () => {
      const leaseCutoff = new Date(now.getTime() - this.config.CALLBACK_CLAIM_MINUTES * 60_000);
      const retryCutoff = new Date(now.getTime() - this.config.CALLBACK_ATTEMPT_GAP_MINUTES * 60_000);
      const t = await this.tasks.lockNext(districtScope(user), kinds, leaseCutoff, retryCutoff);
      if (!t) return null;
      Object.assign(t, { state: 'claimed', claimedBy: user.id, claimedAt: now });
      await this.tasks.save(t);
      return t;
    });
  }

  release(user: Principal, id: string): Promise<CallbackTask> {
    return this.step(user, id, true, async (t) => {
      t.state = 'pending';
      t.claimedBy = null;
      t.claimedAt = null;
    });
  }

  /** The citizen's contact for the member holding the task, from intake (which audits the reveal). */
  async contact(user: Principal, id: string): Promise<CitizenContact> {
    const t = await this.heldTask(user, id, 'revealing the contact');
    return this.revealContact(user, t, `${t.kind === 'spot_check' ? 'spot check' : 'callback'} task ${t.id}`);
  }

  /** A task in the caller's scope, of their team, that they hold; `doing` names the step refused when they do not. */
  async heldTask(user: Principal, id: string, doing: string): Promise<CallbackTask> {
    const t = await this.get(user, id);
    this.ensureTeam(user, t);
    if (t.state !== 'claimed' || t.claimedBy !== user.id) throw new ConflictException(`claim the task before ${doing}`);
    return t;
  }

  /** The citizen's contact for a held task, asked of intake as the task's team (intake audits it with `purpose`). */
  revealContact(user: Principal, t: CallbackTask, purpose: string): Promise<CitizenContact> {
    return this.contacts.reveal(user, t.ticketId, teamOf(t.kind) === 'supervisor' ? 'supervisor' : 'callback_agent', purpose);
  }

  /**
   * A failed call. Wrong number and refusal end the callback at once; no answer and busy end it as
   * unreachable after CALLBACK_MAX_ATTEMPTS spread over CALLBACK_ATTEMPT_DAYS days. Otherwise the task
   * goes back to the queue, callable again after CALLBACK_ATTEMPT_GAP_MINUTES.
   */
  attempt(user: Principal, id: string, dto: AttemptDto): Promise<CallbackTask> {
    return this.step(user, id, true, async (t, now) => {
      this.ensureGap(t, now);
      t.attempts += 1;
      t.lastAttemptAt = now;
      await this.tasks.addAttempt(
        Object.assign(new CallbackAttempt(), { id: randomUUID(), taskId: t.id, agent: user.id, result: dto.result, at: now }),
      );
      if (dto.result === 'wrong_number' || dto.result === 'refused') return this.outcomes.failed(t, dto.result, now);
      const times = await this.tasks.attemptTimes(t.id);
      const rule = { maxAttempts: this.config.CALLBACK_MAX_ATTEMPTS, days: this.config.CALLBACK_ATTEMPT_DAYS };
      if (isUnreachable(times, rule, this.config.CITY_TIME_ZONE)) return this.outcomes.failed(t, 'unreachable', now);
      t.state = 'pending';
      t.claimedBy = null;
      t.claimedAt = null;
    });
  }

  complete(user: Principal, id: string, dto: CompleteDto): Promise<CallbackTask> {
    return this.step(user, id, true, (t, now) => this.outcomes.answered(t, dto, dto.channel ?? CallbackChannel.Phone, now));
  }

  // ---- rules ------------------------------------------------------------------------------------

  private async create(
    ticketId: string,
    district: string,
    unitId: string,
    cycle: number,
    kind: TaskKind,
    dueAt: Date,
    checkedTaskId: string | null = null,
  ): Promise<void> {
    const info = await this.tickets.find(ticketId);
    // 短信回访: a reply's survey link goes out by itself where the citizen can and may get an SMS.
    const autoSms = kind === 'reply' && this.config.CALLBACK_AUTO_SMS === 'true' && info?.smsReachable === true ? 'queued' : null;
    await this.tasks.insertIfAbsent(
      Object.assign(new CallbackTask(), {
        id: randomUUID(),
        ticketId,
        districtCode: district,
        unitId,
        cycle,
        kind,
        state: 'pending',
        dueAt,
        claimedBy: null,
        claimedAt: null,
        attempts: 0,
        lastAttemptAt: null,
        repeatCall: info?.flags.includes(TicketFlag.Repeat) ?? false,
        identityHidden: info?.identityHidden ?? false,
        checkedTaskId,
        contacted: null,
        resolved: null,
        satisfaction: null,
        comment: null,
        channel: null,
        finishedAt: null,
        autoSms,
        autoSmsTries: 0,
        overdueAt: null,
      }),
    );
  }

  /** Due in working days on the statutory calendar; a year the calendar does not know falls back to hours, loudly. */
  private dueAfter(start: Date, workingDays: number): Date {
    const hours = new Date(start.getTime() + this.config.CALLBACK_DUE_HOURS * 3_600_000);
    if (workingDays === 0) return hours;
    try {
      return addWorkingDays(start, workingDays, this.config.CITY_TIME_ZONE);
    } catch (e) {
      if (!(e instanceof CalendarGapError)) throw e;
      this.log.warn({ msg: `${e.message}; callback due in ${this.config.CALLBACK_DUE_HOURS} h instead`, year: e.year });
      return hours;
    }
  }

  private leaseEnd(t: CallbackTask): Date {
    return new Date(t.claimedAt!.getTime() + this.config.CALLBACK_CLAIM_MINUTES * 60_000);
  }

  private lapsed(t: CallbackTask, now: Date): boolean {
    return !t.claimedAt || this.leaseEnd(t) <= now;
  }

  private ensureTeam(user: Principal, t: CallbackTask): void {
    if (!hasRole(user, teamOf(t.kind))) throw new ForbiddenException(`task ${t.id} belongs to the ${teamOf(t.kind)} team`);
  }

  /** Two calls to one citizen at least CALLBACK_ATTEMPT_GAP_MINUTES apart. */
  private ensureGap(t: CallbackTask, now: Date): void {
    if (!t.lastAttemptAt) return;
    const next = new Date(t.lastAttemptAt.getTime() + this.config.CALLBACK_ATTEMPT_GAP_MINUTES * 60_000);
    if (now < next)
      throw new ConflictException(`the last call was at ${t.lastAttemptAt.toISOString()}; call again from ${next.toISOString()}`);
  }

  /** Common frame: lock, scope, team, (optionally) holder check, effect, save; one transaction. */
  private step(
    user: Principal,
    id: string,
    mustHold: boolean,
    effect: (t: CallbackTask, now: Date) => Promise<void>,
  ): Promise<CallbackTask> {
    return this.txHost.withTransaction(async () => {
      const t = await this.tasks.lock(id);
      if (!t || !inDistrict(user, t.districtCode)) throw new NotFoundException(`no callback task ${id}`);
      this.ensureTeam(user, t);
      const now = this.clock.now();
      if (mustHold) {
        if (t.state !== 'claimed') throw new ConflictException(`task ${id} is ${t.state}; claim it first`);
        if (t.claimedBy !== user.id) throw new ForbiddenException(`task ${id} is held by another agent`);
      }
      await effect(t, now);
      await this.tasks.save(t);
      return t;
    });
  }
}
