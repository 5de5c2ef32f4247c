import { Type } from 'class-transformer';
import {
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsEnum,
  IsInt,
  IsISO8601,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { DISTRICT_CODE_PATTERN } from '../envelope';
import { RequestType, TicketFlag, Urgency } from '../enums';

/**
 * What a dispatch node that has never seen the order needs to take it over: `ticket.accepted.v1` was
 * published under the old district, which a district node does not consume. No citizen identity.
 */
export class RedistrictedOrderV1 {
  @Matches(/^\d{8}-\d{6}$/)
  orderNo: string;

  @IsString()
  @Matches(/^[a-z0-9_.]+$/)
  categoryCode: string;

  @IsEnum(RequestType)
  requestType: RequestType;

  @IsEnum(Urgency)
  urgency: Urgency;

  @IsArray()
  @ArrayUnique()
  @IsEnum(TicketFlag, { each: true })
  flags: TicketFlag[];

  @IsString()
  @MaxLength(4000)
  content: string;

  @IsString()
  @MaxLength(500)
  address: string;

  @IsBoolean()
  identityHidden: boolean;

  /** 未诉先办: raised by a grid worker, a video patrol or a confirmed hotspot; no citizen to call back. */
  @IsBoolean()
  proactive: boolean;

  /** Handling cycle the order is in (1 unless it was reworked or reopened before the move). */
  @IsInt()
  @Min(1)
  cycle: number;

  @IsInt()
  @Min(0)
  reworkCount: number;

  /** False after a decided return: the next unit may not return it again (首接负责). */
  @IsBoolean()
  returnable: boolean;

  @IsISO8601({ strict: true })
  acceptedAt: string;
}

/**
 * dispatch → everyone: the order moved to another district (转区: the city centre hands an order
 * intake could not place to a district centre, or a district centre sends one back to the city or on
 * to the right district). Published under the NEW district, so the node serving it receives it; every
 * service moves the order's district (the subject token of all its later events and the basis of
 * district scope). The order is waiting for its new district's dispatcher or routing rules: no unit
 * has it.
 */
export class TicketRedistrictedV1 {
  @Matches(DISTRICT_CODE_PATTERN, { message: 'fromDistrictCode must be a six-digit GB/T 2260 code' })
  fromDistrictCode: string;

  /** The new district: the same as the envelope's `district`. */
  @Matches(DISTRICT_CODE_PATTERN, { message: 'districtCode must be a six-digit GB/T 2260 code' })
  districtCode: string;

  /** The street, when the dispatcher placed it; absent means the new district's dispatcher decides. */
  @IsOptional()
  @Matches(/^\d{9}$/, { message: 'streetCode must be a nine-digit township code' })
  streetCode?: string;

  @IsString()
  @MinLength(2)
  @MaxLength(2000)
  reason: string;

  /** User id of the dispatcher who moved it. */
  @IsString()
  @MaxLength(200)
  redistrictedBy: string;

  @IsObject()
  @ValidateNested()
  @Type(() => RedistrictedOrderV1)
  order: RedistrictedOrderV1;

  @IsISO8601({ strict: true })
  redistrictedAt: string;
}
