import { EntitySql, TransactionHost, TxHost } from '@app/platform';
import { ClockKind } from '@app/contracts';
import { Injectable, Inject } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { CalendarRecompute, RecomputeScope } from '../calendar/calendar-recompute.entity';
import { ClockCounts } from '../sla.metrics';
import { SlaClock } from './sla-clock.entity';

export interface ClockFailure {
  failCount: number;
  lastError: string;
  failedAt: Date;
  /** The tick's next look at the clock (backed off); undefined leaves next_fire_at alone. */
  retryAt?: Date;
}

@Injectable()
export class ClocksRepository {
  constructor(@Inject(TransactionHost) private readonly txHost: TxHost) {}

  async insertIfAbsent(clock: SlaClock): Promise<boolean> {
    return EntitySql.of(this.txHost.tx, SlaClock).insert(this.txHost.tx, clock, { ifAbsent: true });
  }

  /** Several new clocks in one INSERT, each skipped if its (order, kind, cycle) has one: those written. */
  insertAllIfAbsent(clocks: SlaClock[]): Promise<SlaClock[]> {
    return EntitySql.of(this.txHost.tx, SlaClock).insertAll(this.txHost.tx, clocks, { ifAbsent: true });
  }

  /**
   * Write back what firing or rescheduling changed (and the policy, which only a merge that makes
   * the order 双交办 changes: `tighten` in clock-plan.ts): one UPDATE, no read first.
   */
  async updateState(c: SlaClock): Promise<void> {
    await this.txHost.tx.getRepository(SlaClock).update(
      { id: c.id },
      {
        policyId: c.policyId,
        dueAt: c.dueAt,
        warnAt: c.warnAt,
        warnedAt: c.warnedAt,
        breachedAt: c.breachedAt,
        stoppedAt: c.stoppedAt,
        nextFireAt: c.nextFireAt,
        fired: c.fired,
        escalationStep: c.escalationStep,
        escalatedAt: c.escalatedAt,
        extendedWorkingDays: c.extendedWorkingDays,
        pausedMinutes: c.pausedMinutes,
        pausedAt: c.pausedAt,
        pauseReason: c.pauseReason,
        windowEnd: c.windowEnd,
        provisional: c.provisional,
        provisionalYears: c.provisionalYears,
      },
    );
  }

  /**
   * Write back what a tick fired, for a batch of clocks, in one UPDATE (the rows are the tick's,
   * claimed FOR UPDATE): the milestones fired, their instants, the next look. A clock that fired is
   * no longer failing, so its failure record is cleared with it.
   */
  async updateFired(clocks: readonly SlaClock[]): Promise<void> {
    if (!clocks.length) return;
    const rows = clocks.map((c) => ({
      id: c.id,
      fired: c.fired,
      warned_at: c.warnedAt,
      breached_at: c.breachedAt,
      escalation_step: c.escalationStep,
      escalated_at: c.escalatedAt,
      next_fire_at: c.nextFireAt,
    }));
    await this.txHost.tx.query(
      `UPDATE sla_clock c
          SET fired = r.fired, warned_at = r.warned_at, breached_at = r.breached_at, escalation_step = r.escalation_step,
              escalated_at = r.escalated_at, next_fire_at = r.next_fire_at, fail_count = 0, last_error = NULL, failed_at = NULL
         FROM jsonb_to_recordset($1::jsonb) AS r(id uuid, fired text[], warned_at timestamptz, breached_at timestamptz,
                                                 escalation_step int, escalated_at timestamptz, next_fire_at timestamptz)
        WHERE c.id = r.id`,
      [JSON.stringify(rows)],
    );
  }

  /** A clock that threw: recorded on its row (and, from the tick, looked at again only at `retryAt`). */
  async recordFailure(id: string, f: ClockFailure): Promise<void> {
    await this.txHost.tx
      .getRepository(SlaClock)
      .update(
        { id },
        { failCount: f.failCount, lastError: f.lastError, failedAt: f.failedAt, ...(f.retryAt ? { nextFireAt: f.retryAt } : {}) },
      );
  }

  async clearFailure(id: string): Promise<void> {
    await this.txHost.tx.getRepository(SlaClock).update({ id }, { failCount: 0, lastError: null, failedAt: null });
  }

  /** The running finish clock of an order (of one cycle, or the latest), locked. */
  async openFinish(ticketId: string, cycle?: number): Promise<SlaClock | null> {
    const open = await this.open(ticketId, ClockKind.Finish, cycle);
    return open.sort((a, b) => b.cycle - a.cycle)[0] ?? null;
  }

  /** The latest finish clock of an order, running or not. */
  latestFinish(ticketId: string): Promise<SlaClock | null> {
    return this.txHost.tx.getRepository(SlaClock).findOne({ where: { ticketId, kind: ClockKind.Finish }, order: { cycle: 'DESC' } });
  }

  // ── calendar recomputes ────────────────────────────────────────────────────────────────────

  async queueRecompute(job: { scope: RecomputeScope; year?: number; fromAt?: Date; toAt?: Date }): Promise<CalendarRecompute> {
    const row = Object.assign(new CalendarRecompute(), {
      id: randomUUID(),
      scope: job.scope,
      year: job.year ?? null,
      fromAt: job.fromAt ?? null,
      toAt: job.toAt ?? null,
      afterId: '00000000-0000-0000-0000-000000000000',
      visited: 0,
      moved: 0,
      finishedAt: null,
    });
    await this.txHost.tx.getRepository(CalendarRecompute).insert(row);
    return row;
  }

  /** The job row, locked for one batch; null if another process holds it and `wait` is false. */
  lockRecompute(id: string, wait: boolean): Promise<CalendarRecompute | null> {
    const qb = this.txHost.tx
      .getRepository(CalendarRecompute)
      .createQueryBuilder('j')
      .setLock('pessimistic_write')
      .where('j.id = :id', { id });
    if (!wait) qb.setOnLocked('skip_locked');
    return qb.getOne();
  }

  async saveRecompute(j: CalendarRecompute): Promise<void> {
    await this.txHost.tx
      .getRepository(CalendarRecompute)
      .update({ id: j.id }, { afterId: j.afterId, visited: j.visited, moved: j.moved, finishedAt: j.finishedAt });
  }

  openRecomputes(): Promise<CalendarRecompute[]> {
    return this.txHost.tx
      .getRepository(CalendarRecompute)
      .createQueryBuilder('j')
      .where('j.finished_at IS NULL')
      .orderBy('j.created_at', 'ASC')
      .getMany();
  }

  /**
   * The next running clocks of a recompute after its cursor, locked, in id order. `days`: whose
   * window [started_at, window_end] touches [from_at, to_at) (idx_sla_clock_open_window), so an
   * edit next February visits only the clocks that reach next February; `year`: computed
   * provisionally for the year (idx_sla_clock_provisional).
   */
  recomputeBatch(j: CalendarRecompute, limit: number): Promise<SlaClock[]> {
    const qb = this.txHost.tx
      .getRepository(SlaClock)
      .createQueryBuilder('c')
      .setLock('pessimistic_write')
      .where('c.stopped_at IS NULL')
      .andWhere('c.id > :afterId', { afterId: j.afterId });
    // The ids come from the window index first (ARRAY(subquery) is planned on its own), so the page
    // by id does not turn into a walk of the primary key filtering every running clock.
    if (j.scope === 'days')
      qb.andWhere(
        `c.id = ANY(ARRAY(SELECT w.id FROM sla_clock w WHERE w.stopped_at IS NULL AND w.window_end >= :from AND w.started_at < :to AND w.id > :afterId))`,
        { from: j.fromAt, to: j.toAt },
      );
    else qb.andWhere('c.provisional AND :year = ANY(c.provisional_years)', { year: j.year });
    return qb.orderBy('c.id', 'ASC').limit(limit).getMany();
  }

  // ── the alarm ──────────────────────────────────────────────────────────────────────────────

  /** Years running clocks were computed provisionally for, with how many clocks each (idx_sla_clock_provisional). */
  async provisionalYears(): Promise<{ year: number; clocks: number }[]> {
    const rows = await this.txHost.tx.query<{ year: number; clocks: string }[]>(
      `SELECT y AS year, count(*) AS clocks FROM sla_clock c, unnest(c.provisional_years) y
        WHERE c.provisional AND c.stopped_at IS NULL GROUP BY y ORDER BY y`,
    );
    return rows.map((r) => ({ year: Number(r.year), clocks: Number(r.clocks) }));
  }

  /** Running clocks on the provisional calendar, running clocks whose last attempt failed. */
  /** What /metrics shows of the clocks: running by kind, paused, and the steps due and not fired yet. */
  async metricsCounts(): Promise<ClockCounts> {
    const running = await this.txHost.tx.query<{ kind: string; count: string }[]>(
      `SELECT kind, count(*) AS count FROM sla_clock WHERE stopped_at IS NULL AND paused_at IS NULL GROUP BY kind`,
    );
    const [r] = await this.txHost.tx.query<{ paused: string; due: string; age: string | null }[]>(
      `SELECT (SELECT count(*) FROM sla_clock WHERE stopped_at IS NULL AND paused_at IS NOT NULL) AS paused,
              count(*) AS due, extract(epoch FROM now() - min(next_fire_at)) AS age
         FROM sla_clock WHERE next_fire_at IS NOT NULL AND next_fire_at <= now()`,
    );
    return {
      running: running.map((x) => ({ kind: x.kind, count: Number(x.count) })),
      paused: Number(r.paused),
      due: Number(r.due),
      oldestDueAgeSeconds: Math.max(0, Number(r.age ?? 0)),
    };
  }

  async alarmCounts(): Promise<{ provisional: number; failing: number }> {
    const [r] = await this.txHost.tx.query<{ provisional: string; failing: string }[]>(
      `SELECT (SELECT count(*) FROM sla_clock WHERE provisional AND stopped_at IS NULL) AS provisional,
              (SELECT count(*) FROM sla_clock WHERE fail_count > 0 AND stopped_at IS NULL) AS failing`,
    );
    return { provisional: Number(r.provisional), failing: Number(r.failing) };
  }

  /** Open clocks of an order (optionally one kind / one cycle), locked. */
  open(ticketId: string, kind?: ClockKind, cycle?: number): Promise<SlaClock[]> {
    return this.txHost.tx
      .getRepository(SlaClock)
      .createQueryBuilder('c')
      .setLock('pessimistic_write')
      .where('c.ticket_id = :ticketId AND c.stopped_at IS NULL', { ticketId })
      .andWhere(kind ? 'c.kind = :kind' : 'TRUE', { kind })
      .andWhere(cycle ? 'c.cycle = :cycle' : 'TRUE', { cycle })
      .getMany();
  }

  /** Every clock of one cycle of an order, running or not, locked (in id order). */
  ofCycle(ticketId: string, cycle: number): Promise<SlaClock[]> {
    return this.txHost.tx
      .getRepository(SlaClock)
      .createQueryBuilder('c')
      .setLock('pessimistic_write')
      .where('c.ticket_id = :ticketId AND c.cycle = :cycle', { ticketId, cycle })
      .orderBy('c.id', 'ASC')
      .getMany();
  }

  /** Write back a re-dispatch: the unit the clock names, since when, and its start. */
  async reassign(c: SlaClock): Promise<void> {
    await this.txHost.tx
      .getRepository(SlaClock)
      .update({ id: c.id }, { unitId: c.unitId, unitAssignedAt: c.unitAssignedAt, startedAt: c.startedAt });
  }

  /** A clock written in this transaction by mistake (ClockLifecycleService.onDispatched). */
  async remove(id: string): Promise<void> {
    await this.txHost.tx.query(`DELETE FROM sla_clock WHERE id = $1`, [id]);
  }

  /** Whether the order has a clock of this kind and cycle (running or not), without reading it. */
  async has(ticketId: string, kind: ClockKind, cycle: number): Promise<boolean> {
    const rows: unknown[] = await this.txHost.tx.query(`SELECT 1 FROM sla_clock WHERE ticket_id = $1 AND kind = $2 AND cycle = $3`, [
      ticketId,
      kind,
      cycle,
    ]);
    return rows.length > 0;
  }

  any(ticketId: string, kind: ClockKind, cycle: number): Promise<SlaClock | null> {
    const sql = EntitySql.of(this.txHost.tx, SlaClock);
    return sql.findOne(this.txHost.tx, 't.ticket_id = $1 AND t.kind = $2 AND t.cycle = $3', [ticketId, kind, cycle]);
  }

  /**
   * Clocks due to fire at `now`, claimed for this transaction. SKIP LOCKED lets several replicas tick
   * at once without firing the same warning twice. Uses the partial index on next_fire_at.
   */
  claimDue(now: Date, limit: number): Promise<SlaClock[]> {
    return this.txHost.tx
      .getRepository(SlaClock)
      .createQueryBuilder('c')
      .setLock('pessimistic_write')
      .setOnLocked('skip_locked')
      .where('c.next_fire_at IS NOT NULL AND c.next_fire_at <= :now', { now })
      .orderBy('c.next_fire_at', 'ASC')
      .limit(limit)
      .getMany();
  }

  /**
   * Running clocks (not stopped) in scope due between `from` and `to`, soonest first: the
   * about-to-breach board. Uses the partial index on due_at of open clocks.
   */
  openDueBetween(f: {
    districts: string[] | null;
    districtCode?: string;
    unitId?: string;
    from: Date;
    to: Date;
    limit: number;
  }): Promise<SlaClock[]> {
    const qb = this.txHost.tx
      .getRepository(SlaClock)
      .createQueryBuilder('c')
      .where('c.stopped_at IS NULL AND c.due_at > :from AND c.due_at <= :to', { from: f.from, to: f.to });
    if (f.districts) qb.andWhere('c.district_code = ANY(:districts)', { districts: f.districts });
    if (f.districtCode) qb.andWhere('c.district_code = :d', { d: f.districtCode });
    if (f.unitId) qb.andWhere('c.unit_id = :u', { u: f.unitId });
    return qb.orderBy('c.due_at', 'ASC').limit(f.limit).getMany();
  }

  forTicket(ticketId: string): Promise<SlaClock[]> {
    return this.txHost.tx.getRepository(SlaClock).find({ where: { ticketId }, order: { cycle: 'ASC', kind: 'ASC' } });
  }

  /**
   * 转区: the order's clocks, extension requests and supervision items move from district `from` to
   * `to`, so its warnings, breaches and supervision list follow it. Rows already moved are left alone.
   */
  async moveDistrict(ticketId: string, from: string, to: string): Promise<void> {
    for (const table of ['sla_clock', 'sla_extension', 'supervision_item']) {
      await this.txHost.tx.query(`UPDATE ${table} SET district_code = $3 WHERE ticket_id = $1 AND district_code = $2`, [
        ticketId,
        from,
        to,
      ]);
    }
  }
}
