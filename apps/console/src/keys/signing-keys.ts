import { ConfigError, Principal } from '@app/platform';
import jwt from 'jsonwebtoken';
import { createPrivateKey, createPublicKey, generateKeyPairSync, JsonWebKey, KeyObject, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export interface PublicJwk extends JsonWebKey {
  kid: string;
  alg: 'ES256';
  use: 'sig';
}

interface SigningKey {
  kid: string;
  privateKey: KeyObject;
  publicJwk: PublicJwk;
}

/** A new P-256 key as a private JWK with a kid (for CONSOLE_SIGNING_KEYS). */
export function generateSigningJwk(
  kid = `k-${new Date().toISOString().slice(0, 10)}-${randomUUID().slice(0, 8)}`,
): JsonWebKey & { kid: string } {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return { kid, ...privateKey.export({ format: 'jwk' }) };
}

/**
 * The console's ES256 keys. Every key is published in the JWKS; one of them signs. Rotation without
 * downtime: add the next key (it is published, services fetch it when they first see its kid), then
 * make it the signing key, then, once the longest token lifetime has passed, drop the old one.
 */
export class SigningKeys {
  private readonly keys: SigningKey[];
  private readonly signing: SigningKey;

  constructor(jwks: (JsonWebKey & { kid?: string })[], signingKid?: string) {
    if (!Array.isArray(jwks) || jwks.length === 0) throw new Error('no signing keys');
    const seen = new Set<string>();
    this.keys = jwks.map((jwk, i) => {
      const kid = jwk.kid;
      if (typeof kid !== 'string' || !/^[A-Za-z0-9_.-]{1,64}$/.test(kid)) throw new Error(`key ${i + 1} has no valid kid`);
      if (seen.has(kid)) throw new Error(`kid ${kid} appears twice`);
      seen.add(kid);
      if (jwk.kty !== 'EC' || jwk.crv !== 'P-256' || !jwk.d) throw new Error(`key ${kid} is not a private EC P-256 JWK`);
      const privateKey = createPrivateKey({ key: { kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y, d: jwk.d }, format: 'jwk' });
      const pub = createPublicKey(privateKey).export({ format: 'jwk' });
      return { kid, privateKey, publicJwk: { kty: pub.kty, crv: pub.crv, x: pub.x, y: pub.y, kid, alg: 'ES256', use: 'sig' } };
    });
    const found = signingKid ? this.keys.find((k) => k.kid === signingKid) : this.keys[0];
    if (!found) throw new Error(`the signing kid ${signingKid} is not among the keys (${[...seen].join(', ')})`);
    this.signing = found;
  }

  get signingKid(): string {
    return this.signing.kid;
  }

  /** What `/.well-known/jwks.json` serves: public halves only. */
  jwks(): { keys: PublicJwk[] } {
    return { keys: this.keys.map((k) => k.publicJwk) };
  }

  /** A token for one call to one service. */
  sign(p: Principal, audience: string, issuer: string, ttlSeconds: number): string {
    return jwt.sign({ name: p.name, roles: p.roles, districts: p.districts, units: p.units }, this.signing.privateKey, {
      algorithm: 'ES256',
      keyid: this.signing.kid,
      subject: p.id,
      audience,
      issuer,
      expiresIn: ttlSeconds,
      jwtid: randomUUID(),
    });
  }
}

export interface SigningKeySource {
  NODE_ENV: string;
  CONSOLE_SIGNING_KEYS?: string;
  CONSOLE_SIGNING_KID?: string;
  CONSOLE_SIGNING_KEYS_FILE: string;
}

/**
 * Keys from CONSOLE_SIGNING_KEYS; in production that variable is required. Elsewhere a key is
 * generated once into CONSOLE_SIGNING_KEYS_FILE, so tokens survive a restart of `npm start`.
 */
export function loadSigningKeys(c: SigningKeySource, log: (msg: string) => void = () => undefined): SigningKeys {
  let raw = c.CONSOLE_SIGNING_KEYS;
  if (!raw) {
    if (c.NODE_ENV === 'production') {
      throw new ConfigError(['CONSOLE_SIGNING_KEYS: required in production (a JSON array of private EC P-256 JWKs with kid)']);
    }
    if (!existsSync(c.CONSOLE_SIGNING_KEYS_FILE)) {
      mkdirSync(dirname(c.CONSOLE_SIGNING_KEYS_FILE), { recursive: true });
      writeFileSync(c.CONSOLE_SIGNING_KEYS_FILE, `${JSON.stringify([generateSigningJwk()], null, 2)}\n`, { mode: 0o600 });
      log(`development signing key generated into ${c.CONSOLE_SIGNING_KEYS_FILE}`);
    }
    raw = readFileSync(c.CONSOLE_SIGNING_KEYS_FILE, 'utf8');
  }
  try {
    return new SigningKeys(JSON.parse(raw) as JsonWebKey[], c.CONSOLE_SIGNING_KID);
  } catch (e) {
    throw new ConfigError([`CONSOLE_SIGNING_KEYS: ${(e as Error).message}`]);
  }
}
