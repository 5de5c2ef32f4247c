import { ApiProperty, ApiPropertyOptional } from '@app/platform';
import { IsBoolean, IsIn, IsOptional, IsString, IsUUID, Matches, MaxLength, MinLength } from 'class-validator';
import { UNIT_KINDS, UnitKind } from './org-unit.entity';

export class CreateUnitDto {
  @ApiProperty({ example: '630104004003', description: 'Stable code; the unit id is derived from it' })
  @Matches(/^[0-9a-z_-]{3,60}$/, { message: 'code must be 3–60 characters of digits, lower-case letters, - and _' })
  code: string;

  @ApiProperty({ example: '西川南路社区' })
  @IsString()
  @MinLength(2)
  @MaxLength(200)
  nameZh: string;

  @ApiProperty({ example: 'Xichuan South Road Community' })
  @IsString()
  @MinLength(2)
  @MaxLength(200)
  nameEn: string;

  @ApiProperty({ enum: UNIT_KINDS })
  @IsIn(UNIT_KINDS)
  kind: UnitKind;

  @ApiProperty({ example: '630104' })
  @Matches(/^\d{6}$/, { message: 'districtCode must be a six-digit GB/T 2260 code' })
  districtCode: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsUUID()
  parentId?: string;

  @ApiPropertyOptional({ example: '630104004' })
  @IsOptional()
  @Matches(/^\d{9}$/, { message: 'streetCode must be a nine-digit street or township code' })
  streetCode?: string;

  @ApiPropertyOptional({ description: '一把手签批: every reply needs the unit head’s sign-off' })
  @IsOptional()
  @IsBoolean()
  requiresHeadSignoff?: boolean;
}

export class UpdateUnitDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MinLength(2)
  @MaxLength(200)
  nameZh?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MinLength(2)
  @MaxLength(200)
  nameEn?: string;

  @ApiPropertyOptional({ description: '一把手签批: every reply needs the unit head’s sign-off' })
  @IsOptional()
  @IsBoolean()
  requiresHeadSignoff?: boolean;

  @ApiPropertyOptional({ description: 'District centres only: 双交办 orders wait for the district leader’s sign-off' })
  @IsOptional()
  @IsBoolean()
  dualSignoffRequired?: boolean;

  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean()
  active?: boolean;
}

export class ListUnitsQuery {
  @ApiPropertyOptional()
  @IsOptional()
  @Matches(/^\d{6}$/, { message: 'districtCode must be a six-digit GB/T 2260 code' })
  districtCode?: string;

  @ApiPropertyOptional({ enum: UNIT_KINDS })
  @IsOptional()
  @IsIn(UNIT_KINDS)
  kind?: UnitKind;

  @ApiPropertyOptional()
  @IsOptional()
  @IsUUID()
  parentId?: string;

  @ApiPropertyOptional({ enum: ['true', 'false'], description: 'Also retired units (the administrators’ tree)' })
  @IsOptional()
  @IsIn(['true', 'false'])
  includeInactive?: 'true' | 'false';
}
