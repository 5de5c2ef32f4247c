import { ArrayUnique, IsArray, IsEnum, IsInt, IsISO8601, IsOptional, IsString, IsUUID, Matches, MaxLength, Min } from 'class-validator';
import { RequestType, TicketFlag, Urgency } from '../enums';

/** dispatch → sla, analytics, ...: the order was assigned to a handling unit (交办/派单). */
export class TicketDispatchedV1 {
  @IsUUID()
  assignmentId: string;

  @IsUUID()
  unitId: string;

  @IsString()
  @MaxLength(200)
  unitName: string;

  @Matches(/^\d{6}$/)
  districtCode: string;

  @IsOptional()
  @Matches(/^\d{9}$/)
  streetCode?: string;

  @IsString()
  categoryCode: string;

  @IsEnum(RequestType)
  requestType: RequestType;

  @IsEnum(Urgency)
  urgency: Urgency;

  @IsArray()
  @ArrayUnique()
  @IsEnum(TicketFlag, { each: true })
  flags: TicketFlag[];

  /** The routing rule that chose the unit; absent for a manual dispatch. */
  @IsOptional()
  @IsUUID()
  ruleId?: string;

  /** Handling cycle: 1 for the first dispatch, +1 for every rework or reopen. */
  @IsInt()
  @Min(1)
  cycle: number;

  @IsISO8601({ strict: true })
  dispatchedAt: string;
}
