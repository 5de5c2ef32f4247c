import {
  ArgumentMetadata,
  ArgumentsHost,
  BadRequestException,
  Catch,
  ExceptionFilter,
  HttpException,
  HttpStatus,
  Logger,
  ValidationPipe,
} from '@nestjs/common';
import type { ValidationError, ValidatorOptions } from 'class-validator';
import { Request, Response } from 'express';
import { certainlyValid, STRICT_VALIDATION } from '../validation/compiled-check';
import { unstorableStrings } from './storable-strings';
import { FieldError, flattenValidationErrors } from './validation';

/** The one error body of every service: `{ statusCode, error, message, errors? }`. */
export interface ErrorBody {
  statusCode: number;
  error: string;
  message: string;
  errors?: FieldError[];
  /** A machine-readable reason where clients branch on it (the console's `invalid_credentials`, `csrf`...). */
  code?: string;
  /** With `code: 'role_required'`: the roles of which the endpoint needs one. */
  roles?: string[];
}

export class FieldValidationException extends BadRequestException {
  constructor(errors: FieldError[]) {
    super({
      statusCode: 400,
      error: 'Bad Request',
      message: errors.map((e) => `${e.field}: ${e.reason}`).join('; '),
      errors,
    } satisfies ErrorBody);
  }
}

/**
 * Nest's ValidationPipe, after one check of its own on every body, query and parameter of every
 * route: strings Postgres cannot store (NUL, lone surrogates) are refused with the field's path,
 * whatever the DTO says, so no DTO has to remember it.
 */
export class PlatformValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type !== 'custom') {
      const bad = unstorableStrings(value, metadata.type === 'body' ? '' : (metadata.data ?? ''));
      if (bad.length) throw new FieldValidationException(bad);
    }
    return super.transform(value, metadata);
  }

  /** Whether this pipe validates with the options the compiled check answers for; decided once, when it is built. */
  private readonly strict = isStrict(this.validatorOptions);

  /**
   * A DTO its class's compiled check passes (validation/compiled-check.ts, the bus's) is valid without
   * class-validator's per-request work (its metadata look-up, an async run over every property);
   * anything else is class-validator's to judge, so a 400 and its reasons are exactly as before.
   */
  protected override validate(object: object, options?: ValidatorOptions): Promise<ValidationError[]> | ValidationError[] {
    if (this.strict && certainlyValid(object)) return [];
    return super.validate(object, options);
  }
}

/** The options the compiled check answers for (STRICT_VALIDATION, no groups). */
function isStrict(o: ValidatorOptions): boolean {
  return (
    o.whitelist === true &&
    o.forbidNonWhitelisted === true &&
    o.forbidUnknownValues === true &&
    !o.groups?.length &&
    !o.always &&
    !o.strictGroups &&
    !o.skipMissingProperties &&
    !o.skipNullProperties &&
    !o.skipUndefinedProperties
  );
}

export function validationPipe(): ValidationPipe {
  return new PlatformValidationPipe({
    ...STRICT_VALIDATION,
    transform: true,
    exceptionFactory: (errors) => new FieldValidationException(flattenValidationErrors(errors)),
  });
}

function shapeHttpError(status: number, body: unknown): ErrorBody {
  const error = (HttpStatus[status] as string | undefined) ?? 'Error';
  if (typeof body !== 'object' || body === null) return { statusCode: status, error, message: String(body) };
  const b = body as { error?: string; message?: unknown; errors?: FieldError[]; code?: unknown; roles?: unknown };
  const message = Array.isArray(b.message) ? b.message.map(String).join('; ') : typeof b.message === 'string' ? b.message : error;
  return {
    statusCode: status,
    error: b.error ?? error,
    message,
    ...(b.errors ? { errors: b.errors } : {}),
    ...(typeof b.code === 'string' ? { code: b.code } : {}),
    ...(Array.isArray(b.roles) ? { roles: b.roles.map(String) } : {}),
  };
}

/** Seconds a client is told to wait when a dependency (Postgres, NATS) is down. */
export const RETRY_AFTER_SECONDS = 10;

const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EPIPE',
  'EAI_AGAIN',
  // Postgres: shutting down, starting up, too many connections.
  '57P01',
  '57P02',
  '57P03',
  '53300',
  // nats.js
  'CONNECTION_CLOSED',
  'CONNECTION_DRAINING',
  'DISCONNECT',
]);
const CONNECTION_MESSAGE =
  /connection terminated|timeout exceeded when trying to connect|client has encountered a connection error|connection (is )?closed|cannot use a pool after calling end|not currently accepting connections|the database system is (starting up|shutting down)|ECONNREFUSED|Connection terminated unexpectedly/i;

function causes(e: unknown): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  let cur: unknown = e;
  for (let i = 0; cur && typeof cur === 'object' && i < 5; i++) {
    out.push(cur as Record<string, unknown>);
    const c = cur as { driverError?: unknown; cause?: unknown; errors?: unknown[] };
    // AggregateError (a connect to several addresses) holds the real ones.
    if (Array.isArray(c.errors) && c.errors.length)
      out.push(...(c.errors.filter((x) => x && typeof x === 'object') as Record<string, unknown>[]));
    cur = c.driverError ?? c.cause;
  }
  return out;
}

/** A database or NATS that cannot be reached (not a bad query): the service is unavailable, not broken. */
export function isDependencyDown(e: unknown): boolean {
  return causes(e).some((c) => {
    const code = typeof c.code === 'string' ? c.code : '';
    return CONNECTION_CODES.has(code) || code.startsWith('08') || (typeof c.message === 'string' && CONNECTION_MESSAGE.test(c.message));
  });
}

/** A value Postgres refused (SQLSTATE class 22, "data exception": bad date, number out of range, bad text): the caller's input. */
function dataException(e: unknown): string | null {
  for (const c of causes(e)) {
    if (typeof c.code === 'string' && /^22[0-9A-Z]{3}$/.test(c.code) && typeof c.routine === 'string') return c.code;
  }
  return null;
}

/**
 * Error-level logs per cause (error class and route), at most `perMinute` a minute; the rest are
 * counted and reported in one warning when the minute turns. A flood of one failure (from anonymous
 * clients, say) cannot flood the logs, and a new failure is still logged at once.
 */
export class ErrorLogLimiter {
  private minute = 0;
  private counts = new Map<string, number>();

  constructor(
    private readonly perMinute: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Whether to log this occurrence; `suppressed` is what the previous minute left unlogged. */
  admit(cause: string): { log: boolean; suppressed: [string, number][] } {
    const minute = Math.floor(this.now() / 60_000);
    let suppressed: [string, number][] = [];
    if (minute !== this.minute) {
      suppressed = [...this.counts].filter(([, n]) => n > this.perMinute).map(([k, n]) => [k, n - this.perMinute]);
      this.minute = minute;
      this.counts = new Map();
    }
    const n = (this.counts.get(cause) ?? 0) + 1;
    this.counts.set(cause, n);
    return { log: n <= this.perMinute, suppressed };
  }
}

let errorLog = new ErrorLogLimiter(5);

/** How many error-level logs per cause and minute (from ERROR_LOG_PER_MINUTE, set at boot). */
export function setErrorLogLimit(perMinute: number): void {
  errorLog = new ErrorLogLimiter(perMinute);
}

export interface ClassifiedError {
  status: number;
  body: ErrorBody;
  headers: Record<string, string>;
}

const log = new Logger('Http');

/**
 * What an exception means to the caller, and its logging: HttpExceptions as they are (4xx never
 * logged as errors), a dependency down → 503 with Retry-After (a warning), a value Postgres refused →
 * 400, anything else → 500, logged at error level within the per-cause limit.
 */
export function classifyError(exception: unknown, req: Request | undefined): ClassifiedError {
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    return { status, body: shapeHttpError(status, exception.getResponse()), headers: {} };
  }
  const route = req ? `${req.method} ${(req.route as { path?: string } | undefined)?.path ?? req.path}` : 'unknown';
  const name = exception instanceof Error ? exception.constructor.name : typeof exception;
  const cause = `${name} ${route}`;
  const { log: shouldLog, suppressed } = errorLog.admit(cause);
  for (const [c, n] of suppressed) log.warn({ msg: 'errors not logged (over the per-minute limit)', cause: c, count: n });
  if (isDependencyDown(exception)) {
    if (shouldLog)
      log.warn({ msg: 'dependency unavailable', cause, err: exception instanceof Error ? exception.message : String(exception) });
    return {
      status: 503,
      body: { statusCode: 503, error: 'Service Unavailable', message: 'a service this request needs is unavailable; try again shortly' },
      headers: { 'Retry-After': String(RETRY_AFTER_SECONDS) },
    };
  }
  const sqlState = dataException(exception);
  if (sqlState) {
    if (shouldLog) log.warn({ msg: 'value refused by the database', cause, sqlState });
    return {
      status: 400,
      body: { statusCode: 400, error: 'Bad Request', message: `a value in the request cannot be stored (SQLSTATE ${sqlState})` },
      headers: {},
    };
  }
  if (shouldLog) log.error({ msg: 'unhandled error', cause, err: exception instanceof Error ? exception.stack : String(exception) });
  return { status: 500, body: { statusCode: 500, error: 'Internal Server Error', message: 'internal error' }, headers: {} };
}

@Catch()
export class HttpErrorFilter implements ExceptionFilter {
  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw exception;
    const http = host.switchToHttp();
    const res = http.getResponse<Response>();
    const { status, body, headers } = classifyError(exception, http.getRequest<Request>());
    for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
    res.status(status).json(body);
  }
}
