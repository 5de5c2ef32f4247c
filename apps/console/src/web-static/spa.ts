import express, { NextFunction, Request, Response } from 'express';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { MetricsLocals } from '@app/platform';

/** Paths the SPA never answers: the console's own endpoints. */
const RESERVED = /^\/(api|auth|admin|directory|events|public|health|metrics|docs|docs-json|\.well-known)(\/|$|\?)/;

/**
 * The built staff console (Vite's output): its files under their paths (`/assets/...` cached for
 * good, their names carry a hash), and index.html for any other GET that asks for HTML, so the
 * SPA's own routes (/orders/..., /login) load on a reload. Nothing is served when it is not built.
 */
export function spaHandlers(dir: string): ((req: Request, res: Response, next: NextFunction) => void)[] {
  const root = resolve(dir);
  const index = join(root, 'index.html');
  const files = express.static(root, {
    index: false,
    fallthrough: true,
    setHeaders: (res, path) => {
      if (path.includes(`${join(root, 'assets')}`)) res.setHeader('Cache-Control', 'public, max-age=31536000, immutable');
    },
  });
  const fallback = (req: Request, res: Response, next: NextFunction) => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || RESERVED.test(req.path) || !req.accepts('html') || !existsSync(index))
      return next();
    res.setHeader('Cache-Control', 'no-cache');
    (res.locals as MetricsLocals).metricsRoute = 'spa';
    res.sendFile(index);
  };
  const guarded = (req: Request, res: Response, next: NextFunction): void => {
    if (RESERVED.test(req.path) || !existsSync(root)) next();
    else {
      (res.locals as MetricsLocals).metricsRoute = 'static';
      void files(req, res, next);
    }
  };
  return [guarded, fallback];
}
