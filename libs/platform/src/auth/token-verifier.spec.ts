import jwt from 'jsonwebtoken';
import { generateKeyPairSync, KeyObject } from 'node:crypto';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { AuthOptions, InvalidTokenError, mintDevToken, TokenVerifier } from './token-verifier';

const SECRET = 'a-test-secret-of-enough-length';
const user = { id: 'u1', name: '派单员', roles: ['dispatcher' as const], districts: ['630104'], units: [] };
const base: AuthOptions = {
  audiences: ['dispatch'],
  algorithms: ['ES256'],
  maxLifetimeSeconds: 300,
  clockSkewSeconds: 5,
  jwksCacheSeconds: 60,
};

/** A token as the console signs it: ES256, key k1, for dispatch, 300 s. */
function signEs256(key: KeyObject, claims: object, o: jwt.SignOptions = {}): string {
  return jwt.sign(claims, key, {
    algorithm: 'ES256',
    keyid: 'k1',
    subject: 'u1',
    issuer: 'jiesu-console',
    audience: 'dispatch',
    expiresIn: 300,
    ...o,
  });
}

describe('TokenVerifier (development tokens, AUTH_DEV_TOKENS=true)', () => {
  const verifier = new TokenVerifier({ ...base, devSecret: SECRET });

  it('returns the principal of a valid token, with the token itself riding along unseen', async () => {
    const token = mintDevToken(SECRET, user);
    const p = await verifier.verify(token);
    expect(p).toEqual(user);
    expect(p.token).toBe(token);
    expect(JSON.stringify(p)).not.toContain(token);
  });

  it('drops roles it does not know', async () => {
    const token = jwt.sign({ roles: ['dispatcher', 'emperor'] }, SECRET, { subject: 'u2', expiresIn: 60 });
    await expect(verifier.verify(token)).resolves.toMatchObject({ roles: ['dispatcher'], districts: [], units: [] });
  });

  it.each([
    ['signed with another secret', () => mintDevToken('another-secret-of-enough-length', user)],
    ['expired', () => jwt.sign({ roles: [] }, SECRET, { subject: 'u1', expiresIn: -10 })],
    ['without exp', () => jwt.sign({ roles: [] }, SECRET, { subject: 'u1' })],
    ['without a subject', () => jwt.sign({ roles: [] }, SECRET, { expiresIn: 60 })],
    ['using alg none', () => jwt.sign({ roles: ['admin'] }, '', { algorithm: 'none', subject: 'u1', expiresIn: 60 })],
    ['for another audience', () => mintDevToken(SECRET, user, '1h', undefined, 'intake')],
    ['in HS384', () => jwt.sign({ roles: [] }, SECRET, { algorithm: 'HS384', subject: 'u1', expiresIn: 60 })],
  ])('refuses a token %s', async (_why, make) => {
    await expect(verifier.verify(make())).rejects.toBeInstanceOf(InvalidTokenError);
  });

  it('accepts a dev token for its own audience', async () => {
    await expect(verifier.verify(mintDevToken(SECRET, user, '1h', undefined, 'dispatch'))).resolves.toMatchObject({ id: 'u1' });
  });

  it('refuses HS256 outright without the development setting', async () => {
    const strict = new TokenVerifier({ ...base, jwksUrl: 'http://127.0.0.1:9/jwks.json', issuer: 'jiesu-console' });
    await expect(strict.verify(mintDevToken(SECRET, user))).rejects.toThrow('algorithm HS256 is not accepted');
  });
});

describe('TokenVerifier (the console JWKS)', () => {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const jwk = { ...publicKey.export({ format: 'jwk' }), kid: 'k1', alg: 'ES256', use: 'sig' };
  let server: Server;
  let verifier: TokenVerifier;
  const sign = (claims: object, o: jwt.SignOptions = {}) => signEs256(privateKey, { roles: ['dispatcher'], ...claims }, o);

  beforeAll(async () => {
    server = createServer((_req, res) => res.end(JSON.stringify({ keys: [jwk] })));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks.json`;
    verifier = new TokenVerifier({ ...base, jwksUrl: url, issuer: 'jiesu-console' });
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('accepts a console token', async () => {
    await expect(verifier.verify(sign({}))).resolves.toMatchObject({ id: 'u1', roles: ['dispatcher'] });
  });

  it('accepts another audience only when the caller names it (a relayed query)', async () => {
    const forCallback = sign({}, { audience: 'callback' });
    await expect(verifier.verify(forCallback)).rejects.toThrow(/audience/);
    await expect(verifier.verify(forCallback, { audiences: ['callback'] })).resolves.toMatchObject({ id: 'u1' });
  });

  it.each([
    ['too long-lived', () => sign({}, { expiresIn: 3600 })],
    ['without iat', () => sign({}, { noTimestamp: true })],
    [
      'without a kid',
      () =>
        jwt.sign({ roles: [] }, privateKey, {
          algorithm: 'ES256',
          subject: 'u1',
          issuer: 'jiesu-console',
          audience: 'dispatch',
          expiresIn: 60,
        }),
    ],
    ['of an unknown kid', () => sign({}, { keyid: 'k9' })],
    ['of the wrong issuer', () => sign({}, { issuer: 'someone' })],
  ])('refuses a token %s', async (_why, make) => {
    await expect(verifier.verify(make())).rejects.toBeInstanceOf(InvalidTokenError);
  });
});

describe('TokenVerifier (remembering verified tokens)', () => {
  /** A whole second, so `exp` lands on known instants. */
  const T0 = 1_800_000_000_000;
  const at = (ms: number) => jest.spyOn(Date, 'now').mockReturnValue(ms);
  const dev = (o: Partial<AuthOptions> = {}) => new TokenVerifier({ ...base, devSecret: SECRET, ...o });
  let verify: jest.SpyInstance;
  beforeEach(() => {
    verify = jest.spyOn(jwt, 'verify');
  });
  afterEach(() => jest.restoreAllMocks());

  it('verifies a token once, and hands out a fresh principal each time with the token riding along', async () => {
    const verifier = dev();
    const token = mintDevToken(SECRET, user);
    const first = await verifier.verify(token);
    const second = await verifier.verify(token);
    expect(verify).toHaveBeenCalledTimes(1);
    expect(second).toEqual(first);
    expect(second).not.toBe(first);
    expect(second.token).toBe(token);
    expect(JSON.stringify(second)).not.toContain(token);
    for (const p of [first, second]) {
      p.roles.push('admin');
      p.districts.length = 0;
      p.name = 'someone else';
    }
    const third = await verifier.verify(token);
    expect(third).toEqual(user);
    expect(third.token).toBe(token);
  });

  it('verifies a token again for other audiences, and refuses it where its aud does not fit', async () => {
    const verifier = dev();
    const token = mintDevToken(SECRET, user, '1h', undefined, 'dispatch');
    await expect(verifier.verify(token)).resolves.toMatchObject({ id: 'u1' });
    await expect(verifier.verify(token, { audiences: ['intake'] })).rejects.toThrow(/audience/);
    await expect(verifier.verify(token, { audiences: ['intake'] })).rejects.toThrow(/audience/);
    await expect(verifier.verify(token, { audiences: ['callback', 'dispatch'] })).resolves.toMatchObject({ id: 'u1' });
    expect(verify).toHaveBeenCalledTimes(4);
  });

  it('serves no token string crafted to spell another audience set’s entry', async () => {
    const verifier = dev();
    const forCallback = mintDevToken(SECRET, user, '1h', undefined, 'callback');
    await verifier.verify(forCallback, { audiences: ['callback', 'dispatch'] });
    await verifier.verify(forCallback, { audiences: ['dispatch', 'callback'] });
    for (const sep of ['\0', '\n', ',', ' ', '|', '"', '","', '"]']) {
      for (const crafted of [`${forCallback}${sep}callback`, `callback${sep}${forCallback}`, `${forCallback}${sep}dispatch"]`]) {
        await expect(verifier.verify(crafted)).rejects.toBeInstanceOf(InvalidTokenError);
      }
    }
  });

  it('refuses a remembered token once expired, at the clock-skew boundary jsonwebtoken applies', async () => {
    at(T0);
    const token = jwt.sign({ roles: [] }, SECRET, { subject: 'u1', expiresIn: 60 }); // exp = T0/1000 + 60
    const deadline = T0 + (60 + base.clockSkewSeconds) * 1000;
    const cached = dev({ jwksCacheSeconds: 3600 });
    const uncached = dev({ tokenCacheEntries: 0 });
    await cached.verify(token);
    at(deadline - 1);
    await expect(cached.verify(token)).resolves.toMatchObject({ id: 'u1' });
    await expect(uncached.verify(token)).resolves.toMatchObject({ id: 'u1' });
    expect(verify).toHaveBeenCalledTimes(2); // the first verification and the uncached one
    at(deadline);
    await expect(uncached.verify(token)).rejects.toThrow(new InvalidTokenError('jwt expired'));
    await expect(cached.verify(token)).rejects.toThrow(new InvalidTokenError('jwt expired'));
    expect(verify).toHaveBeenCalledTimes(3); // refused from the cache
    await expect(cached.verify(token)).rejects.toThrow(new InvalidTokenError('jwt expired'));
    expect(verify).toHaveBeenCalledTimes(4); // the entry was dropped: verified in full, and refused
  });

  it('verifies a token again once it has been remembered for jwksCacheSeconds', async () => {
    const verifier = dev({ jwksCacheSeconds: 60 });
    at(T0);
    const token = mintDevToken(SECRET, user);
    await verifier.verify(token);
    at(T0 + 59_999);
    await verifier.verify(token);
    expect(verify).toHaveBeenCalledTimes(1);
    at(T0 + 60_000);
    await verifier.verify(token);
    expect(verify).toHaveBeenCalledTimes(2);
    at(T0 + 60_001);
    await verifier.verify(token);
    expect(verify).toHaveBeenCalledTimes(2); // remembered again from its new verification
  });

  it('caches no refusal', async () => {
    const verifier = dev();
    const forged = mintDevToken('another-secret-of-enough-length', user);
    await expect(verifier.verify(forged)).rejects.toThrow('invalid signature');
    await expect(verifier.verify(forged)).rejects.toThrow('invalid signature');
    const noSubject = jwt.sign({ roles: [] }, SECRET, { expiresIn: 60 }); // refused after jwt.verify
    await expect(verifier.verify(noSubject)).rejects.toThrow('token has no sub');
    await expect(verifier.verify(noSubject)).rejects.toThrow('token has no sub');
    expect(verify).toHaveBeenCalledTimes(4);
  });

  it('verifies every time with tokenCacheEntries 0', async () => {
    const verifier = dev({ tokenCacheEntries: 0 });
    const token = mintDevToken(SECRET, user);
    await verifier.verify(token);
    await expect(verifier.verify(token)).resolves.toEqual(user);
    expect(verify).toHaveBeenCalledTimes(2);
  });

  it('drops the least recently used token when full', async () => {
    const verifier = dev({ tokenCacheEntries: 2 });
    const [a, b, c] = ['a', 'b', 'c'].map((id) => mintDevToken(SECRET, { ...user, id }));
    const verified = async (token: string) => {
      const before = verify.mock.calls.length;
      expect((await verifier.verify(token)).token).toBe(token);
      return verify.mock.calls.length > before;
    };
    expect(await verified(a)).toBe(true);
    expect(await verified(b)).toBe(true);
    expect(await verified(a)).toBe(false); // a is now the most recently used
    expect(await verified(c)).toBe(true); // drops b
    expect(await verified(a)).toBe(false);
    expect(await verified(b)).toBe(true); // drops c
    expect(await verified(a)).toBe(false);
    expect(await verified(c)).toBe(true);
  });

  describe('with the console JWKS', () => {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const keys = [{ ...publicKey.export({ format: 'jwk' }), kid: 'k1', alg: 'ES256', use: 'sig' }];
    let server: Server;
    let url: string;
    beforeAll(async () => {
      server = createServer((_req, res) => res.end(JSON.stringify({ keys })));
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks.json`;
    });
    afterAll(async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    });

    it('refuses a token whose key left the JWKS no later than it would without the cache', async () => {
      const verifier = new TokenVerifier({ ...base, jwksUrl: url, issuer: 'jiesu-console', jwksCacheSeconds: 60 });
      at(T0);
      const token = signEs256(privateKey, { roles: ['dispatcher'] });
      await expect(verifier.verify(token)).resolves.toMatchObject({ id: 'u1', roles: ['dispatcher'] });
      keys.length = 0; // the key is removed from the JWKS
      at(T0 + 59_000);
      await expect(verifier.verify(token)).resolves.toMatchObject({ id: 'u1' });
      expect(verify).toHaveBeenCalledTimes(1);
      at(T0 + 61_000); // the JWKS client's copy of the key has expired too
      await expect(verifier.verify(token)).rejects.toThrow('no key k1 in the JWKS');
      await expect(verifier.verify(token)).rejects.toThrow('no key k1 in the JWKS');
    });
  });
});
