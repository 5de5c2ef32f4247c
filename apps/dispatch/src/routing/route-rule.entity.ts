import { RequestType, TicketFlag, Urgency } from '@app/contracts';
import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * (district, category, street, request type, urgency, flag) → unit, highest priority first. A null category or street matches
 * any. A category prefix matches its sub-categories (`heating` matches `heating.no_heat`).
 */
@Entity('route_rule')
@Index('idx_route_rule_district', ['districtCode', 'priority'])
export class RouteRule {
  @PrimaryColumn('uuid')
  id: string;

  @Column('text', { name: 'district_code' })
  districtCode: string;

  @Column('text', { name: 'category_prefix', nullable: true })
  categoryPrefix: string | null;

  @Column('text', { name: 'street_code', nullable: true })
  streetCode: string | null;

  /** Only orders of this request type (null = any). */
  @Column('text', { name: 'request_type', nullable: true })
  requestType: RequestType | null;

  /** Only orders of this urgency (null = any). */
  @Column('text', { nullable: true })
  urgency: Urgency | null;

  /** Only orders carrying this flag (null = any). */
  @Column('text', { nullable: true })
  flag: TicketFlag | null;

  @Column('uuid', { name: 'unit_id' })
  unitId: string;

  @Column('int')
  priority: number;

  @Column('boolean', { default: true })
  active: boolean;

  @Column('text', { nullable: true })
  note: string | null;
}
