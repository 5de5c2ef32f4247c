import { TokenVerifier } from '@app/platform';
import jwt from 'jsonwebtoken';
import { createPublicKey } from 'node:crypto';
import { generateSigningJwk, loadSigningKeys, SigningKeys } from './signing-keys';

const person = {
  id: 'u1',
  name: '张三',
  roles: ['handler' as const],
  districts: ['630104'],
  units: ['00000000-0000-4000-8000-000000000001'],
};

function verifyWith(keys: SigningKeys, token: string) {
  const { kid } = jwt.decode(token, { complete: true })!.header;
  const jwk = keys.jwks().keys.find((k) => k.kid === kid);
  if (!jwk) throw new Error(`kid ${kid} not published`);
  return jwt.verify(token, createPublicKey({ key: jwk, format: 'jwk' }), {
    algorithms: ['ES256'],
    audience: 'dispatch',
    issuer: 'jiesu-console',
  });
}

describe('SigningKeys', () => {
  it('signs ES256 tokens with kid, iss, aud, exp and the person', () => {
    const keys = new SigningKeys([generateSigningJwk('a')]);
    const token = keys.sign(person, 'dispatch', 'jiesu-console', 120);
    const decoded = jwt.decode(token, { complete: true })!;
    expect(decoded.header).toMatchObject({ alg: 'ES256', kid: 'a' });
    expect(verifyWith(keys, token)).toMatchObject({
      sub: 'u1',
      aud: 'dispatch',
      iss: 'jiesu-console',
      roles: ['handler'],
      districts: ['630104'],
    });
    const p = decoded.payload as jwt.JwtPayload;
    expect(p.exp! - p.iat!).toBe(120);
  });

  it('publishes only public halves', () => {
    const keys = new SigningKeys([generateSigningJwk('a')]);
    expect(keys.jwks().keys).toHaveLength(1);
    expect(keys.jwks().keys[0]).not.toHaveProperty('d');
  });

  it('rotates without downtime: the next key is published before it signs, the old one still verifies', async () => {
    const oldKey = generateSigningJwk('old');
    const nextKey = generateSigningJwk('next');
    const before = new SigningKeys([oldKey]);
    const tokenBefore = before.sign(person, 'dispatch', 'jiesu-console', 120);
    // step 1: publish the next key, still signing with the old one
    const publishing = new SigningKeys([oldKey, nextKey], 'old');
    expect(publishing.jwks().keys.map((k) => k.kid)).toEqual(['old', 'next']);
    expect(jwt.decode(publishing.sign(person, 'dispatch', 'jiesu-console', 60), { complete: true })!.header.kid).toBe('old');
    // step 2: sign with the next key; tokens signed before still verify
    const switched = new SigningKeys([oldKey, nextKey], 'next');
    const tokenAfter = switched.sign(person, 'dispatch', 'jiesu-console', 60);
    expect(jwt.decode(tokenAfter, { complete: true })!.header.kid).toBe('next');
    expect(() => verifyWith(switched, tokenBefore)).not.toThrow();
    expect(() => verifyWith(switched, tokenAfter)).not.toThrow();
    // a service's verifier with the platform's own checks accepts it too (HS256 verifier refuses ES256)
    await expect(new TokenVerifier({ secret: 'a-test-secret-of-enough-length' }).verify(tokenAfter)).rejects.toThrow();
  });

  it('refuses bad key sets', () => {
    expect(() => new SigningKeys([])).toThrow('no signing keys');
    expect(() => new SigningKeys([{ ...generateSigningJwk('a') }, { ...generateSigningJwk('a') }])).toThrow('twice');
    const { d: _d, ...pub } = generateSigningJwk('p');
    expect(() => new SigningKeys([pub])).toThrow('not a private EC P-256 JWK');
    expect(() => new SigningKeys([generateSigningJwk('a')], 'zz')).toThrow('signing kid zz');
  });

  it('requires keys in production and names the variable', () => {
    expect(() => loadSigningKeys({ NODE_ENV: 'production', CONSOLE_SIGNING_KEYS_FILE: '/nonexistent' })).toThrow(
      /CONSOLE_SIGNING_KEYS: required in production/,
    );
    expect(() => loadSigningKeys({ NODE_ENV: 'development', CONSOLE_SIGNING_KEYS: 'not json', CONSOLE_SIGNING_KEYS_FILE: '/x' })).toThrow(
      /CONSOLE_SIGNING_KEYS/,
    );
  });
});
