import { RequestType, TicketFlag, Urgency } from '@app/contracts';
import { Inject, Injectable } from '@nestjs/common';
import { EntitySql, TransactionHost, TxHost } from '@app/platform';
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
   * Every active rule whose unit is active, with its unit (one district's, or all): what `bestRoute`
   * chooses from. One statement, the rules and their units together.
   */
  async activeRules(districtCode?: string): Promise<RouteMatch[]> {
    const m = this.txHost.tx;
    const rules = EntitySql.of(m, RouteRule);
    const units = EntitySql.of(m, OrgUnit);
    const rows: Record<string, unknown>[] = await m.query(
      `SELECT ${rules.columns('r')}, ${units.columns('u')}
         FROM ${rules.table} r JOIN ${units.table} u ON u.id = r.unit_id AND u.active
        WHERE r.active AND ($1::text IS NULL OR r.district_code = $1)`,
      [districtCode ?? null],
    );
    return rows.map((row) => ({ rule: rules.hydrate(m, row, 'r'), unit: units.hydrate(m, row, 'u') }));
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
