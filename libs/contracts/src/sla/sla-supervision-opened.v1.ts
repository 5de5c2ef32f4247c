import { IsEnum, IsIn, IsInt, IsISO8601, IsString, IsUUID, MaxLength, Min } from 'class-validator';
import { EscalationTarget } from '../enums';

/** sla → dispatch, analytics: an order was put on the supervision list (督办立项). */
export class SlaSupervisionOpenedV1 {
  @IsUUID()
  itemId: string;

  /** overdue (超时), unsatisfied (回访不满意), repeat (重复/集中诉求) or at_risk (临期督办: urged before its breach). */
  @IsIn(['overdue', 'unsatisfied', 'repeat', 'at_risk'])
  reason: string;

  @IsEnum(EscalationTarget)
  level: EscalationTarget;

  @IsUUID()
  unitId: string;

  @IsInt()
  @Min(1)
  cycle: number;

  @IsString()
  @MaxLength(500)
  summary: string;

  @IsISO8601({ strict: true })
  openedAt: string;
}
