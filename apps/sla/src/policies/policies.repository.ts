import { EntitySql, TransactionHost, TxHost } from '@app/platform';
import { Injectable, Inject } from '@nestjs/common';
import { SlaPolicy } from './sla-policy.entity';

export interface PolicyQuery {
  districtCode: string;
  requestType: string;
  categoryCode: string;
  urgency: string;
  flags: string[];
}

@Injectable()
export class PoliciesRepository {
  constructor(@Inject(TransactionHost) private readonly txHost: TxHost) {}

  /** Every active policy: what `bestPolicy` chooses an order's from. */
  active(): Promise<SlaPolicy[]> {
    return EntitySql.of(this.txHost.tx, SlaPolicy).find(this.txHost.tx, 't.active', []);
  }

  byId(id: string): Promise<SlaPolicy | null> {
    return this.txHost.tx.getRepository(SlaPolicy).findOneBy({ id });
  }

  /** The row, locked, for superseding or retiring it. */
  lock(id: string): Promise<SlaPolicy | null> {
    return this.txHost.tx
      .getRepository(SlaPolicy)
      .createQueryBuilder('p')
      .setLock('pessimistic_write')
      .where('p.id = :id', { id })
      .getOne();
  }

  async insert(p: SlaPolicy): Promise<void> {
    await this.txHost.tx.getRepository(SlaPolicy).insert(p);
  }

  async setActive(id: string, active: boolean): Promise<void> {
    await this.txHost.tx.getRepository(SlaPolicy).update({ id }, { active });
  }

  /** Other active catch-all policies of the city (no match condition at all) besides `exceptId`. */
  otherCatchAlls(exceptId: string): Promise<number> {
    return this.txHost.tx
      .getRepository(SlaPolicy)
      .createQueryBuilder('p')
      .where('p.active AND p.id <> :exceptId', { exceptId })
      .andWhere('p.district_code IS NULL AND p.request_type IS NULL AND p.category_prefix IS NULL AND p.urgency IS NULL AND p.flag IS NULL')
      .getCount();
  }

  /** Policies visible to a district scope (null = all): city-wide ones and those of the districts. */
  list(districts: string[] | null, activeOnly: boolean): Promise<SlaPolicy[]> {
    const qb = this.txHost.tx.getRepository(SlaPolicy).createQueryBuilder('p');
    if (districts) qb.andWhere('(p.district_code IS NULL OR p.district_code = ANY(:districts))', { districts });
    if (activeOnly) qb.andWhere('p.active');
    return qb.orderBy('p.priority', 'DESC').addOrderBy('p.name', 'ASC').addOrderBy('p.version', 'DESC').getMany();
  }
}
