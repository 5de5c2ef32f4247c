import { ArrayMaxSize, ArrayUnique, IsArray, IsInt, IsISO8601, IsOptional, IsString, IsUUID, Matches, Min } from 'class-validator';

/**
 * dispatch → intake, analytics: the handling unit named the people who take the order (分派: a
 * resident desk's inspectors) and/or passed it to a unit under it (下派: a street's community).
 * Carries the whole current assignment, not a delta: the latest `assignedAt` wins. intake lets these
 * people and the sub-unit's members reveal the citizen while the order stays with `unitId`.
 */
export class TicketAssignedV1 {
  @IsUUID()
  assignmentId: string;

  /** The handling unit that assigned (the order's unit). */
  @IsUUID()
  unitId: string;

  /** The unit under it the order was passed down to, if any. */
  @IsOptional()
  @IsUUID()
  subUnitId?: string;

  /** Person ids (the staff accounts' ids, the tokens' `sub`) who handle the order; may be empty. */
  @IsArray()
  @ArrayMaxSize(10)
  @ArrayUnique()
  @IsString({ each: true })
  @Matches(/^[A-Za-z0-9_.:@-]{1,100}$/, { each: true, message: 'assignees must be user ids' })
  assignees: string[];

  @IsInt()
  @Min(1)
  cycle: number;

  /** Who assigned (a member of the handling unit). */
  @IsString()
  assignedBy: string;

  @IsISO8601({ strict: true })
  assignedAt: string;
}
