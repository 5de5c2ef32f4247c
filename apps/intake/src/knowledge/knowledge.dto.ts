import { ApiProperty, ApiPropertyOptional, PartialType } from '@app/platform';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsDateString, IsIn, IsNotEmpty, IsOptional, IsString, Matches, MaxLength } from 'class-validator';

export class CreateArticleDto {
  @ApiProperty({ example: '供暖期和采暖费缴纳' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  title: string;

  @ApiProperty({ example: '西宁市供暖期为每年10月15日至次年4月15日……' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(4000)
  body: string;

  @ApiPropertyOptional({ type: [String], example: ['heating.fee'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @Matches(/^[a-z0-9_.]{2,64}$/, { each: true, message: 'each category code must be a taxonomy code' })
  categoryCodes?: string[];

  @ApiPropertyOptional({ example: '2026-01-01' })
  @IsOptional()
  @IsDateString({ strict: true }, { message: 'validFrom must be a date (YYYY-MM-DD)' })
  validFrom?: string;

  @ApiPropertyOptional({ example: '2026-12-31' })
  @IsOptional()
  @IsDateString({ strict: true }, { message: 'validTo must be a date (YYYY-MM-DD)' })
  validTo?: string;
}

/** An edit: only the fields given change. */
export class UpdateArticleDto extends PartialType(CreateArticleDto) {}

export class ArticleView {
  @ApiProperty() id: string;
  @ApiProperty() title: string;
  @ApiProperty() body: string;
  @ApiProperty({ type: [String] }) categoryCodes: string[];
  @ApiProperty({ type: String, nullable: true }) validFrom: string | null;
  @ApiProperty({ type: String, nullable: true }) validTo: string | null;
  @ApiPropertyOptional({ description: 'Search relevance (search only)' }) rank?: number;
}

export class SearchArticlesDto {
  @ApiPropertyOptional({ example: '暖气什么时候开始', description: 'Absent: the newest articles (the knowledge screen’s list)' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(500)
  q: string;

  @ApiPropertyOptional()
  @IsOptional()
  @Matches(/^[a-z0-9_.]{2,64}$/, { message: 'categoryCode must be a taxonomy code' })
  categoryCode?: string;

  @ApiPropertyOptional({ enum: ['true', 'false'], default: 'false' })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => String(value))
  @IsIn(['true', 'false'])
  includeExpired?: string;
}
