import { RequestType, TicketFlag, Urgency } from '@app/contracts';
import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';
import { LimitUnit } from '../calendar/working-time';

/**
 * A time-limit policy row: which orders it covers (null = any) and their respond-by and finish-by
 * limits. Rows are never edited in place: a change is a new row with a higher version, and a clock
 * keeps the policy id it started under.
 */
@Entity('sla_policy')
export class SlaPolicy {
  @PrimaryColumn('uuid')
  id: string;

  @Column('text')
  name: string;

  @Column('int', { default: 1 })
  version: number;

  @Column('text', { name: 'district_code', nullable: true })
  districtCode: string | null;

  @Column('text', { name: 'request_type', nullable: true })
  requestType: RequestType | null;

  @Column('text', { name: 'category_prefix', nullable: true })
  categoryPrefix: string | null;

  @Column('text', { nullable: true })
  urgency: Urgency | null;

  @Column('text', { nullable: true })
  flag: TicketFlag | null;

  @Column('int', { name: 'respond_value' })
  respondValue: number;

  @Column('text', { name: 'respond_unit' })
  respondUnit: LimitUnit;

  @Column('int', { name: 'finish_value' })
  finishValue: number;

  @Column('text', { name: 'finish_unit' })
  finishUnit: LimitUnit;

  /** Warn when this share of the limit has elapsed. */
  @Column('int', { name: 'warn_percent', default: 75 })
  warnPercent: number;

  @Column('int', { default: 0 })
  priority: number;

  @Column('boolean', { default: true })
  active: boolean;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
