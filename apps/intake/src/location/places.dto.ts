import { ApiProperty } from '@app/platform';

export class CommunityPlaceView {
  @ApiProperty({ example: '630104004001', description: 'Twelve-digit community/village code' })
  code: string;

  @ApiProperty({ enum: ['community', 'village'] })
  kind: 'community' | 'village';

  @ApiProperty({ example: '胜利路社区' })
  nameZh: string;

  @ApiProperty({ example: 'Shengli Road Community' })
  nameEn: string;

  @ApiProperty({ type: [String], description: 'Other ways to write it and address keywords inside it' })
  aliases: string[];
}

export class StreetPlaceView {
  @ApiProperty({ example: '630104004', description: 'Nine-digit street/township code' })
  code: string;

  @ApiProperty({ enum: ['street', 'township'] })
  kind: 'street' | 'township';

  @ApiProperty({ example: '胜利路街道' })
  nameZh: string;

  @ApiProperty({ example: 'Shengli Road' })
  nameEn: string;

  @ApiProperty({ type: [String] })
  aliases: string[];

  @ApiProperty({ type: [CommunityPlaceView] })
  communities: CommunityPlaceView[];
}

export class DistrictPlaceView {
  @ApiProperty({ example: '630104', description: 'GB/T 2260 district code' })
  code: string;

  @ApiProperty({ example: '城西区' })
  nameZh: string;

  @ApiProperty({ example: 'Chengxi' })
  nameEn: string;

  @ApiProperty({ type: [String] })
  aliases: string[];

  @ApiProperty({ type: [StreetPlaceView] })
  streets: StreetPlaceView[];
}

export class PlacesView {
  @ApiProperty({ example: '630100' })
  cityCode: string;

  @ApiProperty({ type: [DistrictPlaceView] })
  districts: DistrictPlaceView[];
}
