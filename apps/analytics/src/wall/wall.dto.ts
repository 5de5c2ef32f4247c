import { WallItem, WallPage } from '@app/contracts';
import { ApiPropertyOptional } from '@app/platform';
import { Transform } from 'class-transformer';
import { IsInt, IsOptional, Matches, Max, Min } from 'class-validator';

export const WALL_MAX_PAGE_SIZE = 100;
const toInt = ({ value }: { value: unknown }) => (value === undefined || value === '' ? undefined : Number(value));

/** The public wall's listing: by community, street or district (at least one), newest first. */
export class WallQuery {
  @ApiPropertyOptional({ example: '630104004001', description: 'Twelve-digit community (社区/村) code' })
  @IsOptional()
  @Matches(/^\d{12}$/, { message: 'communityCode must be a twelve-digit community code' })
  communityCode?: string;

  @ApiPropertyOptional({ example: '630104004' })
  @IsOptional()
  @Matches(/^\d{9}$/, { message: 'streetCode must be a nine-digit township code' })
  streetCode?: string;

  @ApiPropertyOptional({ example: '630104' })
  @IsOptional()
  @Matches(/^\d{6}$/, { message: 'districtCode must be a six-digit GB/T 2260 code' })
  districtCode?: string;

  @ApiPropertyOptional({ default: 1 })
  @IsOptional()
  @Transform(toInt)
  @IsInt({ message: 'page must be an integer' })
  @Min(1, { message: 'page must be at least 1' })
  @Max(10_000, { message: 'page may be at most 10000' })
  page?: number;

  @ApiPropertyOptional({ default: 20, maximum: WALL_MAX_PAGE_SIZE })
  @IsOptional()
  @Transform(toInt)
  @IsInt({ message: 'pageSize must be an integer' })
  @Min(1, { message: 'pageSize must be at least 1' })
  @Max(WALL_MAX_PAGE_SIZE, { message: `pageSize may be at most ${WALL_MAX_PAGE_SIZE}` })
  pageSize?: number;
}

export type { WallItem, WallPage };
