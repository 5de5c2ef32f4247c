import { loadConfig, Principal } from '@app/platform';
import express from 'express';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { StaffAccount } from '../accounts/staff-account.entity';
import { SessionsService } from '../auth/sessions.service';
import { ConsoleConfig } from '../console.config';
import { ServiceTokens } from '../keys/service-tokens';
import { apiProxy } from './api-proxy';

const KEYS = { PII_KEYS: `k1:${Buffer.alloc(32, 1).toString('base64')}`, PII_HASH_KEY: Buffer.alloc(32, 2).toString('base64') };

function listen(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<{ server: Server; url: string }> {
  const server = createServer(handler);
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` })),
  );
}

describe('the /api proxy', () => {
  let upstream: { server: Server; url: string };
  let front: { server: Server; url: string };
  const seen: { headers: IncomingMessage['headers']; body: string; url: string }[] = [];

  beforeAll(async () => {
    upstream = await listen((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        seen.push({ headers: req.headers, body: Buffer.concat(chunks).toString(), url: req.url ?? '' });
        if (req.url?.startsWith('/slow')) return void setTimeout(() => res.end('late'), 1000);
        res.writeHead(req.url?.startsWith('/bad') ? 400 : 200, {
          'content-type': 'application/json',
          'x-upstream': 'yes',
          'set-cookie': 'evil=1',
        });
        res.end(
          JSON.stringify({
            statusCode: 400,
            error: 'Bad Request',
            message: 'channel: must be one of …',
            echo: Buffer.concat(chunks).toString(),
          }),
        );
      });
    });
    const config = loadConfig(ConsoleConfig, {
      ...KEYS,
      DISPATCH_URL: upstream.url,
      INTAKE_URL: 'http://127.0.0.1:1',
      PROXY_TIMEOUT_MS: '200',
    });
    const account = Object.assign(new StaffAccount(), {
      id: 'u1',
      displayName: 'A',
      roles: ['handler'],
      districts: ['630104'],
      unitId: null,
      state: 'active',
      mustChangePassword: false,
    });
    const sessions = {
      resolve: () => Promise.resolve({ account, session: { csrfToken: 'c', method: 'password' } }),
    } as unknown as SessionsService;
    const tokens = { forCall: (p: Principal, s: string) => `token-for-${s}-${p.id}` } as unknown as ServiceTokens;
    const app = express();
    app.use(apiProxy(sessions, tokens, config));
    front = await listen(app);
  });
  afterAll(async () => {
    await new Promise((r) => front.server.close(r));
    upstream.server.closeAllConnections();
    await new Promise((r) => upstream.server.close(r));
  });

  it('passes status, headers and error body through; sends the per-service token, not the cookie', async () => {
    const res = await fetch(`${front.url}/api/dispatch/bad/path?x=1`, {
      method: 'POST',
      headers: {
        cookie: 'jiesu_sid=secret',
        'x-csrf-token': 'c',
        authorization: 'Bearer from-browser',
        'content-type': 'application/json',
      },
      body: '{"a":1}',
    });
    expect(res.status).toBe(400);
    expect(res.headers.get('x-upstream')).toBe('yes');
    expect(res.headers.get('set-cookie')).toBeNull();
    expect(await res.json()).toMatchObject({ statusCode: 400, message: 'channel: must be one of …', echo: '{"a":1}' });
    const last = seen[seen.length - 1];
    expect(last.url).toBe('/bad/path?x=1');
    expect(last.headers.authorization).toBe('Bearer token-for-dispatch-u1');
    expect(last.headers.cookie).toBeUndefined();
    expect(last.headers['x-csrf-token']).toBeUndefined();
  });

  it('answers 504 when the service is too slow', async () => {
    const res = await fetch(`${front.url}/api/dispatch/slow`);
    expect(res.status).toBe(504);
    expect(await res.json()).toMatchObject({ code: 'upstream_timeout' });
  });

  it('answers 502 when the service is down, 404 for an unknown service', async () => {
    expect((await fetch(`${front.url}/api/intake/x`)).status).toBe(502);
    expect((await fetch(`${front.url}/api/payroll/x`)).status).toBe(404);
  });
});
