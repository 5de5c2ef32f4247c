import { IsEnum, IsISO8601, IsOptional, IsString, IsUUID, Matches, MaxLength } from 'class-validator';
import { Channel, RequestType } from '../enums';

/** intake → everyone: the operator answered the request at first contact (直接答复); it is never dispatched. */
export class TicketAnsweredV1 {
  @Matches(/^\d{8}-\d{6}$/)
  orderNo: string;

  @IsEnum(Channel)
  channel: Channel;

  @IsEnum(RequestType)
  requestType: RequestType;

  @IsString()
  @Matches(/^[a-z0-9_.]+$/)
  categoryCode: string;

  /** Knowledge-base article the answer came from, when there was one. */
  @IsOptional()
  @IsUUID()
  articleId?: string;

  @IsString()
  @MaxLength(4000)
  answer: string;

  @IsISO8601({ strict: true })
  answeredAt: string;
}
