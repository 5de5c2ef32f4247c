import express, { NextFunction, Request, Response } from 'express';
import { Registry } from 'prom-client';
import request from 'supertest';
import { httpMetricsMiddleware, MetricsLocals } from './http.metrics';

function app(registry: Registry) {
  const a = express();
  a.use(httpMetricsMiddleware(registry));
  a.use('/api', (req: Request, res: Response, next: NextFunction) => {
    (res.locals as MetricsLocals).metricsRoute = '/api/intake/*';
    if (req.path.startsWith('/intake/')) res.status(200).send('proxied');
    else next();
  });
  a.get('/tickets/:id', (_req, res) => {
    res.json({ ok: true });
  });
  a.get('/boom', () => {
    throw new Error('boom');
  });
  a.get('/{*path}', (_req, res) => {
    res.status(404).end();
  });
  return a;
}

async function count(registry: Registry, labels: string): Promise<number> {
  const text = await registry.metrics();
  const m = new RegExp(`^jiesu_http_request_duration_seconds_count\\{${labels.replace(/[/*]/g, (c) => `\\${c}`)}\\} (\\d+)$`, 'm').exec(
    text,
  );
  return m ? Number(m[1]) : 0;
}

describe('HTTP request metrics', () => {
  it('labels a request with its route pattern, never the raw path', async () => {
    const registry = new Registry();
    const a = app(registry);
    await request(a).get('/tickets/4f1c2b9e-0000-4000-8000-000000000001').expect(200);
    await request(a).get('/tickets/another').expect(200);
    expect(await count(registry, 'method="GET",route="/tickets/:id",status="200"')).toBe(2);
    expect(await registry.metrics()).not.toContain('4f1c2b9e');
  });

  it('puts unknown paths under one label, and takes the route a middleware names', async () => {
    const registry = new Registry();
    const a = app(registry);
    await request(a).get('/wp-login.php').expect(404);
    await request(a).get('/.env').expect(404);
    await request(a).post('/api/intake/tickets').expect(200);
    await request(a).get('/boom').expect(500);
    expect(await count(registry, 'method="GET",route="unmatched",status="404"')).toBe(2);
    expect(await count(registry, 'method="POST",route="/api/intake/*",status="200"')).toBe(1);
    expect(await count(registry, 'method="GET",route="/boom",status="500"')).toBe(1);
  });
});
