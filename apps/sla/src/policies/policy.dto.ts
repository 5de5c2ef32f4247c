import { EscalationTarget, RequestType, TicketFlag, Urgency } from '@app/contracts';
import { ApiProperty, ApiPropertyOptional } from '@app/platform';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsDefined,
  IsEnum,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { LimitUnit } from '../calendar/working-time';
import { PauseReason } from './sla-policy.entity';

export class LimitDto {
  @ApiProperty({ example: 5, description: 'hours: 1–720; working_days: 1–60 (checked against the unit)' })
  @IsInt()
  @Min(1, { message: 'value must be a positive whole number' })
  @Max(720)
  value: number;

  @ApiProperty({ enum: ['hours', 'working_days'] })
  @IsIn(['hours', 'working_days'])
  unit: LimitUnit;
}

export class EscalationStepDto {
  @ApiProperty({ enum: EscalationTarget })
  @IsEnum(EscalationTarget)
  target: EscalationTarget;

  @ApiProperty({ example: 1, description: 'Working days after the due time (0 = at once)' })
  @IsInt()
  @Min(0)
  @Max(30)
  afterWorkingDays: number;
}

/** A new policy, or a new version of one (`supersedesId`). Rows are never edited in place. */
export class CreatePolicyDto {
  @ApiProperty({ example: '城西区 投诉 3个工作日' })
  @IsString()
  @MinLength(2)
  @MaxLength(200)
  name: string;

  @ApiPropertyOptional({ description: 'The policy this one replaces; it is retired and this becomes its next version' })
  @IsOptional()
  @IsUUID()
  supersedesId?: string;

  @ApiPropertyOptional({ example: '630104', description: 'A district override; absent = city-wide' })
  @IsOptional()
  @Matches(/^\d{6}$/, { message: 'districtCode must be a six-digit district code' })
  districtCode?: string;

  @ApiPropertyOptional({ enum: RequestType })
  @IsOptional()
  @IsEnum(RequestType)
  requestType?: RequestType;

  @ApiPropertyOptional({ example: 'lift' })
  @IsOptional()
  @Matches(/^[a-z0-9_.]{2,64}$/, { message: 'categoryPrefix must be a taxonomy code (lower case, digits, _ and .)' })
  categoryPrefix?: string;

  @ApiPropertyOptional({ enum: Urgency })
  @IsOptional()
  @IsEnum(Urgency)
  urgency?: Urgency;

  @ApiPropertyOptional({ enum: TicketFlag })
  @IsOptional()
  @IsEnum(TicketFlag)
  flag?: TicketFlag;

  @ApiProperty({ type: LimitDto, description: '响应时限 respond-by' })
  @IsDefined({ message: 'respond is required' })
  @IsObject({ message: 'respond must be an object {value, unit}' })
  @ValidateNested()
  @Type(() => LimitDto)
  respond: LimitDto;

  @ApiProperty({ type: LimitDto, description: '办结时限 finish-by' })
  @IsDefined({ message: 'finish is required' })
  @IsObject({ message: 'finish must be an object {value, unit}' })
  @ValidateNested()
  @Type(() => LimitDto)
  finish: LimitDto;

  @ApiPropertyOptional({ default: 75, description: 'Warn when this share of the limit has elapsed (1–99)' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(99)
  warnPercent?: number;

  @ApiPropertyOptional({ example: 2, description: 'Also warn this many working days before the due time (Pingdingshan: 2)' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(30)
  warnWorkingDaysBefore?: number;

  @ApiPropertyOptional({ type: [EscalationStepDto], description: 'Default: unit at once, district after 1, city after 5 working days' })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(5)
  @ValidateNested({ each: true })
  @Type(() => EscalationStepDto)
  escalation?: EscalationStepDto[];

  @ApiPropertyOptional({ default: 10 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(60)
  maxExtensionWorkingDays?: number;

  @ApiPropertyOptional({ default: 0, description: 'Extensions up to this many working days are approved by rule' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(60)
  autoApproveExtensionWorkingDays?: number;

  @ApiPropertyOptional({ enum: PauseReason, isArray: true })
  @IsOptional()
  @IsArray()
  @ArrayUnique()
  @IsEnum(PauseReason, { each: true })
  pauseOn?: PauseReason[];

  @ApiPropertyOptional({ default: 0, description: 'Higher wins; the defaults use 0–20' })
  @IsOptional()
  @IsInt()
  @Min(-100)
  @Max(1000)
  priority?: number;
}

export class ListPoliciesQuery {
  @ApiPropertyOptional({ default: true })
  @IsOptional()
  @Type(() => String)
  @IsIn(['true', 'false'])
  active?: string;
}
