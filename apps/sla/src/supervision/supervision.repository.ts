import { TransactionHost, TxHost } from '@app/platform';
import { EscalationTarget } from '@app/contracts';
import { Injectable, Inject } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
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
  constructor(@Inject(TransactionHost) private readonly txHost: TxHost) {}

  /** Insert unless the order already has an open item for this reason; the item either way, locked. */
  async openOrGet(item: SupervisionItem): Promise<{ item: SupervisionItem; created: boolean }> {
    const r = await this.txHost.tx.createQueryBuilder().insert().into(SupervisionItem).values(item).orIgnore().returning(['id']).execute();
    if ((r.raw as unknown[]).length > 0) return { item, created: true };
    const existing = await this.txHost.tx
      .getRepository(SupervisionItem)
      .createQueryBuilder('i')
      .setLock('pessimistic_write')
      .where('i.ticket_id = :t AND i.reason = :r AND i.status = :s', { t: item.ticketId, r: item.reason, s: SupervisionStatus.Open })
      .getOne();
    if (!existing) throw new Error(`supervision item for ${item.ticketId}/${item.reason} neither inserted nor found; retrying`);
    return { item: existing, created: false };
  }

  lock(id: string): Promise<SupervisionItem | null> {
    return this.txHost.tx
      .getRepository(SupervisionItem)
      .createQueryBuilder('i')
      .setLock('pessimistic_write')
      .where('i.id = :id', { id })
      .getOne();
  }

  openForTicket(ticketId: string): Promise<SupervisionItem[]> {
    return this.txHost.tx.getRepository(SupervisionItem).findBy({ ticketId, status: SupervisionStatus.Open });
  }

  async save(item: SupervisionItem): Promise<void> {
    await this.txHost.tx.getRepository(SupervisionItem).update(
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
  openOfCycleNotFor(ticketId: string, cycle: number, unitId: string): Promise<SupervisionItem[]> {
    return this.txHost.tx
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

  async moveToUnit(id: string, unitId: string): Promise<void> {
    await this.txHost.tx.getRepository(SupervisionItem).update({ id }, { unitId });
  }

  async addAction(a: Omit<SupervisionAction, 'id'>): Promise<void> {
    await this.txHost.tx.insert(SupervisionAction, { ...a, id: randomUUID() });
  }

  find(id: string): Promise<SupervisionItem | null> {
    return this.txHost.tx.getRepository(SupervisionItem).findOneBy({ id });
  }

  actions(itemId: string): Promise<SupervisionAction[]> {
    return this.txHost.tx.getRepository(SupervisionAction).find({ where: { itemId }, order: { at: 'ASC' } });
  }

  list(f: ItemFilter): Promise<SupervisionItem[]> {
    const qb = this.txHost.tx.getRepository(SupervisionItem).createQueryBuilder('i');
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
