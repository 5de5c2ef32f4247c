import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * A staff member as dispatch knows them, from staff.membership-changed.v1 (the console's accounts):
 * which unit they work in and whether they are active. Assignments name only active members.
 */
@Entity('unit_member')
@Index('idx_unit_member_unit', ['unitId'])
export class UnitMember {
  /** The account id (the tokens' `sub`). */
  @PrimaryColumn('text', { name: 'person_id' })
  personId: string;

  @Column('text', { name: 'login_name' })
  loginName: string;

  @Column('text', { name: 'display_name' })
  displayName: string;

  @Column('uuid', { name: 'unit_id', nullable: true })
  unitId: string | null;

  @Column('text', { array: true })
  roles: string[];

  @Column('text', { array: true })
  districts: string[];

  @Column('boolean')
  active: boolean;

  /** The account's revision: a change applies only over an older one (events arrive in any order). */
  @Column('bigint')
  revision: string;

  @Column('timestamptz', { name: 'changed_at' })
  changedAt: Date;
}
