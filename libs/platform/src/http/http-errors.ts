import {
  ArgumentsHost,
  BadRequestException,
  Catch,
  ExceptionFilter,
  HttpException,
  HttpStatus,
  Logger,
  ValidationPipe,
} from '@nestjs/common';
import { Response } from 'express';
import { FieldError, flattenValidationErrors } from './validation';

/** The one error body of every service: `{ statusCode, error, message, errors? }`. */
export interface ErrorBody {
  statusCode: number;
  error: string;
  message: string;
  errors?: FieldError[];
  /** A machine-readable reason where clients branch on it (the console's `invalid_credentials`, `csrf`...). */
  code?: string;
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

export function validationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    exceptionFactory: (errors) => new FieldValidationException(flattenValidationErrors(errors)),
  });
}

function shapeHttpError(status: number, body: unknown): ErrorBody {
  const error = (HttpStatus[status] as string | undefined) ?? 'Error';
  if (typeof body !== 'object' || body === null) return { statusCode: status, error, message: String(body) };
  const b = body as { error?: string; message?: unknown; errors?: FieldError[]; code?: unknown };
  const message = Array.isArray(b.message) ? b.message.map(String).join('; ') : typeof b.message === 'string' ? b.message : error;
  return {
    statusCode: status,
    error: b.error ?? error,
    message,
    ...(b.errors ? { errors: b.errors } : {}),
    ...(typeof b.code === 'string' ? { code: b.code } : {}),
  };
}

@Catch()
export class HttpErrorFilter implements ExceptionFilter {
  private readonly log = new Logger('Http');

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw exception;
    const res = host.switchToHttp().getResponse<Response>();
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const shaped = shapeHttpError(status, exception.getResponse());
      res.status(status).json(shaped);
      return;
    }
    this.log.error({ msg: 'unhandled error', err: exception instanceof Error ? exception.stack : String(exception) });
    res.status(500).json({ statusCode: 500, error: 'Internal Server Error', message: 'internal error' } satisfies ErrorBody);
  }
}
