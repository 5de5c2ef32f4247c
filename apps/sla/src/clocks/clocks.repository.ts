import { ClockKind } from '@app/contracts';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { SlaClock } from './sla-clock.entity';

@Injectable()
export class ClocksRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  transaction<T>(fn: (m: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(fn);
  }

  /** For reads outside a transaction. */
  get manager(): EntityManager {
    return this.dataSource.manager;
  }

  async insertIfAbsent(m: EntityManager, clock: SlaClock): Promise<boolean> {
    const r = await m.createQueryBuilder().insert().into(SlaClock).values(clock).orIgnore().returning(['id']).execute();
    return (r.raw as unknown[]).length > 0;
  }

  /** Write back what firing or rescheduling changed: one UPDATE, no read first. */
  async updateState(m: EntityManager, c: SlaClock): Promise<void> {
    await m.getRepository(SlaClock).update(
      { id: c.id },
      {
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
      },
    );
  }

  /** The running finish clock of an order (of one cycle, or the latest), locked. */
  async openFinish(m: EntityManager, ticketId: string, cycle?: number): Promise<SlaClock | null> {
    const open = await this.open(m, ticketId, ClockKind.Finish, cycle);
    return open.sort((a, b) => b.cycle - a.cycle)[0] ?? null;
  }

  /** The latest finish clock of an order, running or not. */
  latestFinish(m: EntityManager, ticketId: string): Promise<SlaClock | null> {
    return m.getRepository(SlaClock).findOne({ where: { ticketId, kind: ClockKind.Finish }, order: { cycle: 'DESC' } });
  }

  /**
   * Running clocks whose schedule can touch the local days [from, to): started before `to` and due
   * no earlier than `from` minus `slackDays` (the escalation ladder runs past the due time). Paged by
   * id, locked, for recomputing after a calendar edit; uses idx_sla_clock_open_due.
   */
  openAround(m: EntityManager, from: Date, to: Date, slackDays: number, afterId: string, limit: number): Promise<SlaClock[]> {
    return m
      .getRepository(SlaClock)
      .createQueryBuilder('c')
      .setLock('pessimistic_write')
      .where('c.stopped_at IS NULL')
      .andWhere('c.due_at >= :from::timestamptz - make_interval(days => :slack)', { from, slack: slackDays })
      .andWhere('c.started_at < :to', { to })
      .andWhere('c.id > :afterId', { afterId })
      .orderBy('c.id', 'ASC')
      .limit(limit)
      .getMany();
  }

  /** Open clocks of an order (optionally one kind / one cycle), locked. */
  open(m: EntityManager, ticketId: string, kind?: ClockKind, cycle?: number): Promise<SlaClock[]> {
    return m
      .getRepository(SlaClock)
      .createQueryBuilder('c')
      .setLock('pessimistic_write')
      .where('c.ticket_id = :ticketId AND c.stopped_at IS NULL', { ticketId })
      .andWhere(kind ? 'c.kind = :kind' : 'TRUE', { kind })
      .andWhere(cycle ? 'c.cycle = :cycle' : 'TRUE', { cycle })
      .getMany();
  }

  /** Every clock of one cycle of an order, running or not, locked (in id order). */
  ofCycle(m: EntityManager, ticketId: string, cycle: number): Promise<SlaClock[]> {
    return m
      .getRepository(SlaClock)
      .createQueryBuilder('c')
      .setLock('pessimistic_write')
      .where('c.ticket_id = :ticketId AND c.cycle = :cycle', { ticketId, cycle })
      .orderBy('c.id', 'ASC')
      .getMany();
  }

  /** Write back a re-dispatch: the unit the clock names, since when, and its start. */
  async reassign(m: EntityManager, c: SlaClock): Promise<void> {
    await m.getRepository(SlaClock).update({ id: c.id }, { unitId: c.unitId, unitAssignedAt: c.unitAssignedAt, startedAt: c.startedAt });
  }

  any(m: EntityManager, ticketId: string, kind: ClockKind, cycle: number): Promise<SlaClock | null> {
    return m.getRepository(SlaClock).findOneBy({ ticketId, kind, cycle });
  }

  /**
   * Clocks due to fire at `now`, claimed for this transaction. SKIP LOCKED lets several replicas tick
   * at once without firing the same warning twice. Uses the partial index on next_fire_at.
   */
  claimDue(m: EntityManager, now: Date, limit: number): Promise<SlaClock[]> {
    return m
      .getRepository(SlaClock)
      .createQueryBuilder('c')
      .setLock('pessimistic_write')
      .setOnLocked('skip_locked')
      .where('c.next_fire_at IS NOT NULL AND c.next_fire_at <= :now', { now })
      .orderBy('c.next_fire_at', 'ASC')
      .limit(limit)
      .getMany();
  }

  forTicket(ticketId: string): Promise<SlaClock[]> {
    return this.dataSource.getRepository(SlaClock).find({ where: { ticketId }, order: { cycle: 'ASC', kind: 'ASC' } });
  }

  /**
   * 转区: the order's clocks, extension requests and supervision items move from district `from` to
   * `to`, so its warnings, breaches and supervision list follow it. Rows already moved are left alone.
   */
  async moveDistrict(m: EntityManager, ticketId: string, from: string, to: string): Promise<void> {
    for (const table of ['sla_clock', 'sla_extension', 'supervision_item']) {
      await m.query(`UPDATE ${table} SET district_code = $3 WHERE ticket_id = $1 AND district_code = $2`, [ticketId, from, to]);
    }
  }
}
