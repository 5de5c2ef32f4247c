import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, IsUrl, Matches, Max, Min, MinLength, ValidateIf } from 'class-validator';
import { ServiceConfig, toNumber } from '@app/platform';

const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;

export class NotifyConfig extends ServiceConfig {
  override PORT = 3006;

  /** Keys encrypting the group robots' webhook URLs and secrets at rest, `keyId:base64(32 bytes)`, comma-separated (the first encrypts). */
  @IsString()
  @Matches(/^[A-Za-z0-9_-]+:[A-Za-z0-9+/]{43}=(,[A-Za-z0-9_-]+:[A-Za-z0-9+/]{43}=)*$/, {
    message: 'PII_KEYS must be keyId:base64-of-32-bytes, comma-separated',
  })
  PII_KEYS: string;

  /** HMAC key (base64, at least 32 bytes); notify stores no hash, but the cipher needs one. */
  @IsString()
  @MinLength(43, { message: 'PII_HASH_KEY must be base64 of at least 32 bytes' })
  PII_HASH_KEY: string;

  /** How often the delivery worker looks for due messages (ms); 0 = only on `POST /admin/deliveries/run` (tests). */
  @Transform(toNumber)
  @IsInt()
  @Min(0)
  @Max(600_000)
  NOTIFY_TICK_MS: number = 2000;

  /** Deliveries sent per run of the worker. */
  @Transform(toNumber)
  @IsInt()
  @Min(1)
  @Max(1000)
  NOTIFY_BATCH: number = 50;

  /** Attempts before a delivery that keeps failing (5xx, timeout) is logged as failed. */
  @Transform(toNumber)
  @IsInt()
  @Min(1)
  @Max(20)
  NOTIFY_MAX_ATTEMPTS: number = 5;

  /** Back-off before the n-th retry: NOTIFY_RETRY_BASE_MS × 2^(n-1), at most NOTIFY_RETRY_MAX_MS. */
  @Transform(toNumber)
  @IsInt()
  @Min(10)
  @Max(3_600_000)
  NOTIFY_RETRY_BASE_MS: number = 30_000;

  @Transform(toNumber)
  @IsInt()
  @Min(10)
  @Max(86_400_000)
  NOTIFY_RETRY_MAX_MS: number = 3_600_000;

  /** Timeout of one call to a provider (SMS gateway, robot webhook, SMTP). */
  @Transform(toNumber)
  @IsInt()
  @Min(100)
  @Max(60_000)
  NOTIFY_SEND_TIMEOUT_MS: number = 5000;

  /** How long a send waits for the console's answer to the staff-contact query (console.staff-contact.v1). */
  @Transform(toNumber)
  @IsInt()
  @Min(100)
  @Max(60_000)
  NOTIFY_QUERY_TIMEOUT_MS: number = 5000;

  /** Default quiet hours (city time) for people who set none: non-urgent messages wait until the end. */
  @Matches(HHMM, { message: 'NOTIFY_QUIET_START must be HH:MM' })
  NOTIFY_QUIET_START: string = '22:00';

  @Matches(HHMM, { message: 'NOTIFY_QUIET_END must be HH:MM' })
  NOTIFY_QUIET_END: string = '07:00';

  /** Default time of the daily digest (city time) for people who ask for one. */
  @Matches(HHMM, { message: 'NOTIFY_DIGEST_AT must be HH:MM' })
  NOTIFY_DIGEST_AT: string = '08:00';

  /** `log` (development: written to the log) or `http` (POST JSON to NOTIFY_SMS_HTTP_URL). */
  @IsIn(['log', 'http'])
  NOTIFY_SMS_ADAPTER: 'log' | 'http' = 'log';

  @ValidateIf((c: NotifyConfig) => c.NOTIFY_SMS_ADAPTER === 'http')
  @IsUrl(
    { require_tld: false, protocols: ['http', 'https'], require_protocol: true },
    { message: 'NOTIFY_SMS_HTTP_URL must be an http(s) URL when NOTIFY_SMS_ADAPTER=http' },
  )
  NOTIFY_SMS_HTTP_URL?: string;

  @IsOptional()
  @IsString()
  NOTIFY_SMS_HTTP_TOKEN?: string;

  /** The sender signature registered with the SMS provider (签名). */
  @IsString()
  @MinLength(2)
  NOTIFY_SMS_SIGNATURE: string = '12345热线';

  /**
   * The provider's template id per kind of message, `kind:templateId` comma-separated; `default`
   * covers the kinds not listed (e.g. `default:SMS_100,dispatched:SMS_101,digest:SMS_109`).
   */
  @Matches(/^[a-z_]+:[A-Za-z0-9_-]+(,[a-z_]+:[A-Za-z0-9_-]+)*$/, {
    message: 'NOTIFY_SMS_TEMPLATES must be kind:templateId, comma-separated',
  })
  NOTIFY_SMS_TEMPLATES: string = 'default:SMS_NOTIFY';

  /** SMTP server for e-mail (`smtp://user:pass@host:587`, `smtps://…`); unset: e-mail is not sent (logged as a dead end). */
  @IsOptional()
  @Matches(/^smtps?:\/\/.+/, { message: 'NOTIFY_SMTP_URL must be smtp://… or smtps://…' })
  NOTIFY_SMTP_URL?: string;

  @IsString()
  NOTIFY_MAIL_FROM: string = '12345热线 <noreply@12345.example.cn>';

  /** The console's address, for the link in e-mails and robot messages. */
  @IsUrl({ require_tld: false, protocols: ['http', 'https'], require_protocol: true })
  NOTIFY_CONSOLE_URL: string = 'http://localhost:3000';
}

export const NOTIFY_CONFIG = Symbol('NOTIFY_CONFIG');
