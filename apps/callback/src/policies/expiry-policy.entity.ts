import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * 到期回访 (the Beijing rule), per district: when the finish time limit of one of the district's
 * orders expires without a reply, the citizen is called back (a task of kind `expiry`). A district
 * without a row does not ask for it. Changed only by a city-scope administrator; every change is
 * kept in `expiry_policy_change`.
 */
@Entity('expiry_policy')
export class ExpiryPolicy {
  @PrimaryColumn('text', { name: 'district_code' })
  districtCode: string;

  @Column('boolean')
  enabled: boolean;

  @Column('text', { name: 'updated_by' })
  updatedBy: string;

  @Column('text', { name: 'updated_by_name', nullable: true })
  updatedByName: string | null;

  @Column('timestamptz', { name: 'updated_at' })
  updatedAt: Date;
}

/** The audit of the policy: who turned a district's expiry callback on or off, when, and why. */
@Entity('expiry_policy_change')
@Index('idx_expiry_policy_change_district', ['districtCode', 'at'])
export class ExpiryPolicyChange {
  @PrimaryColumn('uuid')
  id: string;

  @Column('text', { name: 'district_code' })
  districtCode: string;

  /** Null: the district had no row before. */
  @Column('boolean', { name: 'enabled_before', nullable: true })
  enabledBefore: boolean | null;

  @Column('boolean', { name: 'enabled_after' })
  enabledAfter: boolean;

  @Column('text', { name: 'changed_by' })
  changedBy: string;

  @Column('text', { name: 'changed_by_name', nullable: true })
  changedByName: string | null;

  @Column('text', { nullable: true })
  note: string | null;

  @Column('timestamptz')
  at: Date;
}
