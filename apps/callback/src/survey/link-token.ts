import { createHash, createHmac, createSecretKey, KeyObject, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Survey link tokens: `<keyId>.<linkId>.<expires>.<signature>`, all URL-safe. The signature is
 * HMAC-SHA256 over the first three parts with the key named by keyId, so a forged, altered or
 * truncated token is refused without a database read. Only `hashToken(token)` is stored.
 */
export class LinkSigner {
  /** KeyObjects, made once (a Buffer costs Node 24 a thrown and caught check per HMAC; see PiiCipher). */
  private readonly keys: Map<string, KeyObject>;
  private readonly signingKeyId: string;

  /** `keyId:base64,keyId:base64`: the first signs, every key verifies (rotation). */
  constructor(spec: string) {
    const pairs = spec.split(',').map((p) => {
      const i = p.indexOf(':');
      return [p.slice(0, i).trim(), Buffer.from(p.slice(i + 1).trim(), 'base64')] as const;
    });
    if (pairs.length === 0 || pairs.some(([id, key]) => !id || key.length < 32))
      throw new Error('link keys must be keyId:base64 of at least 32 bytes');
    this.keys = new Map(pairs.map(([id, key]) => [id, createSecretKey(key)]));
    this.signingKeyId = pairs[0][0];
  }

  sign(expiresAt: Date): { token: string; linkId: string } {
    const linkId = randomBytes(16).toString('base64url');
    const body = `${this.signingKeyId}.${linkId}.${Math.floor(expiresAt.getTime() / 1000).toString(36)}`;
    return { token: `${body}.${this.mac(this.keys.get(this.signingKeyId)!, body)}`, linkId };
  }

  /** The expiry the token was signed with, or null when the token is not one of ours. */
  verify(token: string): { expiresAt: Date } | null {
    const parts = token.split('.');
    if (parts.length !== 4 || parts.some((p) => !/^[A-Za-z0-9_-]+$/.test(p))) return null;
    const [keyId, , exp, sig] = parts;
    const key = this.keys.get(keyId);
    if (!key) return null;
    const expected = Buffer.from(this.mac(key, parts.slice(0, 3).join('.')));
    const given = Buffer.from(sig);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
    const seconds = parseInt(exp, 36);
    return Number.isFinite(seconds) ? { expiresAt: new Date(seconds * 1000) } : null;
  }

  private mac(key: KeyObject, body: string): string {
    return createHmac('sha256', key).update(body).digest('base64url');
  }
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
