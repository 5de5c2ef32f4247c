import { createHash } from 'node:crypto';

/** Query parameters whose values are secrets or personal: never written to a log. */
const SECRET_PARAMS = /^(api_key|apikey|key|token|access_token|secret|password|phone|email|first_name|last_name)$/i;

/** Paths that carry a secret in the path itself: the survey link's token (`/s/<token>`). */
const SECRET_PATHS: [RegExp, string][] = [[/^(\/s\/)[^/?#]+/, '$1[redacted]']];

/** A URL (path and query) as it may be logged: secret path segments and query values replaced. */
export function redactUrl(url: string | undefined): string | undefined {
  if (!url) return url;
  const q = url.indexOf('?');
  let path = q < 0 ? url : url.slice(0, q);
  for (const [re, to] of SECRET_PATHS) path = path.replace(re, to);
  if (q < 0) return path;
  const query = url
    .slice(q + 1)
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      const name = eq < 0 ? pair : pair.slice(0, eq);
      let decoded = name;
      try {
        decoded = decodeURIComponent(name.replace(/\+/g, ' '));
      } catch {
        // an undecodable name is logged as it came
      }
      return eq >= 0 && SECRET_PARAMS.test(decoded) ? `${name}=[redacted]` : pair;
    })
    .join('&');
  return `${path}?${query}`;
}

/** A client address as it may be logged: a short keyed-free hash, enough to tell clients apart in one log, not to find them. */
export function pseudonymiseAddress(addr: string | undefined): string | undefined {
  if (!addr) return addr;
  return `ip:${createHash('sha256').update(addr).digest('base64url').slice(0, 10)}`;
}

interface SerializedReq {
  url?: string;
  query?: Record<string, unknown>;
  params?: Record<string, unknown>;
  headers?: Record<string, unknown>;
  remoteAddress?: string;
  [k: string]: unknown;
}

/** pino-http's `req` serializer: the request without its secrets (see redactUrl) and with the address pseudonymised. */
export function redactRequestForLog(req: SerializedReq): SerializedReq {
  const out: SerializedReq = { ...req, url: redactUrl(req.url), remoteAddress: pseudonymiseAddress(req.remoteAddress) };
  if (req.query && typeof req.query === 'object') {
    out.query = Object.fromEntries(Object.entries(req.query).map(([k, v]) => [k, SECRET_PARAMS.test(k) ? '[redacted]' : v]));
  }
  // The params repeat the path (Express 5 gives the logger's wildcard route `{ path: ['s', '<token>'] }`): the redacted url says it all.
  delete out.params;
  if (req.headers) {
    const h = { ...req.headers };
    for (const k of ['authorization', 'cookie', 'x-forwarded-for', 'x-real-ip', 'forwarded', 'referer']) if (k in h) h[k] = '[redacted]';
    out.headers = h;
  }
  return out;
}
