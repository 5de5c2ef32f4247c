import { IsEnum, IsInt, IsISO8601, IsOptional, IsUUID, Min } from 'class-validator';
import { CloseReason, ReplyOutcome, Satisfaction } from '../enums';

/** dispatch → everyone: the order is closed (结案). */
export class TicketClosedV1 {
  @IsUUID()
  unitId: string;

  @IsEnum(ReplyOutcome)
  outcome: ReplyOutcome;

  /** Last callback answer, absent when the citizen could not be reached. */
  @IsOptional()
  @IsEnum(Satisfaction)
  satisfaction?: Satisfaction;

  @IsEnum(CloseReason)
  closeReason: CloseReason;

  @IsInt()
  @Min(1)
  cycle: number;

  @IsISO8601({ strict: true })
  closedAt: string;
}
