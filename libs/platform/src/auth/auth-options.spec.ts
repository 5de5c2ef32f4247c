import 'reflect-metadata';
import { loadConfig } from '../config/load-config';
import { ServiceConfig } from '../config/service-config';
import { authOptionsOf, DEV_JWT_SECRET } from '../platform.module';

const JWKS = { AUTH_JWKS_URL: 'http://console:3000/.well-known/jwks.json', AUTH_ISSUER: 'jiesu-console' };
const options = (env: Record<string, string>) => authOptionsOf(loadConfig(ServiceConfig, env), 'dispatch');

describe('authOptionsOf (what a service accepts, decided at boot)', () => {
  it('production: the console JWKS, its issuer, the service as audience, ES256, no secret', () => {
    expect(options({ NODE_ENV: 'production', ...JWKS })).toMatchObject({
      jwksUrl: JWKS.AUTH_JWKS_URL,
      issuer: 'jiesu-console',
      audiences: ['dispatch'],
      algorithms: ['ES256'],
      maxLifetimeSeconds: 300,
      devSecret: undefined,
    });
  });

  it('AUTH_AUDIENCE overrides the audience', () => {
    expect(options({ ...JWKS, AUTH_AUDIENCE: 'jiesu-dispatch-630104' }).audiences).toEqual(['jiesu-dispatch-630104']);
  });

  it.each([
    ['development tokens', { AUTH_DEV_TOKENS: 'true' }, /AUTH_DEV_TOKENS/],
    ['a shared secret', { AUTH_JWT_SECRET: 'a-secret-of-enough-length-0123' }, /AUTH_JWT_SECRET/],
  ])('production refuses %s at boot', (_what, env, message) => {
    expect(() => options({ NODE_ENV: 'production', ...JWKS, ...env })).toThrow(message);
  });

  it('refuses to boot with no way to verify tokens', () => {
    expect(() => options({ NODE_ENV: 'development' })).toThrow(/AUTH_JWKS_URL/);
  });

  it('development tokens only on the explicit setting, with the development secret unless another is given', () => {
    expect(options({ AUTH_DEV_TOKENS: 'true' }).devSecret).toBe(DEV_JWT_SECRET);
    expect(options({ AUTH_DEV_TOKENS: 'true', AUTH_JWT_SECRET: 'a-secret-of-enough-length-0123' }).devSecret).toBe(
      'a-secret-of-enough-length-0123',
    );
    expect(options({ ...JWKS, AUTH_JWT_SECRET: 'a-secret-of-enough-length-0123' }).devSecret).toBeUndefined();
  });
});
