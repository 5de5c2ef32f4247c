import { TransactionHost, TxHost } from '@app/platform';
import { Injectable, Inject } from '@nestjs/common';
import { ExtensionStatus, SlaExtension } from './extension.entity';

@Injectable()
export class ExtensionsRepository {
  constructor(@Inject(TransactionHost) private readonly txHost: TxHost) {}

  exists(id: string): Promise<boolean> {
    return this.txHost.tx.getRepository(SlaExtension).existsBy({ id });
  }

  async insert(x: SlaExtension): Promise<void> {
    await this.txHost.tx.getRepository(SlaExtension).insert(x);
  }

  lock(id: string): Promise<SlaExtension | null> {
    return this.txHost.tx
      .getRepository(SlaExtension)
      .createQueryBuilder('x')
      .setLock('pessimistic_write')
      .where('x.id = :id', { id })
      .getOne();
  }

  pendingFor(ticketId: string): Promise<SlaExtension | null> {
    return this.txHost.tx.getRepository(SlaExtension).findOneBy({ ticketId, status: ExtensionStatus.Pending });
  }

  async save(x: SlaExtension): Promise<void> {
    await this.txHost.tx.getRepository(SlaExtension).update(
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
    return this.txHost.tx.getRepository(SlaExtension).findOneBy({ id });
  }

  list(f: { districts: string[] | null; status?: ExtensionStatus; ticketId?: string; limit: number }): Promise<SlaExtension[]> {
    const qb = this.txHost.tx.getRepository(SlaExtension).createQueryBuilder('x');
    if (f.districts) qb.andWhere('x.district_code = ANY(:districts)', { districts: f.districts });
    if (f.status) qb.andWhere('x.status = :status', { status: f.status });
    if (f.ticketId) qb.andWhere('x.ticket_id = :ticketId', { ticketId: f.ticketId });
    return qb.orderBy('x.requested_at', 'ASC').limit(f.limit).getMany();
  }
}
