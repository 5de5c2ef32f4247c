import { ApiProperty, ApiPropertyOptional } from '@app/platform';
import { IsBoolean, IsOptional, IsString, Matches, MaxLength } from 'class-validator';

export const DISTRICT_CODE = /^\d{6}$/;

export class SetExpiryPolicyDto {
  @ApiProperty({ description: '到期回访: call the citizen back when the finish limit expires without a reply' })
  @IsBoolean()
  enabled: boolean;

  @ApiPropertyOptional({ description: 'why (kept in the change log)', maxLength: 500 })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  note?: string;
}

export class ExpiryPolicyParams {
  @Matches(DISTRICT_CODE, { message: 'district must be a six-digit district code' })
  district: string;
}

export class ExpiryPolicyChangesQuery {
  @IsOptional()
  @Matches(DISTRICT_CODE, { message: 'district must be a six-digit district code' })
  district?: string;
}

export class ExpiryPolicyView {
  @ApiProperty() districtCode: string;
  @ApiProperty() enabled: boolean;
  @ApiProperty() updatedBy: string;
  @ApiProperty({ type: String, nullable: true }) updatedByName: string | null;
  @ApiProperty() updatedAt: string;
}

export class ExpiryPolicyChangeView {
  @ApiProperty() id: string;
  @ApiProperty() districtCode: string;
  @ApiProperty({ type: Boolean, nullable: true }) enabledBefore: boolean | null;
  @ApiProperty() enabledAfter: boolean;
  @ApiProperty() changedBy: string;
  @ApiProperty({ type: String, nullable: true }) changedByName: string | null;
  @ApiProperty({ type: String, nullable: true }) note: string | null;
  @ApiProperty() at: string;
}
