import { normaliseStatusToken, RequestType, STATUS_TOKEN, STATUS_TOKEN_MESSAGE } from '@app/contracts';
import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@app/platform';
import { Transform, Type } from 'class-transformer';
import {
  IsBoolean,
  IsEnum,
  IsLatitude,
  IsLongitude,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { CreateSupplementDto } from '../supplements/supplements.dto';
import { CitizenDto } from '../tickets/create-ticket.dto';

export class PublicLocationDto {
  @ApiProperty({ example: '西宁市城西区胜利路12号' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(500)
  address: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsLatitude()
  lat?: number;

  @ApiPropertyOptional()
  @IsOptional()
  @IsLongitude()
  lng?: number;
}

/** 网上诉求: the public web/app form. No login; the category is suggested when left out. */
export class PublicRequestDto {
  @ApiProperty({ example: '小区门口的路灯不亮，晚上回家很不安全' })
  @IsString()
  @IsNotEmpty()
  content: string;

  @ApiPropertyOptional({ enum: RequestType })
  @IsOptional()
  @IsEnum(RequestType)
  requestType?: RequestType;

  @ApiPropertyOptional({ example: 'street_light' })
  @IsOptional()
  @Matches(/^[a-z0-9_.]{2,64}$/, { message: 'categoryCode must be a taxonomy code (GET /categories)' })
  categoryCode?: string;

  @ApiPropertyOptional({ type: CitizenDto, description: 'Required unless anonymous' })
  @IsOptional()
  @ValidateNested()
  @Type(() => CitizenDto)
  citizen?: CitizenDto;

  @ApiPropertyOptional({ description: '匿名: no name and no phone; nobody can call back' })
  @IsOptional()
  @IsBoolean()
  anonymous?: boolean;

  @ApiPropertyOptional({ description: '保密: keep the identity from the handling unit' })
  @IsOptional()
  @IsBoolean()
  identityHidden?: boolean;

  @ApiPropertyOptional({
    description: '不上问题墙: keep the order off the public problem wall; absent: not asked (identityHidden decides)',
  })
  @IsOptional()
  @IsBoolean()
  publicWallOptOut?: boolean;

  @ApiProperty({ type: PublicLocationDto })
  @IsObject({ message: 'location is required' })
  @ValidateNested()
  @Type(() => PublicLocationDto)
  location: PublicLocationDto;
}

/**
 * The status token (查询码) as the citizen typed it: read as the code it stands for
 * (`normaliseStatusToken`: groups, case and look-alike letters), then checked against either form.
 */
function IsStatusToken(): PropertyDecorator {
  return applyDecorators(
    ApiProperty({
      description:
        'The status token (查询码) given with the order number: 16 characters, groups, case and look-alike letters as typed are accepted',
      example: '7KQ2-M9XD-4F8A-ZP3R',
    }),
    Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? normaliseStatusToken(value) : value)),
    Matches(STATUS_TOKEN, { message: STATUS_TOKEN_MESSAGE }),
  );
}

export class StatusLookupDto {
  @ApiProperty({ example: '20261122-000123' })
  @Matches(/^\d{8}-\d{6}$/, { message: 'orderNo must be an order number such as 20261122-000123' })
  orderNo: string;

  @IsStatusToken()
  token: string;
}

/** 补充诉求 from the status page: the words, authorised by the order's status token. */
export class PublicSupplementDto extends CreateSupplementDto {
  @IsStatusToken()
  token: string;
}

export class PublicSuggestDto {
  @ApiProperty({ example: '小区门口的路灯不亮' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(4000)
  text: string;
}

export class PublicAttachmentQuery {
  @IsStatusToken()
  token: string;

  @ApiProperty({ example: 'photo.jpg' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(255)
  @Matches(/^[^/\\"\p{Cc}]+$/u, { message: 'fileName may not contain / \\ " or control characters' })
  @Matches(/^(?!\.{1,2}$)/, { message: 'fileName may not be . or ..' })
  fileName: string;
}

export class OrderNoParam {
  @ApiProperty({ example: '20261122-000123' })
  @Matches(/^\d{8}-\d{6}$/, { message: 'orderNo must be an order number such as 20261122-000123' })
  orderNo: string;
}
