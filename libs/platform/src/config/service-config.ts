import { isIP } from 'node:net';
import { Transform } from 'class-transformer';
import {
  IsIn,
  IsInt,
  registerDecorator,
  ValidationArguments,
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
  ValidatorConstraint,
  ValidatorConstraintInterface,
} from 'class-validator';

/** For numeric variables: environment values are strings; empty means unset (the default applies). */
export const toNumber = ({ value }: { value: unknown }) => (value === undefined || value === '' ? undefined : Number(value));
/** For optional strings: an empty value (a Secret or ConfigMap key left blank) means unset. */
const emptyToUndefined = ({ value }: { value: unknown }) => (value === '' ? undefined : value);
const toList = ({ value }: { value: unknown }) =>
  typeof value === 'string'
    ? value
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    : value;

/** BUS_HANDLER_BUDGET must leave pooled connections for HTTP, the outbox relay and the ticks. */
function IsBelowPoolSize(): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'isBelowPoolSize',
      target: target.constructor,
      propertyName: String(propertyName),
      validator: {
        validate: (value: unknown, args: ValidationArguments) =>
          typeof value !== 'number' || value < (args.object as { DB_POOL_SIZE: number }).DB_POOL_SIZE,
        defaultMessage: (args: ValidationArguments) =>
          `BUS_HANDLER_BUDGET must be below DB_POOL_SIZE (${(args.object as { DB_POOL_SIZE: number }).DB_POOL_SIZE}), leaving connections for HTTP and health`,
      },
    });
}

/** The handler budget a configuration gives: BUS_HANDLER_BUDGET, or DB_POOL_SIZE - 2. */
export function handlerBudgetOf(c: Pick<ServiceConfig, 'BUS_HANDLER_BUDGET' | 'DB_POOL_SIZE'>): number {
  return c.BUS_HANDLER_BUDGET ?? Math.max(1, c.DB_POOL_SIZE - 2);
}

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

  /** Pooled connections per process; at least 2, so that handlers never take them all (see BUS_HANDLER_BUDGET). */
  @Transform(toNumber)
  @IsInt()
  @Min(2)
  @Max(200)
  DB_POOL_SIZE: number = 10;

  /** Milliseconds to wait for a pooled connection (or a new one) before failing instead of hanging. */
  @Transform(toNumber)
  @IsInt()
  @Min(100)
  @Max(600_000)
  DB_CONNECT_TIMEOUT_MS: number = 10_000;

  /**
   * Statements with parameters each pooled connection keeps prepared (parsed once, and planned once
   * when Postgres settles on a generic plan; database/prepared-statements.ts). 0 sends every
   * statement unnamed, for a pooler in transaction mode that cannot keep them.
   */
  @Transform(toNumber)
  @IsInt()
  @Min(0)
  @Max(10_000)
  DB_PREPARED_STATEMENTS: number = 200;

  /** Comma-separated NATS server URLs. */
  @IsString()
  @Matches(/^(nats|tls):\/\/[^,]+(,(nats|tls):\/\/[^,]+)*$/, { message: 'NATS_URL must be nats:// URLs, comma-separated' })
  NATS_URL: string = 'nats://127.0.0.1:4222';

  /**
   * This service's NATS user (deploy/nats: one user per service and per district node, allowed to
   * publish only its own events and to read only what it consumes). Unset: no authentication, for
   * the embedded development server only.
   */
  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^[a-z][a-z0-9-]*$/, { message: 'NATS_USER must be a user of deploy/nats (e.g. intake, dispatch-630104)' })
  NATS_USER?: string;

  @Transform(emptyToUndefined)
  @ValidateIf((o: ServiceConfig) => !!o.NATS_USER)
  @IsString()
  @MinLength(16, { message: 'NATS_PASSWORD is required with NATS_USER, at least 16 characters' })
  NATS_PASSWORD?: string;

  /** PEM file of the CA that signed the NATS servers' certificates; set, the connection requires TLS. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  NATS_TLS_CA_FILE?: string;

  /** First subject token; keep `hotline` in production. Tests use their own to stay apart. */
  @Matches(/^[A-Za-z0-9_-]+$/)
  BUS_PREFIX: string = 'hotline';

  /** JetStream stream holding every event. */
  @Matches(/^[A-Za-z0-9_-]+$/)
  BUS_STREAM: string = 'HOTLINE';

  /**
   * How many times a message's handler may fail before it is dead-lettered. Deliveries that failed
   * because the database was unreachable, and early events waiting for an earlier one, do not count.
   */
  @Transform(toNumber)
  @IsInt()
  @Min(1)
  @Max(100)
  BUS_MAX_DELIVER: number = 8;

  /** Transactions a consumer runs at once, each applying a batch of its messages (BUS_BATCH). */
  @Transform(toNumber)
  @IsInt()
  @Min(1)
  @Max(256)
  BUS_CONCURRENCY: number = 8;

  /**
   * The most messages of one consumer applied in one transaction: what the pull has delivered when a
   * worker is free, never waited for (an idle bus applies a single message at once). 1 here (one
   * message per transaction); the services whose handlers take their rows in a fixed order per
   * batch (dispatch, sla, intake, callback, analytics) default to 32 in their config classes, see
   * docs/architecture.md, "Batches".
   */
  @Transform(toNumber)
  @IsInt()
  @Min(1)
  @Max(256)
  BUS_BATCH: number = 1;

  /**
   * Milliseconds a batch that is not full waits for more messages of its consumer before it is
   * applied (0: never, what the pull has delivered is applied at once). For a service whose readers
   * can wait that long (analytics' read model): fewer, larger batches, so the statements a batch
   * costs whatever its size are paid for more messages (docs/architecture.md, "Batches").
   */
  @Transform(toNumber)
  @IsInt()
  @Min(0)
  @Max(5000)
  BUS_BATCH_LINGER_MS: number = 0;

  /**
   * Event handlers running at once in the whole process, across every consumer; each holds a pooled
   * connection, so it must stay below DB_POOL_SIZE. Unset: DB_POOL_SIZE - 2.
   */
  @Transform(toNumber)
  @IsOptional()
  @IsInt()
  @Min(1)
  @IsBelowPoolSize()
  BUS_HANDLER_BUDGET?: number;

  /** Seconds an event that arrived before the one it depends on may wait before it is dead-lettered. */
  @Transform(toNumber)
  @IsInt()
  @Min(1)
  BUS_EARLY_EVENT_HORIZON_SECONDS: number = 86_400;

  /** Event bodies larger than this (bytes) are dead-lettered without being parsed. */
  @Transform(toNumber)
  @IsInt()
  @Min(1024)
  @Max(8 * 1024 * 1024)
  BUS_MAX_EVENT_BYTES: number = 256 * 1024;

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

  /** Milliseconds between outbox sweeps (the relay is woken at once when its own process's rows commit). */
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

  /**
   * The console's public keys (`http://<console>/.well-known/jwks.json`): the only way a production
   * service verifies tokens. A node holds public keys only, never a signing secret.
   */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsUrl({ require_tld: false, protocols: ['http', 'https'] }, { message: "AUTH_JWKS_URL must be an http(s) URL of the console's JWKS" })
  AUTH_JWKS_URL?: string;

  /** Required `iss` of JWKS-signed tokens (the console's CONSOLE_ISSUER, `jiesu-console`). */
  @Transform(emptyToUndefined)
  @ValidateIf((o: ServiceConfig) => !!o.AUTH_JWKS_URL)
  @IsString()
  @MinLength(1, { message: 'AUTH_ISSUER is required with AUTH_JWKS_URL (the console signs as jiesu-console)' })
  AUTH_ISSUER?: string;

  /** Required `aud`; default: the service's own name (`intake`, `dispatch`, ...). */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  @MinLength(1)
  AUTH_AUDIENCE?: string;

  /** Algorithms a JWKS key may sign with: `ES256` (the console) and, for a city IdP that needs it, `RS256`. */
  @Transform(toList)
  @IsIn(['ES256', 'RS256'], { each: true, message: 'AUTH_ALGORITHMS may list ES256 and RS256 only' })
  AUTH_ALGORITHMS: ('ES256' | 'RS256')[] = ['ES256'];

  /** Longest accepted token lifetime (`exp - iat`). The console signs for 300 s at most. */
  @Transform(toNumber)
  @IsInt()
  @Min(30)
  @Max(3600)
  AUTH_MAX_TOKEN_LIFETIME_SECONDS: number = 300;

  @Transform(toNumber)
  @IsInt()
  @Min(0)
  @Max(300)
  AUTH_CLOCK_SKEW_SECONDS: number = 30;

  /** How long a key fetched from the JWKS is trusted; a key removed from the JWKS is refused after this. */
  @Transform(toNumber)
  @IsInt()
  @Min(1)
  @Max(86400)
  AUTH_JWKS_CACHE_SECONDS: number = 300;

  /** Verified bearer tokens remembered (least recently used dropped first; each ≈ 0.5–1 KB); 0 = verify every time. */
  @Transform(toNumber)
  @IsInt()
  @Min(0)
  AUTH_TOKEN_CACHE_ENTRIES: number = 10_000;

  /** Development only: also accept HS256 tokens of AUTH_JWT_SECRET (`npm run tokens`). Refused in production. */
  @IsIn(['true', 'false'])
  AUTH_DEV_TOKENS: 'true' | 'false' = 'false';

  /** The HS256 secret of development tokens (default: the well-known development secret). Refused in production. */
  @Transform(emptyToUndefined)
  @ValidateIf((o: ServiceConfig) => o.AUTH_JWT_SECRET !== undefined)
  @IsString()
  @MinLength(16, { message: 'AUTH_JWT_SECRET must be at least 16 characters' })
  AUTH_JWT_SECRET?: string;

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
