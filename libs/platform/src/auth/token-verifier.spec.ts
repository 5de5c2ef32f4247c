import jwt from 'jsonwebtoken';
import { generateKeyPairSync } from 'node:crypto';
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
  const sign = (claims: object, o: jwt.SignOptions = {}) =>
    jwt.sign({ roles: ['dispatcher'], ...claims }, privateKey, {
      algorithm: 'ES256',
      keyid: 'k1',
      subject: 'u1',
      issuer: 'jiesu-console',
      audience: 'dispatch',
      expiresIn: 300,
      ...o,
    });

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
