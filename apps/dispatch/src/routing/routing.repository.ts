import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { OrgUnit } from '../org/org-unit.entity';
import { RouteRule } from './route-rule.entity';

export interface RouteMatch {
  rule: RouteRule;
  unit: OrgUnit;
}

@Injectable()
export class RoutingRepository {
  /** The best active rule for the order: priority, then the more specific (category, street). */
  async bestMatch(m: EntityManager, districtCode: string, categoryCode: string, streetCode: string | null): Promise<RouteMatch | null> {
    const rule = await m
      .getRepository(RouteRule)
      .createQueryBuilder('r')
      .where('r.active AND r.district_code = :districtCode', { districtCode })
      .andWhere("(r.category_prefix IS NULL OR :cat = r.category_prefix OR :cat LIKE r.category_prefix || '.%')", { cat: categoryCode })
      .andWhere('(r.street_code IS NULL OR r.street_code = :street)', { street: streetCode ?? '' })
      .orderBy('r.priority', 'DESC')
      .addOrderBy('(r.category_prefix IS NOT NULL)', 'DESC')
      .addOrderBy('(r.street_code IS NOT NULL)', 'DESC')
      .limit(1)
      .getOne();
    if (!rule) return null;
    const unit = await m.getRepository(OrgUnit).findOneBy({ id: rule.unitId, active: true });
    return unit ? { rule, unit } : null;
  }
}
