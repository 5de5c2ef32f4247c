import { EscalationTarget, RequestType, TicketFlag, Urgency } from '@app/contracts';
import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';
import { LimitUnit } from '../calendar/working-time';
import { EscalationStep } from '../clocks/schedule';

/** Why a clock may stand still, when its policy lists the reason in `pause_on`. */
export enum PauseReason {
  /** 等待诉求人: the citizen cannot be reached or asked for time. */
  WaitingForCitizen = 'waiting_for_citizen',
  /** 延期审批中: an extension request is waiting for a decision. */
  ExtensionPending = 'extension_pending',
}

/** Xining's default ladder: the unit at once, the district one working day later, the city five. */
export const DEFAULT_ESCALATION: EscalationStep[] = [
  { target: EscalationTarget.Unit, afterWorkingDays: 0 },
  { target: EscalationTarget.District, afterWorkingDays: 1 },
  { target: EscalationTarget.City, afterWorkingDays: 5 },
];

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

  /** Also warn this many working days before the due time (Pingdingshan: 2); null = no such warning. */
  @Column('int', { name: 'warn_working_days_before', nullable: true })
  warnWorkingDaysBefore: number | null;

  /** The escalation ladder after a breach, in order (rows from before the ladder got DEFAULT_ESCALATION). */
  @Column('jsonb')
  escalation: EscalationStep[];

  /** Longest extension a unit may be granted per cycle, in working days (Shandong rules: 10). */
  @Column('int', { name: 'max_extension_working_days', default: 10 })
  maxExtensionWorkingDays: number;

  /** Extensions up to this many working days are approved by rule, without a supervisor; 0 = never. */
  @Column('int', { name: 'auto_approve_extension_working_days', default: 0 })
  autoApproveExtensionWorkingDays: number;

  /** Reasons that stop the finish clock while they last. */
  @Column('text', { name: 'pause_on', array: true, default: () => "'{}'" })
  pauseOn: PauseReason[];

  /** The policy this one replaced (a new version); null for a first version. */
  @Column('uuid', { name: 'supersedes_id', nullable: true })
  supersedesId: string | null;

  @Column('text', { name: 'created_by', nullable: true })
  createdBy: string | null;

  @Column('int', { default: 0 })
  priority: number;

  @Column('boolean', { default: true })
  active: boolean;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
