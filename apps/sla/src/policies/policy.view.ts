import { EscalationTarget, RequestType, TicketFlag, Urgency } from '@app/contracts';
import { ApiProperty } from '@app/platform';
import { LimitUnit } from '../calendar/working-time';
import { EscalationStep } from '../clocks/schedule';
import { PauseReason, SlaPolicy } from './sla-policy.entity';

/*
 * sla's policy answers as its OpenAPI document describes them (the console's types are generated from it).
 * Each class `implements` what the service returns, so a column added without being described does not
 * compile. Times are ISO 8601 strings on the wire.
 */

const LIMIT_UNITS: LimitUnit[] = ['hours', 'working_days'];

/** One rung of the escalation ladder: to whom, how many working days after the breach. */
export class EscalationStepView implements EscalationStep {
  @ApiProperty({ enum: EscalationTarget, enumName: 'EscalationTarget' }) target: EscalationTarget;
  @ApiProperty() afterWorkingDays: number;
}

/** A time-limit policy (时限规则), one version of it. */
export class SlaPolicyView implements SlaPolicy {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty() version: number;
  @ApiProperty({ type: String, nullable: true, description: 'null: every district' }) districtCode: string | null;
  @ApiProperty({ enum: RequestType, enumName: 'RequestType', nullable: true }) requestType: RequestType | null;
  @ApiProperty({ type: String, nullable: true }) categoryPrefix: string | null;
  @ApiProperty({ enum: Urgency, enumName: 'Urgency', nullable: true }) urgency: Urgency | null;
  @ApiProperty({ enum: TicketFlag, enumName: 'TicketFlag', nullable: true }) flag: TicketFlag | null;
  @ApiProperty() respondValue: number;
  @ApiProperty({ enum: LIMIT_UNITS, enumName: 'LimitUnit' }) respondUnit: LimitUnit;
  @ApiProperty() finishValue: number;
  @ApiProperty({ enum: LIMIT_UNITS, enumName: 'LimitUnit' }) finishUnit: LimitUnit;
  @ApiProperty() warnPercent: number;
  @ApiProperty({ type: Number, nullable: true }) warnWorkingDaysBefore: number | null;
  @ApiProperty({ type: [EscalationStepView] }) escalation: EscalationStepView[];
  @ApiProperty() maxExtensionWorkingDays: number;
  @ApiProperty() autoApproveExtensionWorkingDays: number;
  @ApiProperty({ enum: PauseReason, enumName: 'PauseReason', isArray: true }) pauseOn: PauseReason[];
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) supersedesId: string | null;
  @ApiProperty({ type: String, nullable: true }) createdBy: string | null;
  @ApiProperty() priority: number;
  @ApiProperty() active: boolean;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt: Date;
}
