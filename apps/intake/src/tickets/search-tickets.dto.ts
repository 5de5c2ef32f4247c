import { ApiPropertyOptional } from '@app/platform';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsISO8601, IsOptional, IsString, Matches, Max, MaxLength, Min, MinLength } from 'class-validator';
import { CN_PHONE } from './create-ticket.dto';

export const PROGRESS_VALUES = ['accepted', 'processing', 'replied', 'closed', 'answered', 'not_accepted', 'merged'] as const;

/** 工单查询: by number, phone, words of the content, date range, state, district; all optional, combined. */
export class SearchTicketsQuery {
  @ApiPropertyOptional({ example: '20260312-000123' })
  @IsOptional()
  @Matches(/^\d{8}-\d{6}$/, { message: 'orderNo must look like 20260312-000123' })
  orderNo?: string;

  @ApiPropertyOptional({ example: '13812345678', description: "The caller's number (matched by its keyed hash; never stored)" })
  @IsOptional()
  @Matches(CN_PHONE, { message: 'phone must be a Chinese mobile (13812345678) or landline (0971-6123456) number' })
  phone?: string;

  @ApiPropertyOptional({ example: '电梯', description: 'Words of the content' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  q?: string;

  @ApiPropertyOptional({ example: '2026-03-01T00:00:00+08:00', description: 'Accepted at or after' })
  @IsOptional()
  @IsISO8601({}, { message: 'from must be an ISO 8601 date-time' })
  from?: string;

  @ApiPropertyOptional({ example: '2026-03-31T23:59:59+08:00', description: 'Accepted at or before' })
  @IsOptional()
  @IsISO8601({}, { message: 'to must be an ISO 8601 date-time' })
  to?: string;

  @ApiPropertyOptional({ enum: PROGRESS_VALUES })
  @IsOptional()
  @IsIn(PROGRESS_VALUES, { message: `status must be one of: ${PROGRESS_VALUES.join(', ')}` })
  status?: (typeof PROGRESS_VALUES)[number];

  @ApiPropertyOptional({ example: '630104' })
  @IsOptional()
  @Matches(/^\d{6}$/, { message: 'districtCode must be a six-digit GB/T 2260 code' })
  districtCode?: string;

  @ApiPropertyOptional({ default: 1, minimum: 1 })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'page must be a whole number' })
  @Min(1, { message: 'page starts at 1' })
  page?: number;

  @ApiPropertyOptional({ default: 20, minimum: 1, maximum: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'pageSize must be a whole number' })
  @Min(1, { message: 'pageSize must be at least 1' })
  @Max(100, { message: 'pageSize may be at most 100' })
  pageSize?: number;
}
