import { Inject, Injectable } from '@nestjs/common';
import jwt, { JwtPayload } from 'jsonwebtoken';
import { createPublicKey, createSecretKey, KeyObject } from 'node:crypto';
import { JwksClient } from 'jwks-rsa';
import { Principal, Role, ROLES } from './principal';

export const AUTH_OPTIONS = Symbol('AUTH_OPTIONS');

/** Asymmetric algorithms a JWKS key may sign with. ES256 is the console's; RS256 only for a city IdP that needs it. */
export const JWKS_ALGORITHMS = ['ES256', 'RS256'] as const;
export type JwksAlgorithm = (typeof JWKS_ALGORITHMS)[number];

export interface AuthOptions {
  /** The console's (or the city IdP's) public keys. Tokens it signs are the only production tokens. */
  jwksUrl?: string;
  /** Required `iss` of JWKS-signed tokens (required whenever jwksUrl is set). */
  issuer?: string;
  /** The audiences an HTTP token may carry: the service's own name unless AUTH_AUDIENCE overrides it. */
  audiences: string[];
  algorithms: JwksAlgorithm[];
  /** Longest `exp - iat` accepted for a JWKS-signed token. */
  maxLifetimeSeconds: number;
  /** Clock skew tolerated on `exp`, `nbf` and `iat`. */
  clockSkewSeconds: number;
  /** How long a fetched key is trusted before the JWKS is asked again (a removed key dies after this). */
  jwksCacheSeconds: number;
  /** Development only: the HS256 secret of `mintDevToken` tokens; unset = HS256 refused. */
  devSecret?: string;
  /** Verified tokens remembered (least recently used dropped first); 0 = verify every time. Default 10,000. */
  tokenCacheEntries?: number;
}

export const DEFAULT_TOKEN_CACHE_ENTRIES = 10_000;

/** A verified token as the cache holds it. */
interface VerifiedToken {
  /** The person's claims (never handed out: every `verify` returns a copy). */
  claims: Principal;
  /** The token's `exp` (s). */
  exp: number;
  /** Date.now() from which it is verified again in full: cached at + jwksCacheSeconds. */
  until: number;
}

export class InvalidTokenError extends Error {}

/** Audiences for one verification (a relayed query accepts the relaying services' audiences). */
export interface VerifyOptions {
  audiences?: string[];
}

/**
 * Verifies bearer JWTs. Production: ES256 (or configured RS256) tokens signed by a key of the
 * console's JWKS, with `kid`, `exp`, `iat`, `iss` = AUTH_ISSUER, `aud` = this service, a lifetime of at
 * most AUTH_MAX_TOKEN_LIFETIME_SECONDS. Development only (AUTH_DEV_TOKENS=true): also HS256 tokens of
 * the dev secret, which need `exp` but no `iss`/`aud` (a demo token works on every service; an `aud`
 * it carries must still fit). `alg: none` and every other algorithm are refused.
 * Claims: sub, name, roles[], districts[], units[]. The verified token rides along on the principal
 * (non-enumerable) so a query made for the person can carry it.
 *
 * Verified tokens are remembered: the guard verifies on every authenticated request, and a client sends
 * the same token for minutes (decode, JSON parse and an ES256 verification, ~0.1 ms of CPU, each time).
 * The key is the audiences asked for (as JSON, so no crafted token string reaches another audience
 * set's entry) plus the exact token string, so a token verified for one audience set is verified again
 * for another. Only successes are kept. A hit is refused once the token has expired, with jsonwebtoken's
 * own test (`now >= exp + clockSkewSeconds`, `now` in whole seconds), and is verified again in full
 * once it has been remembered for jwksCacheSeconds, so a token of a key removed from the JWKS stops
 * working no later than it would without the cache. At most AUTH_TOKEN_CACHE_ENTRIES (default 10,000;
 * 0 = off) entries, least recently used dropped first: each holds its token (0.5–1 KB), so ≈ 10 MB
 * at worst. Every call returns a fresh Principal, so callers may change what they get.
 */
@Injectable()
export class TokenVerifier {
  private readonly jwks?: JwksClient;
  /**
   * Keys as KeyObjects, made once: given a string, jsonwebtoken parses it on every verification (and
   * for the HS256 secret first tries it as a public key and throws, which was the most expensive step
   * of an authenticated request). Same key material, same checks.
   */
  private readonly devKey?: KeyObject;
  private readonly publicKeys = new Map<string, KeyObject>();
  /** Verified tokens by audiences + token, least recently used first (a Map keeps insertion order). */
  private readonly verified = new Map<string, VerifiedToken>();
  private readonly maxVerified: number;
  private readonly defaultAudiencesKey: string;

  constructor(@Inject(AUTH_OPTIONS) private readonly options: AuthOptions) {
    this.maxVerified = options.tokenCacheEntries ?? DEFAULT_TOKEN_CACHE_ENTRIES;
    this.defaultAudiencesKey = JSON.stringify(options.audiences);
    if (options.devSecret) this.devKey = createSecretKey(Buffer.from(options.devSecret));
    if (options.jwksUrl) {
      this.jwks = new JwksClient({
        jwksUri: options.jwksUrl,
        cache: true,
        cacheMaxAge: options.jwksCacheSeconds * 1000,
        cacheMaxEntries: 20,
        // Unknown kids fetch the JWKS again (a key just rotated in); bounded, so junk kids cannot flood the console.
        rateLimit: true,
        jwksRequestsPerMinute: 30,
        timeout: 5000,
      });
    }
  }

  async verify(token: string, opts: VerifyOptions = {}): Promise<Principal> {
    const key = this.maxVerified > 0 ? (opts.audiences ? JSON.stringify(opts.audiences) : this.defaultAudiencesKey) + token : undefined;
    const hit = key === undefined ? undefined : this.remembered(key);
    if (hit) return principalOf(hit, token);
    const decoded = jwt.decode(token, { complete: true });
    if (!decoded || typeof decoded.payload === 'string') throw new InvalidTokenError('malformed token');
    const alg = decoded.header.alg;
    const audiences = opts.audiences ?? this.options.audiences;
    let payload: JwtPayload;
    if (alg === 'HS256' && this.devKey) {
      payload = this.verifyDev(token, this.devKey, audiences);
    } else if (this.jwks && (this.options.algorithms as string[]).includes(alg)) {
      payload = await this.verifyJwks(token, decoded.header.kid, audiences);
    } else {
      throw new InvalidTokenError(`algorithm ${alg} is not accepted`);
    }
    const claims = claimsOf(payload);
    if (key !== undefined) this.remember(key, claims, payload.exp!);
    return principalOf(claims, token);
  }

  /** The claims of a token verified before for these audiences, unless it has expired (refused) or been trusted long enough. */
  private remembered(key: string): Principal | undefined {
    const v = this.verified.get(key);
    if (!v) return undefined;
    this.verified.delete(key);
    const now = Date.now();
    // jsonwebtoken's own test (verify.js: clockTimestamp >= payload.exp + clockTolerance).
    if (Math.floor(now / 1000) >= v.exp + this.options.clockSkewSeconds) throw new InvalidTokenError('jwt expired');
    if (now >= v.until) return undefined; // verified again: its key may have left the JWKS
    this.verified.set(key, v); // now the most recently used
    return v.claims;
  }

  private remember(key: string, claims: Principal, exp: number): void {
    if (!this.verified.delete(key) && this.verified.size >= this.maxVerified) this.verified.delete(this.verified.keys().next().value!);
    this.verified.set(key, { claims, exp, until: Date.now() + this.options.jwksCacheSeconds * 1000 });
  }

  private async verifyJwks(token: string, kid: string | undefined, audiences: string[]): Promise<JwtPayload> {
    if (!kid) throw new InvalidTokenError('token has no kid');
    const o = this.options;
    let pem: string;
    try {
      pem = (await this.jwks!.getSigningKey(kid)).getPublicKey();
    } catch (e) {
      throw new InvalidTokenError(`no key ${kid} in the JWKS (${(e as Error).message})`);
    }
    const payload = verifyWith(token, this.publicKey(pem), {
      algorithms: o.algorithms,
      issuer: o.issuer,
      audience: audiences as [string, ...string[]],
      clockTolerance: o.clockSkewSeconds,
    });
    if (typeof payload.exp !== 'number') throw new InvalidTokenError('token has no exp');
    if (typeof payload.iat !== 'number') throw new InvalidTokenError('token has no iat');
    if (payload.exp - payload.iat > o.maxLifetimeSeconds) {
      throw new InvalidTokenError(`token lives ${payload.exp - payload.iat} s, more than ${o.maxLifetimeSeconds} s`);
    }
    if (payload.iat > Date.now() / 1000 + o.clockSkewSeconds) throw new InvalidTokenError('token issued in the future');
    return payload;
  }

  /** The JWKS key (PEM, as the JWKS client caches it) as a KeyObject; a rotated-out key's entry goes with the rest. */
  private publicKey(pem: string): KeyObject | string {
    let key = this.publicKeys.get(pem);
    if (!key) {
      try {
        key = createPublicKey(pem);
      } catch {
        return pem; // not a key Node can read: let jsonwebtoken refuse it with its own message
      }
      if (this.publicKeys.size >= 20) this.publicKeys.clear();
      this.publicKeys.set(pem, key);
    }
    return key;
  }

  private verifyDev(token: string, secret: KeyObject, audiences: string[]): JwtPayload {
    const payload = verifyWith(token, secret, { algorithms: ['HS256'], clockTolerance: this.options.clockSkewSeconds });
    if (typeof payload.exp !== 'number') throw new InvalidTokenError('token has no exp');
    if (payload.aud !== undefined) {
      const aud = Array.isArray(payload.aud) ? payload.aud : [payload.aud];
      if (!aud.some((a) => audiences.includes(a))) throw new InvalidTokenError(`jwt audience invalid. expected: ${audiences.join(' or ')}`);
    }
    return payload;
  }
}

function verifyWith(token: string, key: string | KeyObject, options: jwt.VerifyOptions): JwtPayload {
  let payload: string | JwtPayload;
  try {
    payload = jwt.verify(token, key, options);
  } catch (e) {
    throw new InvalidTokenError((e as Error).message);
  }
  if (typeof payload === 'string') throw new InvalidTokenError('token payload is not a JSON object');
  return payload;
}

/** The person's claims of a verified payload (a principal without its token). */
function claimsOf(payload: JwtPayload): Principal {
  if (!payload.sub) throw new InvalidTokenError('token has no sub');
  const roles = Array.isArray(payload.roles) ? (payload.roles as unknown[]).filter((r): r is Role => ROLES.includes(r as Role)) : [];
  return {
    id: payload.sub,
    name: typeof payload.name === 'string' ? payload.name : undefined,
    roles,
    districts: Array.isArray(payload.districts) ? (payload.districts as unknown[]).map(String) : [],
    units: Array.isArray(payload.units) ? (payload.units as unknown[]).map(String) : [],
  };
}

/** A fresh principal of the claims (the caller may change it), the token riding along. */
function principalOf(c: Principal, token: string): Principal {
  const p: Principal = { ...c, roles: [...c.roles], districts: [...c.districts], units: [...c.units] };
  // Not enumerable: never logged, serialised or compared with the person's claims.
  Object.defineProperty(p, 'token', { value: token, enumerable: false });
  return p;
}

/**
 * Development tokens (HS256 with the dev secret), for `npm run tokens`, API demos and tests that say
 * they use them. Services accept them only with AUTH_DEV_TOKENS=true, which production refuses.
 */
export function mintDevToken(
  secret: string,
  p: Principal,
  expiresIn: jwt.SignOptions['expiresIn'] = '12h',
  issuer?: string,
  audience?: string,
): string {
  return jwt.sign({ name: p.name, roles: p.roles, districts: p.districts, units: p.units }, secret, {
    algorithm: 'HS256',
    subject: p.id,
    expiresIn,
    ...(issuer ? { issuer } : {}),
    ...(audience ? { audience } : {}),
  });
}
