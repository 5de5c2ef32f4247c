import { districtScope, FieldValidationException, inDistrict, Principal } from '@app/platform';
import { ConflictException, ForbiddenException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { DISPATCH_CONFIG, DispatchConfig } from '../dispatch.config';
import { OrgUnit } from './org-unit.entity';
import { CreateUnitDto, ListUnitsQuery, UpdateUnitDto } from './org.dto';
import { OrgRepository } from './org.repository';
import { assertServed } from './served-districts';
import { unitIdFor } from './unit-id';

/**
 * The organisation tree and its administration (admins of the district, or of the city). A district
 * node administers only the districts it serves (`assertServed`).
 */
@Injectable()
export class OrgService {
  constructor(
    private readonly org: OrgRepository,
    @Inject(DISPATCH_CONFIG) private readonly config: DispatchConfig,
  ) {}

  list(user: Principal, q: ListUnitsQuery): Promise<OrgUnit[]> {
    const scope = districtScope(user);
    // City-level units (utilities, the city centre) are visible to every district.
    return this.org.list({
      districts: scope ? [...scope, this.config.CITY_CODE] : null,
      districtCode: q.districtCode,
      kind: q.kind,
      parentId: q.parentId,
      includeInactive: q.includeInactive === 'true',
    });
  }

  async get(user: Principal, id: string): Promise<OrgUnit> {
    const u = await this.org.find(id);
    if (!u || !(inDistrict(user, u.districtCode) || u.districtCode === this.config.CITY_CODE)) throw new NotFoundException(`no unit ${id}`);
    return u;
  }

  async create(user: Principal, dto: CreateUnitDto): Promise<OrgUnit> {
    if (!inDistrict(user, dto.districtCode)) throw new ForbiddenException(`district ${dto.districtCode} is not one of yours`);
    assertServed(this.config, dto.districtCode);
    if (await this.org.findByCode(dto.code)) throw new ConflictException(`a unit with code ${dto.code} exists`);
    if (dto.parentId) {
      const parent = await this.org.find(dto.parentId);
      if (!parent || (parent.districtCode !== dto.districtCode && parent.districtCode !== this.config.CITY_CODE)) {
        throw new FieldValidationException([
          { field: 'parentId', reason: `parentId must be a unit of district ${dto.districtCode} or the city` },
        ]);
      }
    }
    const unit = Object.assign(new OrgUnit(), {
      id: unitIdFor(dto.code),
      code: dto.code,
      nameZh: dto.nameZh,
      nameEn: dto.nameEn,
      kind: dto.kind,
      districtCode: dto.districtCode,
      streetCode: dto.streetCode ?? null,
      parentId: dto.parentId ?? null,
      requiresHeadSignoff: dto.requiresHeadSignoff ?? false,
      dualSignoffRequired: false,
      active: true,
    });
    await this.org.insert(unit);
    return unit;
  }

  async update(user: Principal, id: string, dto: UpdateUnitDto): Promise<OrgUnit> {
    const u = await this.org.find(id);
    if (!u || !inDistrict(user, u.districtCode)) throw new NotFoundException(`no unit ${id}`);
    // A district node holds the city tier, but the city's node administers it.
    assertServed(this.config, u.districtCode);
    if (dto.dualSignoffRequired !== undefined && u.kind !== 'district_centre') {
      throw new FieldValidationException([
        { field: 'dualSignoffRequired', reason: 'dualSignoffRequired applies to a district centre only' },
      ]);
    }
    Object.assign(u, {
      ...(dto.nameZh !== undefined ? { nameZh: dto.nameZh } : {}),
      ...(dto.nameEn !== undefined ? { nameEn: dto.nameEn } : {}),
      ...(dto.requiresHeadSignoff !== undefined ? { requiresHeadSignoff: dto.requiresHeadSignoff } : {}),
      ...(dto.dualSignoffRequired !== undefined ? { dualSignoffRequired: dto.dualSignoffRequired } : {}),
      ...(dto.active !== undefined ? { active: dto.active } : {}),
    });
    await this.org.save(u);
    return u;
  }
}
