import { newTotpSecret, totpFor, totpStep } from './totp';

describe('TOTP', () => {
  const secret = newTotpSecret();
  const now = new Date('2026-12-05T02:00:10Z');
  const code = (at: Date) => totpFor(secret, 'Jiesu', 'u').generate({ timestamp: at.getTime() });

  it('accepts the current code and names its step', () => {
    expect(totpStep(secret, code(now), now)).toBe(Math.floor(now.getTime() / 30_000));
  });

  it('tolerates one step of drift, not more', () => {
    expect(totpStep(secret, code(new Date(now.getTime() - 30_000)), now)).toBe(Math.floor(now.getTime() / 30_000) - 1);
    expect(totpStep(secret, code(new Date(now.getTime() - 90_000)), now)).toBeNull();
  });

  it('refuses malformed codes', () => {
    expect(totpStep(secret, '12345', now)).toBeNull();
    expect(totpStep(secret, 'abcdef', now)).toBeNull();
  });
});
