import { IsLatitude, IsLongitude, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { DISTRICT_CODE_PATTERN } from './envelope';

/** Where the matter is. Never carries the citizen's identity; the address is of the matter. */
export class LocationV1 {
  @IsString()
  @MaxLength(500)
  address: string;

  @Matches(DISTRICT_CODE_PATTERN)
  districtCode: string;

  @IsOptional()
  @Matches(/^\d{9}$/, { message: 'streetCode must be a nine-digit township code' })
  streetCode?: string;

  @IsOptional()
  @Matches(/^\d{12}$/, { message: 'communityCode must be a twelve-digit village/community code' })
  communityCode?: string;

  @IsOptional()
  @IsLatitude()
  lat?: number;

  @IsOptional()
  @IsLongitude()
  lng?: number;
}
