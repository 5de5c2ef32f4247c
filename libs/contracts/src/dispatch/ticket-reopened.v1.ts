import { IsEnum, IsInt, IsISO8601, IsString, IsUUID, MaxLength, Min } from 'class-validator';
import { ReopenSource } from '../enums';

/** dispatch → sla, analytics: the order was reopened for rework (重办), starting a new cycle. */
export class TicketReopenedV1 {
  @IsUUID()
  assignmentId: string;

  @IsUUID()
  unitId: string;

  @IsEnum(ReopenSource)
  source: ReopenSource;

  @IsString()
  @MaxLength(2000)
  reason: string;

  /** The new cycle number. */
  @IsInt()
  @Min(2)
  cycle: number;

  @IsISO8601({ strict: true })
  reopenedAt: string;
}
