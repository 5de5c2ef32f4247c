import { IsEnum, IsInt, IsISO8601, IsString, IsUUID, MaxLength, Min, MinLength } from 'class-validator';
import { ReplyOutcome } from '../enums';

/** dispatch → sla, analytics: the unit finished and replied (办结/答复); stops the finish clock. */
export class TicketRepliedV1 {
  @IsUUID()
  assignmentId: string;

  @IsUUID()
  unitId: string;

  @IsEnum(ReplyOutcome)
  outcome: ReplyOutcome;

  /** The reply as the citizen may read it (public, no personal data). */
  @IsString()
  @MinLength(2)
  @MaxLength(4000)
  replyText: string;

  @IsInt()
  @Min(1)
  cycle: number;

  @IsISO8601({ strict: true })
  repliedAt: string;
}
