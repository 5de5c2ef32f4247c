import jwt from 'jsonwebtoken';
import { InvalidTokenError, mintDevToken, TokenVerifier } from './token-verifier';

const SECRET = 'a-test-secret-of-enough-length';
const user = { id: 'u1', name: '派单员', roles: ['dispatcher' as const], districts: ['630104'], units: [] };

describe('TokenVerifier (shared secret)', () => {
  const verifier = new TokenVerifier({ secret: SECRET });

  it('returns the principal of a valid token', async () => {
    await expect(verifier.verify(mintDevToken(SECRET, user))).resolves.toEqual(user);
  });

  it('drops roles it does not know', async () => {
    const token = jwt.sign({ roles: ['dispatcher', 'emperor'] }, SECRET, { subject: 'u2' });
    await expect(verifier.verify(token)).resolves.toMatchObject({ roles: ['dispatcher'], districts: [], units: [] });
  });

  it.each([
    ['signed with another secret', () => mintDevToken('another-secret-of-enough-length', user)],
    ['expired', () => jwt.sign({ roles: [] }, SECRET, { subject: 'u1', expiresIn: -10 })],
    ['without a subject', () => jwt.sign({ roles: [] }, SECRET)],
    ['using alg none', () => jwt.sign({ roles: ['admin'] }, '', { algorithm: 'none', subject: 'u1' })],
  ])('refuses a token %s', async (_why, make) => {
    await expect(verifier.verify(make())).rejects.toBeInstanceOf(InvalidTokenError);
  });

  it('checks the issuer when one is configured', async () => {
    const strict = new TokenVerifier({ secret: SECRET, issuer: 'jiesu-idp' });
    await expect(strict.verify(mintDevToken(SECRET, user))).rejects.toBeInstanceOf(InvalidTokenError);
    await expect(strict.verify(mintDevToken(SECRET, user, '1h', 'jiesu-idp'))).resolves.toMatchObject({ id: 'u1' });
  });
});
