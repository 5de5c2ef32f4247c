import { IsEnum, IsInt, IsISO8601, IsUUID, Min } from 'class-validator';
import { Channel } from '../enums';

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
}
