import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, Min, MinLength, ValidateIf } from 'class-validator';
import { ServiceConfig, toNumber } from '@app/platform';

const URL_RE = /^https?:\/\/[^\s/]+(\/\S*)?$/;
const url = (name: string) => ({ message: `${name} must be an http(s) URL` });

/** The five services the console calls on a person's behalf through `/api/<service>/...`. */
export const PROXIED_SERVICES = ['intake', 'dispatch', 'sla', 'callback', 'analytics', 'notify'] as const;
export type ProxiedService = (typeof PROXIED_SERVICES)[number];

/**
 * The console's variables (besides the common ones). Defaults suit `npm start` on one machine;
 * production must set the signing keys, the PII keys and (if used) the OIDC client.
 */
export class ConsoleConfig extends ServiceConfig {
  override PORT = 3000;

  /** `iss` of the service tokens; the services set AUTH_ISSUER to the same value. */
  @IsString()
  @MinLength(1)
  CONSOLE_ISSUER: string = 'jiesu-console';

  /**
   * The ES256 signing keys: a JSON array of private JWKs (EC P-256), each with a `kid`. All are
   * published in the JWKS; the one named by CONSOLE_SIGNING_KID (default: the first) signs.
   * Unset in development: generated once into CONSOLE_SIGNING_KEYS_FILE. Required in production.
   */
  @IsOptional()
  @IsString()
  CONSOLE_SIGNING_KEYS?: string;

  /** The kid that signs new tokens (rotation: publish the next key first, switch this later). */
  @IsOptional()
  @Matches(/^[A-Za-z0-9_.-]{1,64}$/, { message: 'CONSOLE_SIGNING_KID must be a key id (A-Z a-z 0-9 _ . -)' })
  CONSOLE_SIGNING_KID?: string;

  /** Development only: where the generated signing key is kept between runs. */
  @IsString()
  CONSOLE_SIGNING_KEYS_FILE: string = '.data/console-signing-keys.json';

  /** Lifetime of a service token (seconds, at most 300). */
  @Transform(toNumber)
  @IsInt()
  @Min(10)
  @Max(300, { message: 'CONSOLE_TOKEN_TTL_SECONDS may not exceed 300 (five minutes)' })
  CONSOLE_TOKEN_TTL_SECONDS: number = 120;

  @Matches(URL_RE, url('INTAKE_URL'))
  INTAKE_URL: string = 'http://127.0.0.1:3001';

  @Matches(URL_RE, url('DISPATCH_URL'))
  DISPATCH_URL: string = 'http://127.0.0.1:3002';

  @Matches(URL_RE, url('SLA_URL'))
  SLA_URL: string = 'http://127.0.0.1:3003';

  @Matches(URL_RE, url('CALLBACK_URL'))
  CALLBACK_URL: string = 'http://127.0.0.1:3004';

  @Matches(URL_RE, url('ANALYTICS_URL'))
  ANALYTICS_URL: string = 'http://127.0.0.1:3005';

  @Matches(URL_RE, url('NOTIFY_URL'))
  NOTIFY_URL: string = 'http://127.0.0.1:3006';

  /** A proxied call that has not answered (headers) within this many milliseconds gets 504. */
  @Transform(toNumber)
  @IsInt()
  @Min(100)
  @Max(600_000)
  PROXY_TIMEOUT_MS: number = 30_000;

  /** Encryption keys for staff mobiles, `keyId:base64(32 bytes)`, comma-separated (the first encrypts). */
  @IsString()
  @Matches(/^[A-Za-z0-9_-]+:[A-Za-z0-9+/]{43}=(,[A-Za-z0-9_-]+:[A-Za-z0-9+/]{43}=)*$/, {
    message: 'PII_KEYS must be keyId:base64-of-32-bytes, comma-separated',
  })
  PII_KEYS: string;

  /** HMAC key (base64, at least 32 bytes); the console uses it for nothing stored, but the cipher needs one. */
  @IsString()
  @MinLength(43, { message: 'PII_HASH_KEY must be base64 of at least 32 bytes' })
  PII_HASH_KEY: string;

  /** Secure cookies (HTTPS only). Default: on in production, off otherwise. */
  @IsOptional()
  @IsIn(['true', 'false'])
  CONSOLE_SECURE_COOKIES?: 'true' | 'false';

  /** A session unused for this many minutes ends. */
  @Transform(toNumber)
  @IsInt()
  @Min(1)
  @Max(24 * 60)
  SESSION_IDLE_MINUTES: number = 30;

  /** A session ends this many hours after login, used or not. */
  @Transform(toNumber)
  @IsInt()
  @Min(1)
  @Max(24 * 7)
  SESSION_ABSOLUTE_HOURS: number = 12;

  /** Shortest password accepted. */
  @Transform(toNumber)
  @IsInt()
  @Min(8)
  @Max(64)
  PASSWORD_MIN_LENGTH: number = 10;

  /** Failed logins in a row after which the account is locked. */
  @Transform(toNumber)
  @IsInt()
  @Min(1)
  @Max(100)
  LOCKOUT_THRESHOLD: number = 5;

  /** First lock (seconds); doubles with each further failure, up to LOCKOUT_MAX_SECONDS. */
  @Transform(toNumber)
  @IsInt()
  @Min(1)
  LOCKOUT_BASE_SECONDS: number = 60;

  @Transform(toNumber)
  @IsInt()
  @Min(1)
  LOCKOUT_MAX_SECONDS: number = 3600;

  /** Administrators must have TOTP to log in. Default: on in production, off otherwise. */
  @IsOptional()
  @IsIn(['true', 'false'])
  CONSOLE_ADMIN_TOTP_REQUIRED?: 'true' | 'false';

  /** Issuer shown by authenticator apps. */
  @IsString()
  TOTP_ISSUER: string = 'Jiesu 12345';

  /** OpenID Connect single sign-on: the provider's issuer URL. Unset: SSO off. */
  @IsOptional()
  @Matches(URL_RE, url('OIDC_ISSUER_URL'))
  OIDC_ISSUER_URL?: string;

  @ValidateIf((o: ConsoleConfig) => !!o.OIDC_ISSUER_URL)
  @IsString()
  @MinLength(1, { message: 'OIDC_CLIENT_ID is required with OIDC_ISSUER_URL' })
  OIDC_CLIENT_ID?: string;

  @IsOptional()
  @IsString()
  OIDC_CLIENT_SECRET?: string;

  /** The console's callback URL registered at the provider, e.g. https://console.example/auth/oidc/callback. */
  @ValidateIf((o: ConsoleConfig) => !!o.OIDC_ISSUER_URL)
  @Matches(URL_RE, url('OIDC_REDIRECT_URL'))
  OIDC_REDIRECT_URL?: string;

  /** The ID-token / userinfo claim that names the person. */
  @Matches(/^[A-Za-z0-9_:.-]+$/, { message: 'OIDC_CLAIM must be a claim name' })
  OIDC_CLAIM: string = 'preferred_username';

  /** Which account field the claim is matched against. */
  @IsIn(['loginName', 'oidcSubject'])
  OIDC_MATCH: 'loginName' | 'oidcSubject' = 'loginName';

  @IsString()
  OIDC_SCOPES: string = 'openid profile';

  /** The label of the SSO button on the login page. */
  @IsString()
  OIDC_LABEL: string = '统一身份认证登录';

  /** Allow http:// issuers (development and tests on loopback). Never in production. */
  @IsIn(['true', 'false'])
  OIDC_ALLOW_INSECURE: 'true' | 'false' = 'false';

  /** The built staff console (apps/console/web, built by Vite); not served when the directory is missing. */
  @IsString()
  CONSOLE_WEB_DIR: string = 'dist/console-web';

  /** The largest photo a citizen may send with the public form (bytes); intake's ATTACHMENT_MAX_BYTES must allow it. */
  @Transform(toNumber)
  @IsInt()
  @Min(64 * 1024)
  @Max(50 * 1024 * 1024)
  CITIZEN_PHOTO_MAX_BYTES: number = 8 * 1024 * 1024;

  get secureCookies(): boolean {
    return this.CONSOLE_SECURE_COOKIES ? this.CONSOLE_SECURE_COOKIES === 'true' : this.NODE_ENV === 'production';
  }

  get adminTotpRequired(): boolean {
    return this.CONSOLE_ADMIN_TOTP_REQUIRED ? this.CONSOLE_ADMIN_TOTP_REQUIRED === 'true' : this.NODE_ENV === 'production';
  }

  serviceUrl(service: ProxiedService): string {
    const map: Record<ProxiedService, string> = {
      intake: this.INTAKE_URL,
      dispatch: this.DISPATCH_URL,
      sla: this.SLA_URL,
      callback: this.CALLBACK_URL,
      analytics: this.ANALYTICS_URL,
      notify: this.NOTIFY_URL,
    };
    return map[service].replace(/\/+$/, '');
  }
}
