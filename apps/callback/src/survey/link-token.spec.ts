import { randomBytes } from 'node:crypto';
import { hashToken, LinkSigner } from './link-token';

const key = () => randomBytes(32).toString('base64');

describe('survey link tokens', () => {
  const expires = new Date('2026-03-13T01:00:00Z');

  it('verifies its own token and reads back the expiry', () => {
    const s = new LinkSigner(`k1:${key()}`);
    const { token } = s.sign(expires);
    expect(token).toMatch(/^k1\.[A-Za-z0-9_-]+\.[a-z0-9]+\.[A-Za-z0-9_-]+$/);
    expect(s.verify(token)).toEqual({ expiresAt: expires });
  });

  it('refuses an altered, truncated or foreign token', () => {
    const s = new LinkSigner(`k1:${key()}`);
    const { token } = s.sign(expires);
    const [k, id, , sig] = token.split('.');
    expect(s.verify(`${k}.${id}.${(Math.floor(expires.getTime() / 1000) + 86400).toString(36)}.${sig}`)).toBeNull();
    expect(s.verify(token.slice(0, -2))).toBeNull();
    expect(s.verify('garbage')).toBeNull();
    expect(s.verify(new LinkSigner(`k1:${key()}`).sign(expires).token)).toBeNull();
    expect(s.verify(`k9.${id}.abc.${sig}`)).toBeNull();
  });

  it('keeps verifying tokens of a rotated-out key', () => {
    const old = key();
    const before = new LinkSigner(`k1:${old}`).sign(expires).token;
    const rotated = new LinkSigner(`k2:${key()},k1:${old}`);
    expect(rotated.verify(before)).toEqual({ expiresAt: expires });
    expect(rotated.sign(expires).token.startsWith('k2.')).toBe(true);
  });

  it('stores a hash, never the token', () => {
    const { token } = new LinkSigner(`k1:${key()}`).sign(expires);
    expect(hashToken(token)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashToken(token)).not.toContain(token);
  });
});
