import { randomBytes, timingSafeEqual } from 'node:crypto';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function newCsrfToken(): string {
  return randomBytes(24).toString('base64url');
}

/**
 * The synchroniser-token check: a state-changing request must echo the session's token in the
 * `x-csrf-token` header. Another origin can make the browser send the cookie but cannot read the token.
 */
export function csrfAllows(method: string, header: string | string[] | undefined, expected: string): boolean {
  if (SAFE_METHODS.has(method.toUpperCase())) return true;
  if (typeof header !== 'string' || header.length === 0) return false;
  const a = Buffer.from(header);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
