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
   * The best active rule for the order whose unit is active: priority, then the more specific
   * (category, street, request type, urgency, flag), then the oldest id for a stable answer.
   */
  async bestMatch(q: RouteQuery): Promise<RouteMatch | null> {
    const m = this.txHost.tx;
    const rules = EntitySql.of(m, RouteRule);
    const units = EntitySql.of(m, OrgUnit);
    // One statement, the rule and its unit together (plain SQL: it runs for every arriving order).
    const rows: Record<string, unknown>[] = await m.query(
      `SELECT ${rules.columns('r')}, ${units.columns('u')}
         FROM ${rules.table} r JOIN ${units.table} u ON u.id = r.unit_id AND u.active
        WHERE r.active AND r.district_code = $1
          AND (r.category_prefix IS NULL OR $2 = r.category_prefix OR $2 LIKE r.category_prefix || '.%')
          AND (r.street_code IS NULL OR r.street_code = $3)
          AND (r.request_type IS NULL OR r.request_type = $4)
          AND (r.urgency IS NULL OR r.urgency = $5)
          AND (r.flag IS NULL OR r.flag = ANY($6))
        ORDER BY r.priority DESC,
                 (r.category_prefix IS NOT NULL) DESC,
                 (r.street_code IS NOT NULL) DESC,
                 (r.request_type IS NOT NULL)::int + (r.urgency IS NOT NULL)::int + (r.flag IS NOT NULL)::int DESC,
                 r.id ASC
        LIMIT 1`,
      [q.districtCode, q.categoryCode, q.streetCode ?? '', q.requestType, q.urgency, q.flags],
    );
    return rows.length ? { rule: rules.hydrate(m, rows[0], 'r'), unit: units.hydrate(m, rows[0], 'u') } : null;
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
