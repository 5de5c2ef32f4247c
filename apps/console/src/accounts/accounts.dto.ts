import { STAFF_ROLES } from '@app/contracts';
import { ApiProperty, ApiPropertyOptional } from '@app/platform';
import { Transform } from 'class-transformer';
import {
  ArrayUnique,
  IsArray,
  IsEmail,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateIf,
} from 'class-validator';

export const LOGIN_NAME_RE = /^[a-z0-9][a-z0-9._-]{1,63}$/;
export const MOBILE_RE = /^1\d{10}$/;
export const DISTRICT_RE = /^(\*|\d{6})$/;

export class CreateAccountDto {
  @ApiProperty({ example: 'zhang.san' })
  @Matches(LOGIN_NAME_RE, { message: 'loginName must be 2-64 of a-z 0-9 . _ - starting with a letter or digit' })
  loginName: string;

  @ApiProperty({ example: '张三' })
  @IsString()
  @Length(1, 100)
  displayName: string;

  @ApiPropertyOptional({ example: '13812345678' })
  @IsOptional()
  @Matches(MOBILE_RE, { message: 'mobile must be an 11-digit mainland mobile number' })
  mobile?: string;

  @ApiPropertyOptional({ example: 'zhang.san@chengxi.gov.cn', description: 'work e-mail for notifications' })
  @IsOptional()
  @MaxLength(254)
  @IsEmail({}, { message: 'email must be an e-mail address' })
  email?: string;

  @ApiPropertyOptional({ description: 'dispatch unit id' })
  @IsOptional()
  @IsUUID()
  unitId?: string;

  @ApiProperty({ example: ['handler'] })
  @IsArray()
  @ArrayUnique()
  @IsIn(STAFF_ROLES, { each: true })
  roles: string[];

  @ApiProperty({ example: ['630104'] })
  @IsArray()
  @ArrayUnique()
  @Matches(DISTRICT_RE, { each: true, message: 'districts must be six-digit codes or *' })
  districts: string[];

  @ApiPropertyOptional({ description: 'initial password; the person must change it at first login' })
  @IsOptional()
  @IsString()
  @MaxLength(128)
  password?: string;

  @ApiPropertyOptional({ description: 'the subject (or claim value) the identity provider sends for this person' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  oidcSubject?: string;
}

export class UpdateAccountDto {
  @IsOptional()
  @IsString()
  @Length(1, 100)
  displayName?: string;

  /** Empty string removes the mobile. */
  @IsOptional()
  @Matches(/^(1\d{10})?$/, { message: 'mobile must be an 11-digit mainland mobile number (or empty to remove it)' })
  mobile?: string;

  /** Empty string removes the e-mail. */
  @IsOptional()
  @MaxLength(254)
  @ValidateIf((o: UpdateAccountDto) => o.email !== '')
  @IsEmail({}, { message: 'email must be an e-mail address (or empty to remove it)' })
  email?: string;

  /** Null removes the unit. */
  @IsOptional()
  @IsUUID()
  unitId?: string | null;

  @IsOptional()
  @IsArray()
  @ArrayUnique()
  @IsIn(STAFF_ROLES, { each: true })
  roles?: string[];

  @IsOptional()
  @IsArray()
  @ArrayUnique()
  @Matches(DISTRICT_RE, { each: true, message: 'districts must be six-digit codes or *' })
  districts?: string[];

  @IsOptional()
  @IsString()
  @Length(0, 200)
  oidcSubject?: string;
}

export class ResetPasswordDto {
  @IsString()
  @MaxLength(128)
  password: string;
}

export class ListAccountsQuery {
  @IsOptional()
  @IsString()
  @MaxLength(100)
  q?: string;

  @IsOptional()
  @IsIn(['active', 'disabled'])
  state?: 'active' | 'disabled';

  @IsOptional()
  @Transform(({ value }) => (value === undefined ? undefined : Number(value)))
  @IsInt()
  @Min(1)
  @Max(500)
  limit: number = 50;

  @IsOptional()
  @Transform(({ value }) => (value === undefined ? undefined : Number(value)))
  @IsInt()
  @Min(0)
  offset: number = 0;
}

export class ImportQuery {
  @IsOptional()
  @IsIn(['true', 'false'])
  dryRun?: 'true' | 'false';

  @IsOptional()
  @IsIn(['true', 'false'])
  confirm?: 'true' | 'false';
}

export class LoginDto {
  @IsString()
  @MaxLength(64)
  loginName: string;

  @IsString()
  @MaxLength(256)
  password: string;

  @IsOptional()
  @IsString()
  @MaxLength(10)
  totp?: string;
}

export class ChangePasswordDto {
  @IsString()
  @MaxLength(256)
  currentPassword: string;

  @IsString()
  @MaxLength(256)
  newPassword: string;
}

export class TotpCodeDto {
  @Matches(/^\d{6}$/, { message: 'code must be six digits' })
  code: string;
}

export class AuditQuery {
  @IsOptional()
  @IsUUID()
  targetId?: string;

  @IsOptional()
  @Transform(({ value }) => (value === undefined ? undefined : Number(value)))
  @IsInt()
  @Min(1)
  @Max(500)
  limit: number = 100;
}
