import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
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
  /** The best active policy: priority, then the most specific match. */
  best(m: EntityManager, q: PolicyQuery): Promise<SlaPolicy | null> {
    return m
      .getRepository(SlaPolicy)
      .createQueryBuilder('p')
      .where('p.active')
      .andWhere('(p.district_code IS NULL OR p.district_code = :district)', { district: q.districtCode })
      .andWhere('(p.request_type IS NULL OR p.request_type = :type)', { type: q.requestType })
      .andWhere("(p.category_prefix IS NULL OR :cat = p.category_prefix OR :cat LIKE p.category_prefix || '.%')", { cat: q.categoryCode })
      .andWhere('(p.urgency IS NULL OR p.urgency = :urgency)', { urgency: q.urgency })
      .andWhere('(p.flag IS NULL OR p.flag = ANY(:flags))', { flags: q.flags })
      .orderBy('p.priority', 'DESC')
      .addOrderBy(
        '((p.district_code IS NOT NULL)::int + (p.request_type IS NOT NULL)::int + (p.category_prefix IS NOT NULL)::int + (p.urgency IS NOT NULL)::int + (p.flag IS NOT NULL)::int)',
        'DESC',
      )
      .addOrderBy('p.version', 'DESC')
      .limit(1)
      .getOne();
  }

  byId(m: EntityManager, id: string): Promise<SlaPolicy | null> {
    return m.getRepository(SlaPolicy).findOneBy({ id });
  }
}
