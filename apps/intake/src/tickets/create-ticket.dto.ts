import { Channel, RequestType, Urgency } from '@app/contracts';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
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

/** Chinese mobile (11 digits, 1[3-9]) or landline with area code (0971-6123456). */
export const CN_PHONE = /^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$/;

export class CitizenDto {
  @ApiProperty({ example: '刘晓梅' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(50)
  name: string;

  @ApiProperty({ example: '13812345678' })
  @Matches(CN_PHONE, { message: 'phone must be a Chinese mobile (13812345678) or landline (0971-6123456) number' })
  phone: string;
}

export class LocationDto {
  @ApiProperty({ example: '西宁市城西区胜利路12号' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(500)
  address: string;

  @ApiProperty({ example: '630104', description: 'GB/T 2260 district code' })
  @Matches(/^\d{6}$/, { message: 'districtCode must be a six-digit GB/T 2260 code' })
  districtCode: string;

  @ApiPropertyOptional({ example: '630104004' })
  @IsOptional()
  @Matches(/^\d{9}$/, { message: 'streetCode must be a nine-digit township code' })
  streetCode?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @Matches(/^\d{12}$/, { message: 'communityCode must be a twelve-digit code' })
  communityCode?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsLatitude()
  lat?: number;

  @ApiPropertyOptional()
  @IsOptional()
  @IsLongitude()
  lng?: number;
}

export class CreateTicketDto {
  @ApiProperty({ enum: Channel })
  @IsEnum(Channel)
  channel: Channel;

  @ApiProperty({ enum: RequestType })
  @IsEnum(RequestType)
  requestType: RequestType;

  @ApiProperty({ example: 'lift', description: 'Category code from the taxonomy' })
  @Matches(/^[a-z0-9_.]{2,64}$/, { message: 'categoryCode must be a taxonomy code (lower case, digits, _ and .)' })
  categoryCode: string;

  @ApiPropertyOptional({ enum: Urgency, default: Urgency.Ordinary })
  @IsOptional()
  @IsEnum(Urgency)
  urgency?: Urgency;

  @ApiProperty({ example: '楼里的电梯忽上忽下，很危险' })
  @IsString()
  @IsNotEmpty()
  content: string;

  @ApiPropertyOptional({ type: CitizenDto, description: 'Required except for proactive orders (grid worker, video patrol)' })
  @IsOptional()
  @ValidateNested()
  @Type(() => CitizenDto)
  citizen?: CitizenDto;

  @ApiPropertyOptional({ description: 'Keep the citizen identity from the handling unit' })
  @IsOptional()
  @IsBoolean()
  identityHidden?: boolean;

  @ApiProperty({ type: LocationDto })
  @IsObject({ message: 'location is required' })
  @ValidateNested()
  @Type(() => LocationDto)
  location: LocationDto;
}
