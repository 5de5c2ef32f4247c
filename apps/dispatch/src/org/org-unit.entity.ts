import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

export const UNIT_KINDS = [
  'city_centre',
  'district_centre',
  'street',
  'township',
  'community',
  'department',
  'utility',
  'resident_desk',
] as const;

export type UnitKind = (typeof UNIT_KINDS)[number];

/** A node of the organisation: city → district → street/township → community; departments; utilities. */
@Entity('org_unit')
@Index('idx_org_unit_district', ['districtCode'])
export class OrgUnit {
  @PrimaryColumn('uuid')
  id: string;

  @Index('uq_org_unit_code', { unique: true })
  @Column('text')
  code: string;

  @Column('text', { name: 'name_zh' })
  nameZh: string;

  @Column('text', { name: 'name_en' })
  nameEn: string;

  @Column('text')
  kind: UnitKind;

  /** The district it belongs to; the city's code for city-level units. */
  @Column('text', { name: 'district_code' })
  districtCode: string;

  @Column('text', { name: 'street_code', nullable: true })
  streetCode: string | null;

  @Column('uuid', { name: 'parent_id', nullable: true })
  parentId: string | null;

  /** The unit head must sign off each reply (一把手签批). */
  @Column('boolean', { name: 'requires_head_signoff', default: false })
  requiresHeadSignoff: boolean;

  /**
   * For a district centre: repeat or concentrated orders (双交办) wait for the district leader's
   * sign-off before they are dispatched. Off unless the district turns it on.
   */
  @Column('boolean', { name: 'dual_signoff_required', default: false })
  dualSignoffRequired: boolean;

  @Column('boolean', { default: true })
  active: boolean;
}
