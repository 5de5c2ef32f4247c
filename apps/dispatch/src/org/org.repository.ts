import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { OrgUnit } from './org-unit.entity';

@Injectable()
export class OrgRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  list(districts: string[] | null, districtCode?: string): Promise<OrgUnit[]> {
    const qb = this.dataSource.getRepository(OrgUnit).createQueryBuilder('u').where('u.active').orderBy('u.code');
    if (districts) qb.andWhere('u.district_code = ANY(:districts)', { districts });
    if (districtCode) qb.andWhere('u.district_code = :districtCode', { districtCode });
    return qb.getMany();
  }
}
