import { Inject, Injectable } from '@nestjs/common';
import jwt, { JwtPayload } from 'jsonwebtoken';
import { JwksClient } from 'jwks-rsa';
import { Principal, Role, ROLES } from './principal';

export const AUTH_OPTIONS = Symbol('AUTH_OPTIONS');

export interface AuthOptions {
  secret?: string;
  jwksUrl?: string;
  issuer?: string;
  audience?: string;
}

export class InvalidTokenError extends Error {}

/**
 * Verifies bearer JWTs: HS256 with a shared secret in development, RS256/ES256 keys from a JWKS URL
 * in production (the city's identity provider). Claims: sub, name, roles[], districts[], units[].
 */
@Injectable()
export class TokenVerifier {
  private readonly jwks?: JwksClient;

  constructor(@Inject(AUTH_OPTIONS) private readonly options: AuthOptions) {
    if (options.jwksUrl) this.jwks = new JwksClient({ jwksUri: options.jwksUrl, cache: true, rateLimit: true });
  }

  async verify(token: string): Promise<Principal> {
    const payload = await new Promise<JwtPayload>((resolve, reject) => {
      const key: jwt.Secret | jwt.GetPublicKeyOrSecret = this.jwks
        ? (header, cb) => {
            this.jwks!.getSigningKey(header.kid)
              .then((k) => cb(null, k.getPublicKey()))
              .catch((e: Error) => cb(e));
          }
        : this.options.secret!;
      jwt.verify(
        token,
        key,
        {
          algorithms: this.jwks ? ['RS256', 'ES256'] : ['HS256'],
          issuer: this.options.issuer,
          audience: this.options.audience,
        },
        (err, decoded) =>
          err || !decoded || typeof decoded === 'string' ? reject(new InvalidTokenError(err?.message ?? 'bad token')) : resolve(decoded),
      );
    });
    const roles = Array.isArray(payload.roles) ? (payload.roles as unknown[]).filter((r): r is Role => ROLES.includes(r as Role)) : [];
    if (!payload.sub) throw new InvalidTokenError('token has no sub');
    return {
      id: payload.sub,
      name: typeof payload.name === 'string' ? payload.name : undefined,
      roles,
      districts: Array.isArray(payload.districts) ? (payload.districts as unknown[]).map(String) : [],
      units: Array.isArray(payload.units) ? (payload.units as unknown[]).map(String) : [],
    };
  }
}

/** Development tokens (HS256). Never used with a JWKS deployment. */
export function mintDevToken(secret: string, p: Principal, expiresIn: jwt.SignOptions['expiresIn'] = '12h', issuer?: string): string {
  return jwt.sign({ name: p.name, roles: p.roles, districts: p.districts, units: p.units }, secret, {
    algorithm: 'HS256',
    subject: p.id,
    expiresIn,
    ...(issuer ? { issuer } : {}),
  });
}
