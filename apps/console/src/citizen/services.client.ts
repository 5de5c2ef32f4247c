import { Inject, Injectable } from '@nestjs/common';
import { Request } from 'express';
import { ConsoleConfig, ProxiedService } from '../console.config';
import { CONSOLE_CONFIG } from '../console.tokens';

export interface ServiceAnswer<T> {
  status: number;
  body: T;
  headers: Headers;
}

/** The service could not be reached or did not answer in time. */
export class ServiceUnavailableError extends Error {}

/**
 * Calls the services' public endpoints for a citizen's page: no token (they are `@Public()`), and the
 * citizen's address in X-Forwarded-For, so a service that lists the console in TRUSTED_PROXIES counts
 * its own public rate limit per citizen rather than per console.
 */
@Injectable()
export class CitizenServices {
  constructor(@Inject(CONSOLE_CONFIG) private readonly config: ConsoleConfig) {}

  async call<T>(
    req: Request,
    service: ProxiedService,
    path: string,
    init: { method?: string; json?: unknown; body?: Buffer; contentType?: string; headers?: Record<string, string> } = {},
  ): Promise<ServiceAnswer<T>> {
    const headers: Record<string, string> = {
      accept: 'application/json',
      'x-forwarded-for': [req.headers['x-forwarded-for'], req.socket.remoteAddress].filter(Boolean).join(', '),
      ...init.headers,
    };
    const traceparent = req.headers.traceparent;
    if (typeof traceparent === 'string') headers.traceparent = traceparent;
    let body: string | Buffer | undefined;
    if (init.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(init.json);
    } else if (init.body) {
      headers['content-type'] = init.contentType ?? 'application/octet-stream';
      body = init.body;
    }
    let res: Response;
    try {
      res = await fetch(`${this.config.serviceUrl(service)}${path}`, {
        method: init.method ?? (body === undefined ? 'GET' : 'POST'),
        headers,
        body,
        signal: AbortSignal.timeout(this.config.PROXY_TIMEOUT_MS),
      });
    } catch (e) {
      throw new ServiceUnavailableError(`${service}: ${(e as Error).message}`);
    }
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      // not JSON: keep the text
    }
    if (res.status >= 500 && res.status !== 504) throw new ServiceUnavailableError(`${service} answered ${res.status}`);
    if (res.status === 504) throw new ServiceUnavailableError(`${service} timed out`);
    return { status: res.status, body: parsed as T, headers: res.headers };
  }
}
