import { roundsByKey, TransactionHost, TxHost } from '@app/platform';
import { Injectable, Inject } from '@nestjs/common';
import { CallbackAttempt, CallbackTask, TaskKind, TaskState } from './callback-task.entity';

export interface TaskFilter {
  districts: string[] | null;
  state?: TaskState;
  kind?: TaskKind;
  ticketId?: string;
  repeatCall?: boolean;
  /** Due before this instant and still open (pending or claimed). */
  overdueAt?: Date;
  claimedBy?: string;
  limit: number;
}

@Injectable()
export class TasksRepository {
  constructor(@Inject(TransactionHost) private readonly txHost: TxHost) {}

  /** Unfinished tasks by kind and state, and how many of them are past due (for /metrics). */
  async queueCounts(): Promise<{ kind: string; state: string; waiting: number; overdue: number }[]> {
    const rows = await this.txHost.tx.query<{ kind: string; state: string; waiting: string; overdue: string }[]>(
      `SELECT kind, state, count(*) AS waiting, count(*) FILTER (WHERE due_at < now()) AS overdue
         FROM callback_task WHERE state IN ('pending', 'claimed') GROUP BY kind, state`,
    );
    return rows.map((r) => ({ kind: r.kind, state: r.state, waiting: Number(r.waiting), overdue: Number(r.overdue) }));
  }

  async insertIfAbsent(task: CallbackTask): Promise<boolean> {
    const r = await this.txHost.tx.createQueryBuilder().insert().into(CallbackTask).values(task).orIgnore().returning(['id']).execute();
    return (r.raw as unknown[]).length > 0;
  }

  lock(id: string): Promise<CallbackTask | null> {
    return this.txHost.tx
      .getRepository(CallbackTask)
      .createQueryBuilder('t')
      .setLock('pessimistic_write')
      .where('t.id = :id', { id })
      .getOne();
  }

  /**
   * The next task a team member may take, locked: open (pending, or claimed longer ago than the lease),
   * of the team's kinds, in scope, past the gap since its last attempt; earliest due first. SKIP LOCKED
   * so two agents asking at once never get the same citizen.
   */
  lockNext(districts: string[] | null, kinds: TaskKind[], leaseCutoff: Date, retryCutoff: Date): Promise<CallbackTask | null> {
    const qb = this.txHost.tx
      .getRepository(CallbackTask)
      .createQueryBuilder('t')
      .setLock('pessimistic_write')
      .setOnLocked('skip_locked')
      .where("(t.state = 'pending' OR (t.state = 'claimed' AND t.claimed_at < :leaseCutoff))", { leaseCutoff })
      .andWhere('t.kind IN (:...kinds)', { kinds })
      .andWhere('(t.last_attempt_at IS NULL OR t.last_attempt_at <= :retryCutoff)', { retryCutoff })
      .orderBy('t.due_at', 'ASC')
      .limit(1);
    if (districts) qb.andWhere('t.district_code = ANY(:districts)', { districts });
    return qb.getOne();
  }

  /** The next task whose survey SMS is queued, locked (replicas skip it). */
  lockNextAutoSms(): Promise<CallbackTask | null> {
    return this.txHost.tx
      .getRepository(CallbackTask)
      .createQueryBuilder('t')
      .setLock('pessimistic_write')
      .setOnLocked('skip_locked')
      .where("t.auto_sms = 'queued'")
      .orderBy('t.created_at', 'ASC')
      .limit(1)
      .getOne();
  }

  /** Open tasks past their due time that have not raised their overdue notice yet, locked. */
  lockOverdue(now: Date, limit: number): Promise<CallbackTask[]> {
    return this.txHost.tx
      .getRepository(CallbackTask)
      .createQueryBuilder('t')
      .setLock('pessimistic_write')
      .setOnLocked('skip_locked')
      .where("t.state IN ('pending', 'claimed') AND t.due_at < :now AND t.overdue_at IS NULL", { now })
      .orderBy('t.due_at', 'ASC')
      .limit(limit)
      .getMany();
  }

  async save(task: CallbackTask): Promise<void> {
    await this.txHost.tx.getRepository(CallbackTask).save(task);
  }

  async addAttempt(a: CallbackAttempt): Promise<void> {
    await this.txHost.tx.insert(CallbackAttempt, a);
  }

  async attemptTimes(taskId: string): Promise<Date[]> {
    const rows = await this.txHost.tx.getRepository(CallbackAttempt).find({ where: { taskId }, order: { at: 'ASC' } });
    return rows.map((r) => r.at);
  }

  /** A task's attempts, oldest first (who called, when, what happened). */
  attempts(taskId: string): Promise<CallbackAttempt[]> {
    return this.txHost.tx.getRepository(CallbackAttempt).find({ where: { taskId }, order: { at: 'ASC' } });
  }

  findOf(ticketId: string, cycle: number, kind: TaskKind): Promise<CallbackTask | null> {
    return this.txHost.tx.getRepository(CallbackTask).findOneBy({ ticketId, cycle, kind });
  }

  /**
   * Flags learnt after a task exists (events arrive in any order). Plain SQL, not the QueryBuilder's
   * `update` (its alias and property-name rewriting showed in callback's profile): it runs for every
   * accepted order and nearly always matches no task.
   */
  /**
   * The order's repeat-caller flag and the citizen's wish to stay hidden, on its tasks. The repeat
   * mark is only ever set, never cleared (a merge, `markRepeat`, may have set it before the
   * acceptance arrived or came again); the last wish to stay hidden of an order wins. One statement
   * for the orders given; a second mark of one order in the same call goes in the next one.
   */
  async markTickets(marks: readonly { ticketId: string; repeatCall: boolean; identityHidden: boolean }[]): Promise<void> {
    for (const round of roundsByKey(marks, (m) => m.ticketId.toLowerCase())) {
      await this.txHost.tx.query(
        `UPDATE callback_task t SET repeat_call = t.repeat_call OR v.repeat_call, identity_hidden = v.identity_hidden
           FROM unnest($1::uuid[], $2::bool[], $3::bool[]) AS v(ticket_id, repeat_call, identity_hidden)
          WHERE t.ticket_id = v.ticket_id`,
        [round.map((m) => m.ticketId), round.map((m) => m.repeatCall), round.map((m) => m.identityHidden)],
      );
    }
  }

  /** 重复件: a merge made the order a repeat call; every task of the order shows it (only ever set). */
  async markRepeat(ticketId: string): Promise<void> {
    await this.txHost.tx.query(`UPDATE callback_task SET repeat_call = true WHERE ticket_id = $1 AND NOT repeat_call`, [ticketId]);
  }

  find(id: string): Promise<CallbackTask | null> {
    return this.txHost.tx.getRepository(CallbackTask).findOneBy({ id });
  }

  list(f: TaskFilter): Promise<CallbackTask[]> {
    const qb = this.txHost.tx.getRepository(CallbackTask).createQueryBuilder('t').orderBy('t.due_at', 'ASC').limit(f.limit);
    if (f.districts) qb.andWhere('t.district_code = ANY(:districts)', { districts: f.districts });
    if (f.state) qb.andWhere('t.state = :state', { state: f.state });
    if (f.kind) qb.andWhere('t.kind = :kind', { kind: f.kind });
    if (f.ticketId) qb.andWhere('t.ticket_id = :ticketId', { ticketId: f.ticketId });
    if (f.repeatCall !== undefined) qb.andWhere('t.repeat_call = :repeatCall', { repeatCall: f.repeatCall });
    if (f.overdueAt) qb.andWhere("t.state IN ('pending', 'claimed') AND t.due_at < :overdueAt", { overdueAt: f.overdueAt });
    if (f.claimedBy) qb.andWhere("t.state = 'claimed' AND t.claimed_by = :claimedBy", { claimedBy: f.claimedBy });
    return qb.getMany();
  }
}
