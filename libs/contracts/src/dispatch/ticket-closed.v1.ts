import { IsEnum, IsInt, IsISO8601, IsOptional, IsString, IsUUID, Min } from 'class-validator';
import { ReplyOutcome, Satisfaction } from '../enums';

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

  /** `callback_satisfied`, `callback_unreachable`, ... */
  @IsString()
  closeReason: string;

  @IsInt()
  @Min(1)
  cycle: number;

  @IsISO8601({ strict: true })
  closedAt: string;
}
