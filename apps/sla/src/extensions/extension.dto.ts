import { ApiProperty, ApiPropertyOptional } from '@app/platform';
import { Type } from 'class-transformer';
import { IsBoolean, IsEnum, IsInt, IsOptional, IsString, IsUUID, Max, MaxLength, Min, MinLength, ValidateIf } from 'class-validator';
import { ExtensionStatus } from './extension.entity';

export class DecideExtensionDto {
  @ApiProperty({ description: 'true = 同意延期 approve, false = 不同意 refuse' })
  @IsBoolean()
  approve: boolean;

  @ApiPropertyOptional({ description: 'Working days granted (default: as asked; never more than asked)' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(60)
  days?: number;

  @ApiPropertyOptional({ description: 'Required when refusing: why', example: '诉求人已多次反映，须按期办结' })
  @ValidateIf((o: DecideExtensionDto) => o.approve === false || o.note !== undefined)
  @IsString()
  @MinLength(2, { message: 'note must give the reason (at least 2 characters)' })
  @MaxLength(2000)
  note?: string;
}

export class ListExtensionsQuery {
  @ApiPropertyOptional({ enum: ExtensionStatus })
  @IsOptional()
  @IsEnum(ExtensionStatus)
  status?: ExtensionStatus;

  @ApiPropertyOptional()
  @IsOptional()
  @IsUUID()
  ticketId?: string;

  @ApiPropertyOptional({ default: 100, maximum: 500 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;
}
