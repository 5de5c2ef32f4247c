import { EscalationTarget } from '@app/contracts';
import { ApiProperty, ApiPropertyOptional } from '@app/platform';
import { Type } from 'class-transformer';
import { IsEnum, IsInt, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min, MinLength } from 'class-validator';
import { SupervisionReason, SupervisionStatus } from './supervision.entity';

export class ListSupervisionQuery {
  @ApiPropertyOptional({ example: '630104' })
  @IsOptional()
  @Matches(/^\d{6}$/, { message: 'districtCode must be a six-digit district code' })
  districtCode?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsUUID()
  unitId?: string;

  @ApiPropertyOptional({ enum: EscalationTarget })
  @IsOptional()
  @IsEnum(EscalationTarget)
  level?: EscalationTarget;

  @ApiPropertyOptional({ enum: SupervisionReason })
  @IsOptional()
  @IsEnum(SupervisionReason)
  reason?: SupervisionReason;

  @ApiPropertyOptional({ enum: SupervisionStatus, default: SupervisionStatus.Open })
  @IsOptional()
  @IsEnum(SupervisionStatus)
  status?: SupervisionStatus;

  @ApiPropertyOptional({ description: 'Only items open at least this many days (age)' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(3650)
  minAgeDays?: number;

  @ApiPropertyOptional({ default: 100, maximum: 500 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;
}

export class NoteDto {
  @ApiProperty({ example: '请于今日17:00前答复诉求人并反馈办理情况' })
  @IsString()
  @MinLength(2, { message: 'note must say something (at least 2 characters)' })
  @MaxLength(2000)
  note: string;
}

export class CloseItemDto {
  @ApiPropertyOptional({ example: '已督促办结，回访满意' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  note?: string;
}

/** 临期催办: urge the unit holding an order that is not (yet) on the list; its open item is urged, or one is opened. */
export class UrgeOrderDto extends NoteDto {
  @ApiProperty({ description: 'The order (ticket id)' })
  @IsUUID('all', { message: 'ticketId must be an order id (uuid)' })
  ticketId: string;
}
