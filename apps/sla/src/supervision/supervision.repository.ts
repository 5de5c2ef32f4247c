import { EscalationTarget } from '@app/contracts';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { SupervisionAction, SupervisionItem, SupervisionReason, SupervisionStatus } from './supervision.entity';

export interface ItemFilter {
  districts: string[] | null;
  districtCode?: string;
  unitId?: string;
  level?: EscalationTarget;
  reason?: SupervisionReason;
  status?: SupervisionStatus;
  /** Opened at or before this instant (age filter). */
  openedBefore?: Date;
  limit: number;
}

@Injectable()
export class SupervisionRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  transaction<T>(fn: (m: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(fn);
  }

  /** Insert unless the order already has an open item for this reason; the item either way, locked. */
  async openOrGet(m: EntityManager, item: SupervisionItem): Promise<{ item: SupervisionItem; created: boolean }> {
    const r = await m.createQueryBuilder().insert().into(SupervisionItem).values(item).orIgnore().returning(['id']).execute();
    if ((r.raw as unknown[]).length > 0) return { item, created: true };
    const existing = await m
      .getRepository(SupervisionItem)
      .createQueryBuilder('i')
      .setLock('pessimistic_write')
      .where('i.ticket_id = :t AND i.reason = :r AND i.status = :s', { t: item.ticketId, r: item.reason, s: SupervisionStatus.Open })
      .getOne();
    if (!existing) throw new Error(`supervision item for ${item.ticketId}/${item.reason} neither inserted nor found; retrying`);
    return { item: existing, created: false };
  }

  lock(m: EntityManager, id: string): Promise<SupervisionItem | null> {
    return m.getRepository(SupervisionItem).createQueryBuilder('i').setLock('pessimistic_write').where('i.id = :id', { id }).getOne();
  }

  openForTicket(m: EntityManager, ticketId: string): Promise<SupervisionItem[]> {
    return m.getRepository(SupervisionItem).findBy({ ticketId, status: SupervisionStatus.Open });
  }

  async save(m: EntityManager, item: SupervisionItem): Promise<void> {
    await m.getRepository(SupervisionItem).update(
      { id: item.id },
      {
        level: item.level,
        status: item.status,
        urgeCount: item.urgeCount,
        lastUrgedAt: item.lastUrgedAt,
        closedAt: item.closedAt,
        closedBy: item.closedBy,
      },
    );
  }

  /** The order's open items of one cycle that name another unit than `unitId`, locked. */
  openOfCycleNotFor(m: EntityManager, ticketId: string, cycle: number, unitId: string): Promise<SupervisionItem[]> {
    return m
      .getRepository(SupervisionItem)
      .createQueryBuilder('i')
      .setLock('pessimistic_write')
      .where('i.ticket_id = :ticketId AND i.cycle = :cycle AND i.status = :s AND i.unit_id <> :unitId', {
        ticketId,
        cycle,
        s: SupervisionStatus.Open,
        unitId,
      })
      .orderBy('i.id', 'ASC')
      .getMany();
  }

  async moveToUnit(m: EntityManager, id: string, unitId: string): Promise<void> {
    await m.getRepository(SupervisionItem).update({ id }, { unitId });
  }

  async addAction(m: EntityManager, a: Omit<SupervisionAction, 'id'>): Promise<void> {
    await m.insert(SupervisionAction, { ...a, id: randomUUID() });
  }

  find(id: string): Promise<SupervisionItem | null> {
    return this.dataSource.getRepository(SupervisionItem).findOneBy({ id });
  }

  actions(itemId: string): Promise<SupervisionAction[]> {
    return this.dataSource.getRepository(SupervisionAction).find({ where: { itemId }, order: { at: 'ASC' } });
  }

  list(f: ItemFilter): Promise<SupervisionItem[]> {
    const qb = this.dataSource.getRepository(SupervisionItem).createQueryBuilder('i');
    if (f.districts) qb.andWhere('i.district_code = ANY(:districts)', { districts: f.districts });
    if (f.districtCode) qb.andWhere('i.district_code = :d', { d: f.districtCode });
    if (f.unitId) qb.andWhere('i.unit_id = :u', { u: f.unitId });
    if (f.level) qb.andWhere('i.level = :l', { l: f.level });
    if (f.reason) qb.andWhere('i.reason = :r', { r: f.reason });
    if (f.status) qb.andWhere('i.status = :s', { s: f.status });
    if (f.openedBefore) qb.andWhere('i.opened_at <= :b', { b: f.openedBefore });
    return qb.orderBy('i.opened_at', 'ASC').limit(f.limit).getMany();
  }
}
