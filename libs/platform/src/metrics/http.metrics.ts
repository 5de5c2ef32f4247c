import { NextFunction, Request, Response } from 'express';
import { Histogram, Registry } from 'prom-client';

/** The label of a request that matched no route (scanners, typos): one series, not one per path. */
export const UNMATCHED_ROUTE = 'unmatched';
const CATCH_ALL = /^\/?(\*|\{\*\w*\}|\(\.\*\))$/;

/**
 * `res.locals.metricsRoute`: a middleware that answers without an Express route (the console's
 * `/api/<service>/…` proxy, its single-page app) names the route it served here, so the label set
 * stays bounded.
 */
export interface MetricsLocals {
  metricsRoute?: string;
}

export function httpDurationHistogram(registry: Registry): Histogram<'method' | 'route' | 'status'> {
  const existing = registry.getSingleMetric('jiesu_http_request_duration_seconds');
  if (existing) return existing as Histogram<'method' | 'route' | 'status'>;
  return new Histogram({
    name: 'jiesu_http_request_duration_seconds',
    help: 'HTTP requests by method, route pattern (e.g. /tickets/:id) and status code, with their duration',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
}

/** The route pattern a finished request matched: Express's own (mount path + route path), else what a middleware named. */
export function routeOf(req: Request, res: Response): string {
  const route = (req as unknown as { route?: { path?: unknown } }).route;
  // Nest answers unknown paths with a catch-all route (`/{*path}`): that is no route of the API.
  if (route && typeof route.path === 'string' && !CATCH_ALL.test(route.path)) return `${req.baseUrl ?? ''}${route.path}` || '/';
  return (res.locals as MetricsLocals).metricsRoute ?? UNMATCHED_ROUTE;
}

/** Express middleware timing every request; the labels are read when the response is finished. */
export function httpMetricsMiddleware(registry: Registry): (req: Request, res: Response, next: NextFunction) => void {
  const histogram = httpDurationHistogram(registry);
  return (req, res, next) => {
    const end = histogram.startTimer();
    res.once('finish', () => end({ method: req.method, route: routeOf(req, res), status: String(res.statusCode) }));
    next();
  };
}
