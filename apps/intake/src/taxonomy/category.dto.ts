import { ApiProperty, ApiPropertyOptional } from '@app/platform';
import { ArrayMaxSize, IsArray, IsBoolean, IsNotEmpty, IsOptional, IsString, Matches, MaxLength } from 'class-validator';

export class SaveCategoryDto {
  @ApiProperty({ example: 'heating.fee.refund', description: 'Dotted code, at most three levels' })
  @Matches(/^[a-z][a-z0-9_]{1,30}(\.[a-z][a-z0-9_]{1,30}){0,2}$/, {
    message: 'code must be one to three dotted parts of lower case letters, digits and _ (heating.fee.refund)',
  })
  code: string;

  @ApiProperty({ example: '供热费退费' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(50)
  nameZh: string;

  @ApiProperty({ example: 'Heating fee refund' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  nameEn: string;

  @ApiPropertyOptional({ type: [String], example: ['退费', '退还取暖费'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  @MaxLength(30, { each: true })
  keywords?: string[];

  @ApiPropertyOptional({ default: true })
  @IsOptional()
  @IsBoolean()
  active?: boolean;
}
