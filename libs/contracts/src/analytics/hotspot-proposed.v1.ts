import { Type } from 'class-transformer';
import { IsInt, IsISO8601, IsLatitude, IsLongitude, IsOptional, IsString, IsUUID, Matches, Min, ValidateNested } from 'class-validator';

export class HotspotAreaV1 {
  @IsLatitude()
  lat: number;

  @IsLongitude()
  lng: number;

  @IsInt()
  @Min(1)
  radiusM: number;
}

/** analytics → intake: a cluster of orders suggests a proactive order (未诉先办), pending a supervisor. */
export class HotspotProposedV1 {
  @IsUUID()
  hotspotId: string;

  @IsString()
  categoryCode: string;

  @IsOptional()
  @Matches(/^\d{9}$/)
  streetCode?: string;

  @IsOptional()
  @ValidateNested()
  @Type(() => HotspotAreaV1)
  area?: HotspotAreaV1;

  @IsInt()
  @Min(2)
  ticketCount: number;

  @IsISO8601({ strict: true })
  windowStart: string;

  @IsISO8601({ strict: true })
  windowEnd: string;

  @IsISO8601({ strict: true })
  proposedAt: string;
}
