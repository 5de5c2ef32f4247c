import { createHmac, createSecretKey, hkdfSync, KeyObject, randomBytes, timingSafeEqual } from 'node:crypto';

export const FORM_COOKIE = 'jiesu_form';

/**
 * CSRF for the citizens' forms, which have no session: a random nonce in an httpOnly, SameSite=Strict
 * cookie, and its HMAC in the form's hidden field (a signed double submit). Another site can neither
 * read the field nor send the cookie with its own POST. The key is derived from PII_HASH_KEY (HKDF,
 * its own `info`), so every replica agrees without a new secret to manage.
 */
export class FormTokens {
  private readonly key: KeyObject;

  constructor(hashKeyBase64: string) {
    this.key = createSecretKey(
      Buffer.from(hkdfSync('sha256', Buffer.from(hashKeyBase64, 'base64'), Buffer.alloc(0), 'jiesu console citizen form v1', 32)),
    );
  }

  newNonce(): string {
    return randomBytes(16).toString('base64url');
  }

  /** The form field for a nonce. */
  tokenFor(nonce: string): string {
    return createHmac('sha256', this.key).update(nonce).digest('base64url');
  }

  verify(nonce: unknown, token: unknown): boolean {
    if (typeof nonce !== 'string' || typeof token !== 'string' || !/^[A-Za-z0-9_-]{22}$/.test(nonce)) return false;
    const want = Buffer.from(this.tokenFor(nonce));
    const got = Buffer.from(token);
    return want.length === got.length && timingSafeEqual(want, got);
  }
}
