import { Type } from 'class-transformer';
import {
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsEnum,
  IsISO8601,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { LocationV1 } from '../common';
import { Channel, RequestType, TicketFlag, Urgency } from '../enums';

/**
 * intake → everyone: an order was accepted (受理) and needs handling.
 * Carries no citizen identity: name and phone stay encrypted in intake and are revealed on request.
 */
export class TicketAcceptedV1 {
  /** Human-readable order number, date-prefixed in the city's time zone: `20261122-000123`. */
  @Matches(/^\d{8}-\d{6}$/)
  orderNo: string;

  @IsEnum(Channel)
  channel: Channel;

  @IsEnum(RequestType)
  requestType: RequestType;

  @IsString()
  @Matches(/^[a-z0-9_.]+$/)
  categoryCode: string;

  @IsEnum(Urgency)
  urgency: Urgency;

  @IsString()
  @MaxLength(4000)
  content: string;

  @IsObject()
  @ValidateNested()
  @Type(() => LocationV1)
  location: LocationV1;

  /** The citizen asked that the handling unit not learn who they are. */
  @IsBoolean()
  identityHidden: boolean;

  /** Proactive order (未诉先办) raised by a grid worker or video patrol, with no citizen. */
  @IsBoolean()
  proactive: boolean;

  /**
   * The citizen asked that the order stay off the public problem wall (问题墙). Absent means the
   * citizen was not asked: analytics then keeps the order off the wall when `identityHidden` is set,
   * and shows it otherwise. Additive, optional: deploy analytics (and every other consumer) first.
   */
  @IsOptional()
  @IsBoolean()
  publicWallOptOut?: boolean;

  @IsArray()
  @ArrayUnique()
  @IsEnum(TicketFlag, { each: true })
  flags: TicketFlag[];

  /**
   * The place at street level as people read it (`城西区胜利路街道`), from intake's gazetteer: what a
   * notification may say about where the matter is. Absent when the street is not known. Additive, optional.
   */
  @IsOptional()
  @IsString()
  @MaxLength(100)
  placeName?: string;

  /**
   * The citizen left a mobile number and did not refuse text messages: callback may send the survey
   * link by SMS without an agent. Not the number itself. Absent: unknown (treated as false). Additive, optional.
   */
  @IsOptional()
  @IsBoolean()
  smsReachable?: boolean;

  @IsISO8601({ strict: true })
  acceptedAt: string;
}
