import { IsInt, IsISO8601, IsOptional, IsString, IsUUID, Max, MaxLength, Min, MinLength } from 'class-validator';

/** dispatch → sla: a unit asks for more time (延期) before its deadline; sla decides. */
export class TicketExtensionRequestedV1 {
  @IsUUID()
  requestId: string;

  @IsUUID()
  assignmentId: string;

  @IsUUID()
  unitId: string;

  /** Working days asked for. */
  @IsInt()
  @Min(1)
  @Max(60)
  days: number;

  @IsString()
  @MinLength(2)
  @MaxLength(2000)
  reason: string;

  @IsISO8601({ strict: true })
  requestedAt: string;

  /** The handling cycle asking (added later: optional; sla takes the open finish clock when absent). */
  @IsOptional()
  @IsInt()
  @Min(1)
  cycle?: number;

  /** Who asked (user id). */
  @IsOptional()
  @IsString()
  requestedBy?: string;
}
