import { Inject, Injectable } from '@nestjs/common';
import { TransactionHost, TxHost } from '@app/platform';
import { OrgUnit, UnitKind } from './org-unit.entity';

export interface UnitFilter {
  districts: string[] | null;
  districtCode?: string;
  kind?: UnitKind;
  parentId?: string;
  includeInactive?: boolean;
}

@Injectable()
export class OrgRepository {
  constructor(@Inject(TransactionHost) private readonly txHost: TxHost) {}

  list(f: UnitFilter): Promise<OrgUnit[]> {
    const qb = this.txHost.tx.getRepository(OrgUnit).createQueryBuilder('u').orderBy('u.code');
    if (!f.includeInactive) qb.andWhere('u.active');
    if (f.districts) qb.andWhere('u.district_code = ANY(:districts)', { districts: f.districts });
    if (f.districtCode) qb.andWhere('u.district_code = :districtCode', { districtCode: f.districtCode });
    if (f.kind) qb.andWhere('u.kind = :kind', { kind: f.kind });
    if (f.parentId) qb.andWhere('u.parent_id = :parentId', { parentId: f.parentId });
    return qb.getMany();
  }

  find(id: string): Promise<OrgUnit | null> {
    return this.txHost.tx.getRepository(OrgUnit).findOneBy({ id });
  }

  findByCode(code: string): Promise<OrgUnit | null> {
    return this.txHost.tx.getRepository(OrgUnit).findOneBy({ code });
  }

  /** The district's hotline centre (接诉即办中心), whose head is the district leader for 双交办. */
  districtCentre(districtCode: string): Promise<OrgUnit | null> {
    return this.txHost.tx.getRepository(OrgUnit).findOneBy({ districtCode, kind: 'district_centre', active: true });
  }

  async insert(u: OrgUnit): Promise<void> {
    await this.txHost.tx.getRepository(OrgUnit).insert(u);
  }

  async save(u: OrgUnit): Promise<void> {
    await this.txHost.tx.getRepository(OrgUnit).save(u);
  }
}
