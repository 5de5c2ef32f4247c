import { classifyError } from '@app/platform';
import { ArgumentsHost, Catch, ExceptionFilter, HttpException } from '@nestjs/common';
import { Request, Response } from 'express';
import { send, splitFormat } from './open311.format';

/** An Open311 error: the status and the `{code, description}` list the spec defines. */
export class Open311Error extends HttpException {
  constructor(status: number, description: string | string[]) {
    super({ errors: (Array.isArray(description) ? description : [description]).map((d) => ({ code: status, description: d })) }, status);
  }
}

/**
 * Errors on the Open311 endpoints in GeoReport's own format (`[{code, description}]`, `<errors>`)
 * in the format of the URL's suffix, instead of the platform's JSON error body. Field validation
 * errors keep the field name in each description.
 */
@Catch()
export class Open311ErrorFilter implements ExceptionFilter {
  catch(exception: unknown, host: ArgumentsHost): void {
    const req = host.switchToHttp().getRequest<Request>();
    const res = host.switchToHttp().getResponse<Response>();
    const format = splitFormat(req.path).format ?? 'json';
    let status: number;
    let errors: { code: number; description: string }[];
    if (exception instanceof HttpException) {
      status = exception.getStatus();
      const body = exception.getResponse() as { errors?: unknown[]; message?: unknown };
      if (exception instanceof Open311Error) {
        errors = body.errors as typeof errors;
      } else if (Array.isArray(body.errors)) {
        errors = (body.errors as { field: string; reason: string }[]).map((e) => ({
          code: status,
          description: `${e.field}: ${e.reason}`,
        }));
      } else {
        errors = [{ code: status, description: typeof body.message === 'string' ? body.message : exception.message }];
      }
    } else {
      // 503 with Retry-After when a dependency is down, logged within the platform's per-cause limit.
      const c = classifyError(exception, req);
      status = c.status;
      for (const [k, v] of Object.entries(c.headers)) res.setHeader(k, v);
      errors = [{ code: status, description: c.body.message }];
    }
    send(res, format, status, 'errors', errors);
  }
}
