import { RequestType, TicketFlag, Urgency } from '@app/contracts';
import { Inject, Injectable } from '@nestjs/common';
import { TransactionHost, TxHost } from '@app/platform';
import { OrgUnit } from '../org/org-unit.entity';
import { RouteRule } from './route-rule.entity';

export interface RouteMatch {
  rule: RouteRule;
  unit: OrgUnit;
}

export interface RouteQuery {
  districtCode: string;
  categoryCode: string;
  streetCode: string | null;
  requestType: RequestType;
  urgency: Urgency;
  flags: TicketFlag[];
}

@Injectable()
export class RoutingRepository {
  constructor(@Inject(TransactionHost) private readonly txHost: TxHost) {}

  /**
   * The best active rule for the order whose unit is active: priority, then the more specific
   * (category, street, request type, urgency, flag), then the oldest id for a stable answer.
   */
  async bestMatch(q: RouteQuery): Promise<RouteMatch | null> {
    const m = this.txHost.tx;
    const rule = await m
      .getRepository(RouteRule)
      .createQueryBuilder('r')
      .innerJoin(OrgUnit, 'u', 'u.id = r.unit_id AND u.active')
      .where('r.active AND r.district_code = :districtCode', { districtCode: q.districtCode })
      .andWhere("(r.category_prefix IS NULL OR :cat = r.category_prefix OR :cat LIKE r.category_prefix || '.%')", { cat: q.categoryCode })
      .andWhere('(r.street_code IS NULL OR r.street_code = :street)', { street: q.streetCode ?? '' })
      .andWhere('(r.request_type IS NULL OR r.request_type = :requestType)', { requestType: q.requestType })
      .andWhere('(r.urgency IS NULL OR r.urgency = :urgency)', { urgency: q.urgency })
      .andWhere('(r.flag IS NULL OR r.flag = ANY(:flags))', { flags: q.flags })
      .orderBy('r.priority', 'DESC')
      .addOrderBy('(r.category_prefix IS NOT NULL)', 'DESC')
      .addOrderBy('(r.street_code IS NOT NULL)', 'DESC')
      .addOrderBy('(r.request_type IS NOT NULL)::int + (r.urgency IS NOT NULL)::int + (r.flag IS NOT NULL)::int', 'DESC')
      .addOrderBy('r.id', 'ASC')
      .limit(1)
      .getOne();
    if (!rule) return null;
    const unit = await m.getRepository(OrgUnit).findOneBy({ id: rule.unitId, active: true });
    return unit ? { rule, unit } : null;
  }

  /** The same match, outside any order's transaction: the administrators' tester. */
  dryRun(q: RouteQuery): Promise<RouteMatch | null> {
    return this.bestMatch(q);
  }

  /** Retire `old` and insert its revision, both or neither. */
  async replace(old: RouteRule, revision: RouteRule): Promise<void> {
    await this.txHost.withTransaction(async () => {
      await this.txHost.tx.getRepository(RouteRule).update({ id: old.id }, { active: false });
      await this.txHost.tx.getRepository(RouteRule).insert(revision);
    });
  }

  list(districts: string[] | null, districtCode?: string, includeInactive = false): Promise<RouteRule[]> {
    const qb = this.txHost.tx.getRepository(RouteRule).createQueryBuilder('r');
    if (!includeInactive) qb.andWhere('r.active');
    if (districts) qb.andWhere('r.district_code = ANY(:districts)', { districts });
    if (districtCode) qb.andWhere('r.district_code = :districtCode', { districtCode });
    return qb.orderBy('r.district_code').addOrderBy('r.priority', 'DESC').addOrderBy('r.id').getMany();
  }

  find(id: string): Promise<RouteRule | null> {
    return this.txHost.tx.getRepository(RouteRule).findOneBy({ id });
  }

  async insert(r: RouteRule): Promise<void> {
    await this.txHost.tx.getRepository(RouteRule).insert(r);
  }

  async save(r: RouteRule): Promise<void> {
    await this.txHost.tx.getRepository(RouteRule).save(r);
  }
}
