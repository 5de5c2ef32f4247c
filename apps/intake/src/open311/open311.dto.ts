import { ApiProperty, ApiPropertyOptional, toNumber } from '@app/platform';
import { Transform } from 'class-transformer';
import { IsEmail, IsInt, IsNotEmpty, IsNumber, IsObject, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { CN_PHONE } from '../tickets/create-ticket.dto';

/** POST requests: `application/x-www-form-urlencoded` fields of GeoReport v2. */
export class Open311PostDto {
  @ApiProperty({
    description: "The client's key (issued by an administrator in the console, or OPEN311_API_KEYS; `npm start` prints a demo one)",
  })
  @IsOptional()
  @IsString()
  api_key?: string;

  @ApiPropertyOptional({ example: '630100' })
  @IsOptional()
  @IsString()
  jurisdiction_id?: string;

  @ApiProperty({ example: 'lift', description: 'A category code from services.json' })
  @IsString()
  @IsNotEmpty({ message: 'service_code is required' })
  service_code: string;

  @IsOptional() @Transform(toNumber) @IsNumber({}, { message: 'lat must be a number (WGS-84 latitude)' }) @Min(-90) @Max(90) lat?: number;
  @IsOptional()
  @Transform(toNumber)
  @IsNumber({}, { message: 'long must be a number (WGS-84 longitude)' })
  @Min(-180)
  @Max(180)
  long?: number;
  @ApiPropertyOptional({ example: '城西区胜利路12号' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  address_string?: string;
  @IsOptional() @IsString() @MaxLength(100) address_id?: string;

  /** Checked against MAX_CONTENT_LENGTH (the spec's 4,000 characters) by the service. */
  @ApiProperty({ example: '小区电梯忽上忽下' })
  @IsString()
  @IsNotEmpty({ message: 'description is required: what is the problem?' })
  description: string;

  @IsOptional() @IsObject({ message: 'attribute must be attribute[CODE]=value pairs' }) attribute?: Record<string, unknown>;
  @IsOptional() @IsEmail() email?: string;
  @IsOptional() @IsString() @MaxLength(100) device_id?: string;
  @IsOptional() @IsString() @MaxLength(100) account_id?: string;
  @IsOptional() @IsString() @MaxLength(25) first_name?: string;
  @IsOptional() @IsString() @MaxLength(25) last_name?: string;

  @ApiPropertyOptional({ description: 'Chinese mobile or landline; without it the request is anonymous' })
  @IsOptional()
  @Matches(CN_PHONE, { message: 'phone must be a Chinese mobile (13812345678) or landline (0971-6123456) number' })
  phone?: string;

  @IsOptional() @IsString() @MaxLength(1000) media_url?: string;
}

/** GET requests: filters of GeoReport v2 plus the common page/page_size extension. */
export class Open311QueryDto {
  @IsOptional() @IsString() jurisdiction_id?: string;
  @IsOptional() @IsString() api_key?: string;
  @IsOptional() @IsString() extensions?: string;
  @IsOptional() @IsString() @MaxLength(2000) service_request_id?: string;
  @IsOptional() @IsString() @MaxLength(2000) service_code?: string;

  @IsOptional()
  @Matches(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/, {
    message: 'start_date must be a W3C date-time (2026-11-01T00:00:00Z)',
  })
  start_date?: string;

  @IsOptional()
  @Matches(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/, {
    message: 'end_date must be a W3C date-time (2026-11-30T23:59:59Z)',
  })
  end_date?: string;

  @IsOptional()
  @Matches(/^(open|closed)(,(open|closed))*$/, { message: 'status must be open, closed or both, comma-separated' })
  status?: string;

  @IsOptional() @Transform(toNumber) @IsInt({ message: 'page must be a whole number from 1' }) @Min(1) page?: number;
  @IsOptional()
  @Transform(toNumber)
  @IsInt({ message: 'page_size must be a whole number from 1 to 100' })
  @Min(1)
  @Max(100)
  page_size?: number;
}

/** Single-resource GETs take only the jurisdiction (and tolerate an api_key). */
export class Open311JurisdictionDto {
  @IsOptional() @IsString() jurisdiction_id?: string;
  @IsOptional() @IsString() api_key?: string;
  @IsOptional() @IsString() extensions?: string;
}
