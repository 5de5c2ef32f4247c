import { ArrayUnique, IsArray, IsEnum, IsInt, IsISO8601, IsOptional, IsUUID, Min } from 'class-validator';
import { Channel, TicketFlag } from '../enums';

/**
 * intake → everyone: a new contact was merged into an existing open order (envelope ticketId = the
 * existing order), so the order shows how many citizens asked.
 */
export class TicketMergedV1 {
  @IsUUID()
  contactId: string;

  @IsEnum(Channel)
  channel: Channel;

  /** Distinct citizens on the order after this merge. */
  @IsInt()
  @Min(1)
  citizenCount: number;

  @IsISO8601({ strict: true })
  mergedAt: string;

  /**
   * The order's flags after the merge (added in v1, optional): `repeat` when the same citizen asked
   * again, `concentrated` when enough distinct citizens asked (双交办). Absent from older producers.
   */
  @IsOptional()
  @IsArray()
  @ArrayUnique()
  @IsEnum(TicketFlag, { each: true })
  flags?: TicketFlag[];
}
