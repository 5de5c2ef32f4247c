import { HttpException, HttpStatus } from '@nestjs/common';
import { NextFunction, Request, Response } from 'express';
import { IncomingHttpHeaders, request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { pipeline } from 'node:stream';
import { MetricsLocals } from '@app/platform';
import { checkSession, SessionRequest } from '../auth/session.guard';
import { SessionsService } from '../auth/sessions.service';
import { ConsoleConfig, PROXIED_SERVICES, ProxiedService } from '../console.config';
import { ServiceTokens } from '../keys/service-tokens';

/** Hop-by-hop headers (RFC 9110 §7.6.1) and what the browser must not pass to a service. */
const DROP_REQUEST = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'te',
  'trailer',
  'upgrade',
  'host',
  'cookie',
  'authorization',
  'x-csrf-token',
]);
const DROP_RESPONSE = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'te',
  'trailer',
  'upgrade',
  'set-cookie',
]);

function copyHeaders(from: IncomingHttpHeaders, drop: Set<string>): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(from)) if (v !== undefined && !drop.has(k.toLowerCase())) out[k] = v;
  return out;
}

function answer(res: Response, status: number, body: Record<string, unknown>): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.status(status).json({ statusCode: status, ...body });
}

/**
 * `/api/<service>/<path>` → `<SERVICE_URL>/<path>` with a token signed for that service and this
 * person. Registered before the body parsers, so request and response bodies stream through
 * untouched (attachments); status codes, headers and error bodies come back as the service sent them.
 */
export function apiProxy(sessions: SessionsService, tokens: ServiceTokens, config: ConsoleConfig) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const m = /^\/api\/([a-z]+)(\/[^?#]*)?(\?.*)?$/.exec(req.originalUrl);
    if (!m) return next();
    const service = m[1] as ProxiedService;
    (res.locals as MetricsLocals).metricsRoute = PROXIED_SERVICES.includes(service) ? `/api/${service}/*` : '/api/*';
    if (!PROXIED_SERVICES.includes(service))
      return answer(res, 404, { error: 'Not Found', code: 'unknown_service', message: `no service ${m[1]}` });
    void (async () => {
      const refused = await checkSession(sessions, config, req as SessionRequest, false);
      if (refused) {
        const body = refused.getResponse() as Record<string, unknown>;
        return answer(res, refused.getStatus(), { error: HttpStatus[refused.getStatus()], ...body });
      }
      const person = (req as SessionRequest).user!;
      const target = new URL(`${config.serviceUrl(service)}${m[2] ?? '/'}${m[3] ?? ''}`);
      const headers = copyHeaders(req.headers, DROP_REQUEST);
      headers.authorization = `Bearer ${tokens.forCall(person, service)}`;
      headers['x-forwarded-for'] = [req.headers['x-forwarded-for'], req.socket.remoteAddress].filter(Boolean).join(', ');
      headers['x-forwarded-proto'] = req.protocol;
      const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
      const upstream = send(target, { method: req.method, headers });
      const timer = setTimeout(() => {
        upstream.destroy(new Error('timeout'));
        answer(res, 504, {
          error: 'Gateway Timeout',
          code: 'upstream_timeout',
          message: `${service} did not answer within ${config.PROXY_TIMEOUT_MS} ms`,
        });
      }, config.PROXY_TIMEOUT_MS);
      upstream.on('response', (up) => {
        clearTimeout(timer);
        res.writeHead(up.statusCode ?? 502, copyHeaders(up.headers, DROP_RESPONSE));
        pipeline(up, res, () => undefined);
      });
      upstream.on('error', (e) => {
        clearTimeout(timer);
        if (e.message === 'timeout') return;
        answer(res, 502, {
          error: 'Bad Gateway',
          code: 'upstream_unreachable',
          message: `${service} is not reachable: ${(e as NodeJS.ErrnoException).code ?? e.message}`,
        });
      });
      // the browser gone: stop the call too
      res.on('close', () => {
        if (!res.writableFinished) upstream.destroy();
      });
      pipeline(req, upstream, () => undefined);
    })().catch((e: Error) => {
      if (e instanceof HttpException) return answer(res, e.getStatus(), e.getResponse() as Record<string, unknown>);
      answer(res, 500, { error: 'Internal Server Error', message: 'proxy failed' });
      console.error(e);
    });
  };
}
