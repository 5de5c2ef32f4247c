import { Channel, NotAcceptedReason, RequestType, Urgency } from '@app/contracts';
import { ApiProperty, ApiPropertyOptional } from '@app/platform';
import { Type } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsUUID,
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

export const DISPOSITIONS = ['dispatch', 'answered', 'not_accepted'] as const;

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

  @ApiPropertyOptional({ description: '不接收短信: the citizen does not want text messages (no SMS survey link)' })
  @IsOptional()
  @IsBoolean()
  smsOptOut?: boolean;
}

export class LocationDto {
  @ApiProperty({ example: '西宁市城西区胜利路12号' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(500)
  address: string;

  @ApiPropertyOptional({ example: '630104', description: 'GB/T 2260 district code; resolved from the address when absent' })
  @IsOptional()
  @Matches(/^\d{6}$/, { message: 'districtCode must be a six-digit GB/T 2260 code' })
  districtCode?: string;

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

  @ApiProperty({ example: '楼里的电梯忽上忽下，很危险', description: 'At most MAX_CONTENT_LENGTH characters (4,000 by default)' })
  @IsString()
  @IsNotEmpty()
  content: string;

  @ApiPropertyOptional({ type: CitizenDto, description: 'Required except for proactive orders (grid worker, video patrol)' })
  @IsOptional()
  @ValidateNested()
  @Type(() => CitizenDto)
  citizen?: CitizenDto;

  @ApiPropertyOptional({ description: 'Keep the citizen identity from the handling unit (保密)' })
  @IsOptional()
  @IsBoolean()
  identityHidden?: boolean;

  @ApiPropertyOptional({
    description: '不上问题墙: the citizen does not want the order on the public problem wall; absent: the identity protection decides',
  })
  @IsOptional()
  @IsBoolean()
  publicWallOptOut?: boolean;

  @ApiPropertyOptional({ description: 'Fully anonymous (匿名): no name, no phone; only on channels that allow it' })
  @IsOptional()
  @IsBoolean()
  anonymous?: boolean;

  @ApiPropertyOptional({
    enum: DISPOSITIONS,
    default: 'dispatch',
    description: 'dispatch: accept and hand to dispatch; answered: 直接答复 at first contact; not_accepted: 不予受理',
  })
  @IsOptional()
  @IsIn(DISPOSITIONS, { message: `disposition must be one of: ${DISPOSITIONS.join(', ')}` })
  disposition?: (typeof DISPOSITIONS)[number];

  @ApiPropertyOptional({ description: 'Merge this contact into an open order (合并) instead of opening a new one' })
  @IsOptional()
  @IsUUID('4', { message: 'mergeInto must be the id (uuid) of an open order' })
  mergeInto?: string;

  @ApiPropertyOptional({ description: 'The answer given on the spot (disposition answered); public' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(4000)
  answer?: string;

  @ApiPropertyOptional({ description: 'Knowledge-base article the answer came from' })
  @IsOptional()
  @IsUUID('4', { message: 'articleId must be a knowledge-base article id (uuid)' })
  articleId?: string;

  @ApiPropertyOptional({ enum: NotAcceptedReason, description: 'Why the matter is not accepted (disposition not_accepted)' })
  @IsOptional()
  @IsEnum(NotAcceptedReason)
  notAcceptedReason?: NotAcceptedReason;

  @ApiPropertyOptional({ description: 'The category the suggestion offered (POST /tickets/assist); the model learns from the choice' })
  @IsOptional()
  @Matches(/^[a-z0-9_.]{2,64}$/, { message: 'suggestedCategoryCode must be a taxonomy code' })
  suggestedCategoryCode?: string;

  @ApiProperty({ type: LocationDto })
  @IsObject({ message: 'location is required' })
  @ValidateNested()
  @Type(() => LocationDto)
  location: LocationDto;
}

/** What the operator has typed so far: the assistant answers with everything that helps decide. */
export class AssistDto {
  @ApiProperty({ example: '楼道里一股很浓的煤气味' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(4000)
  content: string;

  @ApiPropertyOptional({ example: '西宁市城西区胜利路12号' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  address?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @Matches(/^\d{6}$/, { message: 'districtCode must be a six-digit GB/T 2260 code' })
  districtCode?: string;

  @ApiPropertyOptional({ description: "The caller's number, to find their earlier orders (never stored by this call)" })
  @IsOptional()
  @Matches(CN_PHONE, { message: 'phone must be a Chinese mobile (13812345678) or landline (0971-6123456) number' })
  phone?: string;

  @ApiPropertyOptional({ description: 'Category chosen so far, to look for duplicates in it' })
  @IsOptional()
  @Matches(/^[a-z0-9_.]{2,64}$/, { message: 'categoryCode must be a taxonomy code' })
  categoryCode?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsLatitude()
  lat?: number;

  @ApiPropertyOptional()
  @IsOptional()
  @IsLongitude()
  lng?: number;
}

export class RevealRequestDto {
  @ApiProperty({ example: '电话联系诉求人核实情况', description: 'Why the contact is needed; written to the audit log' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(500)
  purpose: string;
}
