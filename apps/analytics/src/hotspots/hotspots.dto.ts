import { ApiProperty, ApiPropertyOptional } from '@app/platform';
import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsUUID, Matches, Max, Min } from 'class-validator';
import { DATE } from '../rates/rates.dto';

const toInt = ({ value }: { value: unknown }) => (value === undefined || value === '' ? undefined : Number(value));

export class DetectHotspotsDto {
  @ApiProperty({ example: '2026-11-01', description: 'First day of the window (city time zone)' })
  @Matches(DATE, { message: 'from must be a date YYYY-MM-DD' })
  from: string;

  @ApiProperty({ example: '2026-11-30', description: 'Last day of the window, inclusive' })
  @Matches(DATE, { message: 'to must be a date YYYY-MM-DD' })
  to: string;

  @ApiPropertyOptional({ example: 'street_vendor' })
  @IsOptional()
  @Matches(/^[a-z0-9_.]+$/, { message: 'categoryCode must be a category code' })
  categoryCode?: string;

  @ApiPropertyOptional({ example: '630104' })
  @IsOptional()
  @Matches(/^\d{6}$/, { message: 'districtCode must be a six-digit GB/T 2260 code' })
  districtCode?: string;

  @ApiPropertyOptional({ description: 'Orders in a cell that make a hotspot (default HOTSPOT_MIN_COUNT)' })
  @IsOptional()
  @IsInt({ message: 'minCount must be an integer' })
  @Min(2, { message: 'minCount must be at least 2' })
  @Max(10_000)
  minCount?: number;
}

export class HotspotListQuery {
  @ApiPropertyOptional({ enum: ['detected', 'proposed', 'dismissed'] })
  @IsOptional()
  @IsIn(['detected', 'proposed', 'dismissed'], { message: 'status must be one of: detected, proposed, dismissed' })
  status?: 'detected' | 'proposed' | 'dismissed';

  @ApiPropertyOptional({ example: '630104' })
  @IsOptional()
  @Matches(/^\d{6}$/, { message: 'districtCode must be a six-digit GB/T 2260 code' })
  districtCode?: string;

  @ApiPropertyOptional({ default: 50, maximum: 200 })
  @IsOptional()
  @Transform(toInt)
  @IsInt({ message: 'limit must be an integer' })
  @Min(1)
  @Max(200, { message: 'limit may be at most 200' })
  limit?: number;
}

export class HotspotIdParam {
  @IsUUID('all', { message: 'id must be a uuid' })
  id: string;
}

export const HOTSPOT_STATUSES = ['detected', 'proposed', 'dismissed'] as const;

export class LatLng {
  @ApiProperty() lat: number;
  @ApiProperty() lng: number;
}

export class HotspotView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() categoryCode: string;
  @ApiProperty() category: string;
  @ApiProperty() districtCode: string;
  @ApiProperty({ type: String, nullable: true }) streetCode: string | null;
  @ApiProperty({ type: LatLng }) center: LatLng;
  @ApiProperty() radiusM: number;
  @ApiProperty() windowStart: string;
  @ApiProperty() windowEnd: string;
  @ApiProperty() ticketCount: number;
  @ApiProperty() previousCount: number;
  @ApiProperty() rising: boolean;
  @ApiProperty() seasonalYears: number;
  @ApiProperty({ enum: HOTSPOT_STATUSES }) status: 'detected' | 'proposed' | 'dismissed';
  @ApiProperty({ type: String, nullable: true }) decidedBy: string | null;
  @ApiProperty({ type: String, nullable: true }) decidedAt: string | null;
}

export class MapConfigView {
  /** XYZ tile URL with {z}/{x}/{y} (and maybe {s}); null: no base map, the points go on longitude/latitude axes. */
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'XYZ tile URL with {z}/{x}/{y} (and maybe {s}); null: no base map, the points go on longitude/latitude axes',
  })
  tileUrl: string | null;
  @ApiProperty({ type: String, nullable: true }) attribution: string | null;
  /** Subdomains for {s}. */
  @ApiProperty({ type: [String], description: 'Subdomains for {s}' }) subdomains: string[];
}
