/**
 * The console's side of service tokens, for tests: an ES256 key pair, a loopback JWKS server the
 * services read (AUTH_JWKS_URL), and tokens minted as the console mints them (kid, iss, aud = the one
 * service called, 300 s). One signer per test file, started by the first bootPlatform and stopped by
 * the last close. Suites about bad tokens bend every part of it.
 */
import { Principal } from '@app/platform';
import jwt from 'jsonwebtoken';
import { generateKeyPairSync, JsonWebKey, KeyObject, randomUUID } from 'node:crypto';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';

export const TEST_ISSUER = 'jiesu-console';

export interface TestKey {
  kid: string;
  privateKey: KeyObject;
  /** The public half as the JWKS lists it. */
  jwk: JsonWebKey;
}

/** A fresh ES256 key pair; `kid` may repeat another key's (a forger's trick). */
export function newTestKey(kid = `test-${randomUUID().slice(0, 8)}`): TestKey {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return { kid, privateKey, jwk: { ...publicKey.export({ format: 'jwk' }), kid, alg: 'ES256', use: 'sig' } };
}

export interface MintOptions {
  /** Default: the signer's current key. */
  key?: TestKey;
  /** Default: 300. Negative: already expired. */
  lifetimeSeconds?: number;
  issuer?: string | null;
  /** null: no `aud` claim. */
  audience?: string | string[] | null;
  /** No `exp` claim. */
  noExp?: boolean;
  /** When the token says it was issued (seconds since the epoch; default now). */
  issuedAt?: number;
}

class TestSigner {
  current = newTestKey();
  /** What the JWKS serves: the current key, and the previous one during a rotation. */
  published: TestKey[] = [this.current];
  /** JWKS downloads so far (a cache refresh shows here). */
  fetches = 0;
  private server?: Server;
  private url?: string;
  private users = 0;

  async start(): Promise<string> {
    this.users++;
    if (this.url) return this.url;
    const server = createServer((req, res) => {
      this.fetches++;
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ keys: this.published.map((k) => k.jwk) }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.server = server;
    this.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/jwks.json`;
    return this.url;
  }

  async stop(): Promise<void> {
    if (--this.users > 0 || !this.server) return;
    const server = this.server;
    this.server = undefined;
    this.url = undefined;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** A token as the console signs it for `user` calling `audience`. */
  mint(user: Principal, audience: string, o: MintOptions = {}): string {
    const key = o.key ?? this.current;
    const iat = o.issuedAt ?? Math.floor(Date.now() / 1000);
    const claims: Record<string, unknown> = {
      name: user.name,
      roles: user.roles,
      districts: user.districts,
      units: user.units,
      iat,
      ...(o.noExp ? {} : { exp: iat + (o.lifetimeSeconds ?? 300) }),
    };
    const aud = o.audience === undefined ? audience : o.audience;
    const iss = o.issuer === undefined ? TEST_ISSUER : o.issuer;
    return jwt.sign(claims, key.privateKey, {
      algorithm: 'ES256',
      keyid: key.kid,
      subject: user.id,
      ...(aud === null ? {} : { audience: aud }),
      ...(iss === null ? {} : { issuer: iss }),
    });
  }

  /** Rotation: a new current key; the old one stays in the JWKS until `retire`. Returns the old key. */
  rotate(): TestKey {
    const previous = this.current;
    this.current = newTestKey();
    this.published = [this.current, previous];
    return previous;
  }

  /** Drop a key from the JWKS (the end of a rotation). */
  retire(key: TestKey): void {
    this.published = this.published.filter((k) => k !== key);
  }
}

/** The one signer of this test file. */
export const testSigner = new TestSigner();
