import { isIP } from 'node:net';
import { Transform } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsTimeZone,
  IsUrl,
  Matches,
  Max,
  Min,
  MinLength,
  Validate,
  ValidateIf,
  ValidationArguments,
  ValidatorConstraint,
  ValidatorConstraintInterface,
} from 'class-validator';

/** For numeric variables: environment values are strings; empty means unset (the default applies). */
export const toNumber = ({ value }: { value: unknown }) => (value === undefined || value === '' ? undefined : Number(value));
const toList = ({ value }: { value: unknown }) =>
  typeof value === 'string'
    ? value
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    : value;

/** An address, a CIDR range (`10.0.0.0/8`, `fd00::/8`) or one of Express's trust-proxy names. */
@ValidatorConstraint({ name: 'trustedProxy' })
class TrustedProxy implements ValidatorConstraintInterface {
  validate(v: unknown): boolean {
    if (typeof v !== 'string') return false;
    if (['loopback', 'linklocal', 'uniquelocal'].includes(v)) return true;
    const [ip, bits, ...rest] = v.split('/');
    const family = isIP(ip);
    if (!family || rest.length) return false;
    if (bits === undefined) return true;
    return /^\d{1,3}$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128);
  }

  defaultMessage(a: ValidationArguments): string {
    return `TRUSTED_PROXIES: ${String(a.value)} is not an address, a CIDR range, loopback, linklocal or uniquelocal`;
  }
}

/**
 * Variables every service reads. Each service extends this with its own. Names are the environment
 * variable names; see docs/operations.md for the list with defaults.
 */
export class ServiceConfig {
  @IsIn(['development', 'test', 'production'])
  NODE_ENV: 'development' | 'test' | 'production' = 'development';

  @Transform(toNumber)
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT: number = 3000;

  /** postgres://user:pass@host:port/db */
  @IsString()
  @Matches(/^postgres(ql)?:\/\//, { message: 'DATABASE_URL must be a postgres:// URL' })
  DATABASE_URL: string = 'postgres://postgres@127.0.0.1:5432/jiesu';

  @Transform(toNumber)
  @IsInt()
  @Min(1)
  @Max(200)
  DB_POOL_SIZE: number = 10;

  /** Comma-separated NATS server URLs. */
  @IsString()
  @Matches(/^(nats|tls):\/\/[^,]+(,(nats|tls):\/\/[^,]+)*$/, { message: 'NATS_URL must be nats:// URLs, comma-separated' })
  NATS_URL: string = 'nats://127.0.0.1:4222';

  /** First subject token; keep `hotline` in production. Tests use their own to stay apart. */
  @Matches(/^[A-Za-z0-9_-]+$/)
  BUS_PREFIX: string = 'hotline';

  /** JetStream stream holding every event. */
  @Matches(/^[A-Za-z0-9_-]+$/)
  BUS_STREAM: string = 'HOTLINE';

  /** How many times a message is delivered before it is dead-lettered. */
  @Transform(toNumber)
  @IsInt()
  @Min(1)
  @Max(100)
  BUS_MAX_DELIVER: number = 8;

  /** Messages a consumer handles at once. */
  @Transform(toNumber)
  @IsInt()
  @Min(1)
  @Max(256)
  BUS_CONCURRENCY: number = 8;

  /**
   * JetStream domain holding the stream. A district node connected through a NATS leaf node sets the
   * city hub's domain (e.g. `city`): across a leaf the plain JetStream API is not reachable.
   */
  @IsOptional()
  @Matches(/^[A-Za-z0-9_-]+$/, { message: 'BUS_JS_DOMAIN must be a JetStream domain name' })
  BUS_JS_DOMAIN?: string;

  /**
   * Where a durable consumer created for the first time starts: `all` (replay the stream: a new
   * district node builds its state) or `new` (a city node cutting over to per-district durables).
   */
  @IsIn(['all', 'new'])
  BUS_NEW_CONSUMERS_FROM: 'all' | 'new' = 'all';

  /** Seconds JetStream waits for an ack before delivering the message again. */
  @Transform(toNumber)
  @IsInt()
  @Min(1)
  @Max(3600)
  BUS_ACK_WAIT_SECONDS: number = 30;

  /** First retry delay after a failed handler; doubles per delivery up to one minute. */
  @Transform(toNumber)
  @IsInt()
  @Min(10)
  BUS_BACKOFF_BASE_MS: number = 500;

  /** Milliseconds between outbox sweeps (LISTEN/NOTIFY wakes the relay sooner). */
  @Transform(toNumber)
  @IsInt()
  @Min(50)
  BUS_SWEEP_MS: number = 1000;

  /** City administrative code (GB/T 2260); orders not yet placed travel under it. */
  @Matches(/^\d{6}$/, { message: 'CITY_CODE must be a six-digit GB/T 2260 code' })
  CITY_CODE: string = '630100';

  /** IANA time zone in which dates, order numbers and working days are counted. */
  @IsTimeZone({ message: 'CITY_TIME_ZONE must be an IANA time zone such as Asia/Shanghai' })
  CITY_TIME_ZONE: string = 'Asia/Shanghai';

  /**
   * District codes this node serves, comma-separated; empty = all (the city deployment). A district
   * dispatch node sets e.g. `630104`.
   */
  @Transform(toList)
  @Matches(/^\d{6}$/, { each: true, message: 'SERVE_DISTRICTS must be six-digit codes' })
  SERVE_DISTRICTS: string[] = [];

  /** Development: HS256 shared secret. Production: set AUTH_JWKS_URL instead. */
  @ValidateIf((o: ServiceConfig) => !o.AUTH_JWKS_URL)
  @IsString()
  @MinLength(16, { message: 'AUTH_JWT_SECRET must be at least 16 characters (or set AUTH_JWKS_URL)' })
  AUTH_JWT_SECRET?: string = 'dev-only-secret-change-me-0123456789';

  @IsOptional()
  @IsUrl({ require_tld: false, protocols: ['http', 'https'] })
  AUTH_JWKS_URL?: string;

  @IsOptional()
  @IsString()
  AUTH_ISSUER?: string;

  @IsOptional()
  @IsString()
  AUTH_AUDIENCE?: string;

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL: string = 'info';

  /** Serve Swagger UI at /docs. Unset: on, except in production (where only `true` turns it on). */
  @IsOptional()
  @IsIn(['true', 'false'])
  SWAGGER?: 'true' | 'false';

  /** Largest JSON or form body in kB; larger → 413 before authentication. */
  @Transform(toNumber)
  @IsInt()
  @Min(1)
  @Max(10240)
  HTTP_BODY_LIMIT_KB: number = 100;

  /** Deepest nesting of a JSON body; deeper → 400 before validation. */
  @Transform(toNumber)
  @IsInt()
  @Min(4)
  @Max(256)
  HTTP_JSON_MAX_DEPTH: number = 64;

  /** Error-level logs per cause (error class + route) a minute; the rest are counted in one warning. */
  @Transform(toNumber)
  @IsInt()
  @Min(1)
  @Max(10000)
  ERROR_LOG_PER_MINUTE: number = 5;

  /** Requests a minute one client (address) may make to each public endpoint; more → 429. */
  @Transform(toNumber)
  @IsInt()
  @Min(1)
  PUBLIC_RATE_LIMIT_PER_MINUTE: number = 20;

  /**
   * Proxies whose X-Forwarded-For is believed, comma-separated: addresses, CIDR ranges, or Express's
   * names `loopback`, `linklocal`, `uniquelocal`. Empty: none (the client is the socket's peer).
   * Behind an ingress, list the ingress, or every citizen is counted as the ingress.
   */
  @Transform(toList)
  @Validate(TrustedProxy, { each: true })
  TRUSTED_PROXIES: string[] = [];
}
