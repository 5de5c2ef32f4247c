import { RequestType, TicketFlag, Urgency } from '@app/contracts';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEnum, IsIn, IsInt, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min } from 'class-validator';

export class CreateRouteRuleDto {
  @ApiProperty({ example: '630104' })
  @Matches(/^\d{6}$/, { message: 'districtCode must be a six-digit GB/T 2260 code' })
  districtCode: string;

  @ApiPropertyOptional({ example: 'lift', description: 'Matches the category and its sub-categories; absent = any' })
  @IsOptional()
  @Matches(/^[a-z0-9_.]+$/, { message: 'categoryPrefix must be a category code such as lift or heating.no_heat' })
  categoryPrefix?: string;

  @ApiPropertyOptional({ example: '630104004' })
  @IsOptional()
  @Matches(/^\d{9}$/, { message: 'streetCode must be a nine-digit street or township code' })
  streetCode?: string;

  @ApiPropertyOptional({ enum: RequestType })
  @IsOptional()
  @IsEnum(RequestType)
  requestType?: RequestType;

  @ApiPropertyOptional({ enum: Urgency })
  @IsOptional()
  @IsEnum(Urgency)
  urgency?: Urgency;

  @ApiPropertyOptional({ enum: TicketFlag })
  @IsOptional()
  @IsEnum(TicketFlag)
  flag?: TicketFlag;

  @ApiProperty()
  @IsUUID()
  unitId: string;

  @ApiProperty({ example: 120, description: 'Higher wins' })
  @IsInt()
  @Min(0)
  @Max(10000)
  priority: number;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(500)
  note?: string;
}

export class ListRulesQuery {
  @ApiPropertyOptional()
  @IsOptional()
  @Matches(/^\d{6}$/, { message: 'districtCode must be a six-digit GB/T 2260 code' })
  districtCode?: string;

  @ApiPropertyOptional({ enum: ['true', 'false'] })
  @IsOptional()
  @IsIn(['true', 'false'])
  includeInactive?: 'true' | 'false';
}
