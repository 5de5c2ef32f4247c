import { createHash } from 'node:crypto';

/**
 * A stable uuid (RFC 4122 v5 layout, SHA-1 of a fixed namespace + code) for a unit code, so seed data,
 * dev tokens and tests agree on unit ids without a lookup.
 */
export function unitIdFor(code: string): string {
  const h = createHash('sha1').update(`jiesu-org-unit:${code}`).digest();
  h[6] = (h[6] & 0x0f) | 0x50;
  h[8] = (h[8] & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}
