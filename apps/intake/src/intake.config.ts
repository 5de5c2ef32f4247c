import { Transform } from 'class-transformer';
import { IsInt, IsString, Matches, Max, Min, MinLength } from 'class-validator';
import { ServiceConfig, toNumber } from '@app/platform';

export class IntakeConfig extends ServiceConfig {
  override PORT = 3001;

  /**
   * Encryption keys for citizens' names and phones, `keyId:base64(32 bytes)`, comma-separated.
   * The first encrypts; all decrypt, so a key is rotated by putting the new one first.
   */
  @IsString()
  @Matches(/^[A-Za-z0-9_-]+:[A-Za-z0-9+/]{43}=(,[A-Za-z0-9_-]+:[A-Za-z0-9+/]{43}=)*$/, {
    message: 'PII_KEYS must be keyId:base64-of-32-bytes, comma-separated',
  })
  PII_KEYS: string;

  /** HMAC key for the phone lookup hash (base64, at least 32 bytes). Not rotatable without a rehash. */
  @IsString()
  @MinLength(43, { message: 'PII_HASH_KEY must be base64 of at least 32 bytes' })
  PII_HASH_KEY: string;

  /** Longest request text accepted (Open311 allows 4,000 characters). */
  @Transform(toNumber)
  @IsInt()
  @Min(100)
  @Max(4000, { message: 'MAX_CONTENT_LENGTH may not exceed 4000, the limit of the ticket.accepted.v1 contract' })
  MAX_CONTENT_LENGTH: number = 4000;
}
