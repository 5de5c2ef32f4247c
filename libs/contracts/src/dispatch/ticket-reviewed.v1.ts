import { IsEnum, IsInt, IsISO8601, IsOptional, IsString, IsUUID, MaxLength, Min } from 'class-validator';
import { ReplyOutcome, ReviewDecision } from '../enums';

/**
 * dispatch → callback, sla, analytics: the dispatcher reviewed a reply (审核). Approved replies go to
 * callback; a reply sent back (退回重办) starts a new finish cycle for the same unit.
 */
export class TicketReviewedV1 {
  @IsUUID()
  assignmentId: string;

  @IsUUID()
  unitId: string;

  @IsEnum(ReviewDecision)
  decision: ReviewDecision;

  @IsEnum(ReplyOutcome)
  outcome: ReplyOutcome;

  @IsOptional()
  @IsString()
  @MaxLength(2000)
  reason?: string;

  @IsString()
  reviewedBy: string;

  @IsInt()
  @Min(1)
  cycle: number;

  @IsISO8601({ strict: true })
  reviewedAt: string;
}
