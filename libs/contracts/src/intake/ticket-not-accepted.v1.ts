import { IsEnum, IsISO8601, IsOptional, IsString, Matches } from 'class-validator';
import { Channel, NotAcceptedReason, RequestType } from '../enums';

/**
 * intake → analytics: the operator did not accept the contact (不予受理) for a reason the statutes
 * give; it is never dispatched and gets no callback. The envelope's district is the contact's. Only
 * what the counts need: no content, no address, no citizen.
 */
export class TicketNotAcceptedV1 {
  @Matches(/^\d{8}-\d{6}$/)
  orderNo: string;

  @IsEnum(Channel)
  channel: Channel;

  @IsEnum(RequestType)
  requestType: RequestType;

  @IsString()
  @Matches(/^[a-z0-9_.]+$/)
  categoryCode: string;

  @IsEnum(NotAcceptedReason)
  reason: NotAcceptedReason;

  /** The street or township of the matter, when intake placed it (never the address). */
  @IsOptional()
  @Matches(/^\d{9}$/, { message: 'streetCode must be a nine-digit township code' })
  streetCode?: string;

  @IsISO8601({ strict: true })
  notAcceptedAt: string;
}
