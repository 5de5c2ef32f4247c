import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { ExtensionStatus, SlaExtension } from './extension.entity';

@Injectable()
export class ExtensionsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  transaction<T>(fn: (m: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(fn);
  }

  exists(m: EntityManager, id: string): Promise<boolean> {
    return m.getRepository(SlaExtension).existsBy({ id });
  }

  async insert(m: EntityManager, x: SlaExtension): Promise<void> {
    await m.getRepository(SlaExtension).insert(x);
  }

  lock(m: EntityManager, id: string): Promise<SlaExtension | null> {
    return m.getRepository(SlaExtension).createQueryBuilder('x').setLock('pessimistic_write').where('x.id = :id', { id }).getOne();
  }

  pendingFor(m: EntityManager, ticketId: string): Promise<SlaExtension | null> {
    return m.getRepository(SlaExtension).findOneBy({ ticketId, status: ExtensionStatus.Pending });
  }

  async save(m: EntityManager, x: SlaExtension): Promise<void> {
    await m.getRepository(SlaExtension).update(
      { id: x.id },
      {
        status: x.status,
        grantedDays: x.grantedDays,
        newDueAt: x.newDueAt,
        decidedBy: x.decidedBy,
        decidedAt: x.decidedAt,
        decisionNote: x.decisionNote,
      },
    );
  }

  find(id: string): Promise<SlaExtension | null> {
    return this.dataSource.getRepository(SlaExtension).findOneBy({ id });
  }

  list(f: { districts: string[] | null; status?: ExtensionStatus; ticketId?: string; limit: number }): Promise<SlaExtension[]> {
    const qb = this.dataSource.getRepository(SlaExtension).createQueryBuilder('x');
    if (f.districts) qb.andWhere('x.district_code = ANY(:districts)', { districts: f.districts });
    if (f.status) qb.andWhere('x.status = :status', { status: f.status });
    if (f.ticketId) qb.andWhere('x.ticket_id = :ticketId', { ticketId: f.ticketId });
    return qb.orderBy('x.requested_at', 'ASC').limit(f.limit).getMany();
  }
}
