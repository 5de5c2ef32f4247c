import { ApiProperty } from '@app/platform';
import { IsString, Matches, MaxLength, MinLength } from 'class-validator';

export class IssueApiKeyDto {
  @ApiProperty({ example: 'citizen-app', description: 'Who the key is for (shown in lists and on the orders it submits)' })
  @IsString()
  @MinLength(2)
  @MaxLength(60)
  @Matches(/^[A-Za-z0-9_.\-\u4e00-\u9fff]+$/, { message: 'clientName must be letters, digits, Chinese characters, _ . or -' })
  clientName: string;
}

export class ApiKeyView {
  @ApiProperty() id: string;
  @ApiProperty() clientName: string;
  @ApiProperty({ description: 'The first characters of the key' }) keyPrefix: string;
  @ApiProperty() createdBy: string;
  @ApiProperty() createdAt: string;
  @ApiProperty({ type: String, nullable: true }) revokedAt: string | null;
  @ApiProperty({ type: String, nullable: true }) revokedBy: string | null;
}

export class IssuedApiKeyView extends ApiKeyView {
  @ApiProperty({ description: 'The key itself: shown this once, never again (only its hash is kept)' })
  apiKey: string;
}

/** A key configured in OPEN311_API_KEYS (the bootstrap): its client only, never the key. */
export class BootstrapKeyView {
  @ApiProperty() clientName: string;
}

export class ApiKeysView {
  @ApiProperty({ type: [ApiKeyView] }) keys: ApiKeyView[];
  @ApiProperty({ type: [BootstrapKeyView], description: 'Keys from the OPEN311_API_KEYS variable; revoked by removing them there' })
  bootstrap: BootstrapKeyView[];
}
