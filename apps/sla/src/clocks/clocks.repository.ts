import { ClockKind } from '@app/contracts';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, IsNull } from 'typeorm';
import { SlaClock } from './sla-clock.entity';

@Injectable()
export class ClocksRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  transaction<T>(fn: (m: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(fn);
  }

  async insertIfAbsent(m: EntityManager, clock: SlaClock): Promise<boolean> {
    const r = await m.createQueryBuilder().insert().into(SlaClock).values(clock).orIgnore().returning(['id']).execute();
    return (r.raw as unknown[]).length > 0;
  }

  async save(m: EntityManager, clock: SlaClock): Promise<void> {
    await m.getRepository(SlaClock).save(clock);
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

  openCount(): Promise<number> {
    return this.dataSource.getRepository(SlaClock).countBy({ stoppedAt: IsNull() });
  }
}
