import { IsEnum, IsIn, IsISO8601, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { EscalationTarget } from '../enums';

/** sla → dispatch, notify, analytics: a supervisor closed an item of the supervision list (督办销号). */
export class SlaSupervisionClosedV1 {
  @IsUUID()
  itemId: string;

  /** The item's reason, as opened (sla.supervision-opened.v1): overdue, unsatisfied, repeat or at_risk. */
  @IsIn(['overdue', 'unsatisfied', 'repeat', 'at_risk'])
  reason: string;

  /**
   * The item's level when it was closed (escalation may have raised it since it was opened). Absent
   * in events of producers before it was added.
   */
  @IsOptional()
  @IsEnum(EscalationTarget)
  level?: EscalationTarget;

  /** The unit the item named when it was closed (it follows its order to a new unit). Absent in older events. */
  @IsOptional()
  @IsUUID()
  unitId?: string;

  @IsString()
  closedBy: string;

  @IsOptional()
  @IsString()
  @MaxLength(2000)
  note?: string;

  @IsISO8601({ strict: true })
  closedAt: string;
}
