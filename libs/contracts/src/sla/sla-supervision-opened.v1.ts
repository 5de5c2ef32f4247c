import { IsEnum, IsIn, IsInt, IsISO8601, IsString, IsUUID, MaxLength, Min } from 'class-validator';
import { EscalationTarget } from '../enums';

/** sla → dispatch, analytics: an order was put on the supervision list (督办立项). */
export class SlaSupervisionOpenedV1 {
  @IsUUID()
  itemId: string;

  /** overdue (超时), unsatisfied (回访不满意) or repeat (重复/集中诉求). */
  @IsIn(['overdue', 'unsatisfied', 'repeat'])
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
