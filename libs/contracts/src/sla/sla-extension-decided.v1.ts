import { IsBoolean, IsInt, IsISO8601, IsOptional, IsString, IsUUID, MaxLength, Min } from 'class-validator';

/** `decidedBy` of a decision the policy's rules took at once (no supervisor involved). */
export const DECIDED_BY_RULE = 'rule';

/** sla → dispatch, analytics: an extension request (延期) was approved or refused. */
export class SlaExtensionDecidedV1 {
  @IsUUID()
  requestId: string;

  @IsUUID()
  assignmentId: string;

  @IsBoolean()
  approved: boolean;

  /** Working days granted (0 when refused). */
  @IsInt()
  @Min(0)
  days: number;

  @IsOptional()
  @IsISO8601({ strict: true })
  newFinishDueAt?: string;

  /** The supervisor's user id, or DECIDED_BY_RULE. */
  @IsString()
  decidedBy: string;

  @IsOptional()
  @IsString()
  @MaxLength(2000)
  reason?: string;

  @IsISO8601({ strict: true })
  decidedAt: string;

  /** The handling cycle whose finish clock the decision is about (added later: optional). */
  @IsOptional()
  @IsInt()
  @Min(1)
  cycle?: number;
}
