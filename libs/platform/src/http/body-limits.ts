import { INestApplication } from '@nestjs/common';
import express, { NextFunction, Request, Response } from 'express';
import { ErrorBody } from './http-errors';

export interface BodyLimits {
  /** Largest JSON or form body, in bytes. */
  maxBytes: number;
  /** Deepest nesting of arrays and objects a JSON body may have. */
  maxDepth: number;
}

/** How deeply `value` nests, counted without recursion (a 100,000-level body cannot overflow the stack); stops past `limit`. */
export function nestingDepth(value: unknown, limit: number): number {
  let deepest = 0;
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length) {
    const [v, d] = stack.pop()!;
    if (typeof v !== 'object' || v === null) continue;
    const depth = d + 1;
    if (depth > deepest) deepest = depth;
    if (deepest > limit) return deepest;
    for (const child of Object.values(v)) stack.push([child, depth]);
  }
  return deepest;
}

function answer(res: Response, status: number, message: string): void {
  const error = status === 413 ? 'Payload Too Large' : status === 415 ? 'Unsupported Media Type' : 'Bad Request';
  res.status(status).json({ statusCode: status, error, message } satisfies ErrorBody);
}

/**
 * The body parsers with their limits, and what happens when a body cannot be read: 413 over the size
 * limit, 415 in a charset or encoding we do not read, 400 for malformed or too deeply nested JSON. All
 * before authentication and the validation pipe, and never logged as an error (no stack): an
 * anonymous client must not be able to make a service log at error level. Nest's own parsers see
 * ours already installed (by name) and stay out.
 */
export function installBodyParsers(app: INestApplication, limits: BodyLimits): void {
  app.use(express.json({ limit: limits.maxBytes }));
  // `depth`: how deeply qs nests `a[b][c]=` form fields.
  const form = { extended: true, limit: limits.maxBytes, depth: Math.min(limits.maxDepth, 32), parameterLimit: 1000 };
  app.use(express.urlencoded(form));
  app.use((req: Request, res: Response, next: NextFunction) => {
    if (req.body !== undefined && nestingDepth(req.body, limits.maxDepth) > limits.maxDepth) {
      return answer(res, 400, `the body nests deeper than ${limits.maxDepth} levels`);
    }
    next();
  });
  app.use((err: unknown, _req: Request, res: Response, next: NextFunction) => {
    const e = err as { status?: number; statusCode?: number; type?: string; message?: string };
    const status = e.status ?? e.statusCode;
    if (!status || status < 400 || status >= 500) return next(err);
    const messages: Record<string, string> = {
      'entity.too.large': `the body is larger than the limit of ${limits.maxBytes} bytes`,
      'parameters.too.many': 'the form has too many fields',
      'charset.unsupported': `${e.message ?? 'unsupported charset'}: send UTF-8`,
      'encoding.unsupported': `${e.message ?? 'unsupported content encoding'}`,
      'entity.parse.failed': 'the body is not valid JSON',
      'request.aborted': 'the request was aborted',
      'request.size.invalid': 'the body is shorter or longer than its Content-Length',
    };
    answer(res, status, messages[e.type ?? ''] ?? e.message ?? 'the body cannot be read');
  });
}
