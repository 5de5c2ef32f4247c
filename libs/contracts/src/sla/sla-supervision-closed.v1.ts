import { IsIn, IsISO8601, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';

/** sla → dispatch, analytics: a supervisor closed an item of the supervision list (督办办结). */
export class SlaSupervisionClosedV1 {
  @IsUUID()
  itemId: string;

  /** The item's reason, as opened (sla.supervision-opened.v1): overdue, unsatisfied, repeat or at_risk. */
  @IsIn(['overdue', 'unsatisfied', 'repeat', 'at_risk'])
  reason: string;

  @IsString()
  closedBy: string;

  @IsOptional()
  @IsString()
  @MaxLength(2000)
  note?: string;

  @IsISO8601({ strict: true })
  closedAt: string;
}
