import { CLOCK, Clock } from '@app/platform';
import { Inject, Injectable, Logger } from '@nestjs/common';
import * as client from 'openid-client';
import { AccountsRepository } from '../accounts/accounts.repository';
import { StaffAccount } from '../accounts/staff-account.entity';
import { SessionsRepository } from '../auth/sessions.repository';
import { ConsoleConfig } from '../console.config';
import { CONSOLE_CONFIG } from '../console.tokens';

export class OidcRefusal extends Error {
  constructor(readonly code: 'sso_off' | 'sso_state' | 'sso_failed' | 'no_account') {
    super(code);
  }
}

/** Only a path on this origin: never an open redirect. */
export function safeReturnTo(v: unknown): string {
  return typeof v === 'string' && /^\/(?![/\\])[^\s]*$/.test(v) && v.length <= 500 ? v : '/';
}

/**
 * OpenID Connect single sign-on: authorization code with PKCE, state and nonce. The configured claim
 * names an existing account (by login name or by its `oidcSubject`); a person without one is refused.
 */
@Injectable()
export class OidcService {
  private readonly log = new Logger('Oidc');
  private discovered?: Promise<client.Configuration>;

  constructor(
    private readonly accounts: AccountsRepository,
    private readonly pending: SessionsRepository,
    @Inject(CONSOLE_CONFIG) private readonly config: ConsoleConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  get enabled(): boolean {
    return !!this.config.OIDC_ISSUER_URL;
  }

  private provider(): Promise<client.Configuration> {
    if (!this.enabled) throw new OidcRefusal('sso_off');
    this.discovered ??= client
      .discovery(
        new URL(this.config.OIDC_ISSUER_URL!),
        this.config.OIDC_CLIENT_ID!,
        this.config.OIDC_CLIENT_SECRET,
        this.config.OIDC_CLIENT_SECRET ? undefined : client.None(),
        this.config.OIDC_ALLOW_INSECURE === 'true' ? { execute: [client.allowInsecureRequests] } : undefined,
      )
      .catch((e: Error) => {
        this.discovered = undefined; // try again next time
        throw e;
      });
    return this.discovered;
  }

  /** The provider's authorization URL for a new login. */
  async start(returnTo: string): Promise<string> {
    const cfg = await this.provider();
    const codeVerifier = client.randomPKCECodeVerifier();
    const state = client.randomState();
    const nonce = client.randomNonce();
    await this.pending.insertPending({ state, nonce, codeVerifier, returnTo: safeReturnTo(returnTo), createdAt: this.clock.now() });
    return client
      .buildAuthorizationUrl(cfg, {
        redirect_uri: this.config.OIDC_REDIRECT_URL!,
        scope: this.config.OIDC_SCOPES,
        code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
        code_challenge_method: 'S256',
        state,
        nonce,
      })
      .toString();
  }

  /** The account of a provider's callback (its query string), and where to send the browser. */
  async callback(search: string): Promise<{ account: StaffAccount; returnTo: string }> {
    const cfg = await this.provider();
    const current = new URL(this.config.OIDC_REDIRECT_URL!);
    current.search = search;
    const state = current.searchParams.get('state');
    const pending = state ? await this.pending.takePending(state) : null;
    if (!pending || this.clock.now().getTime() - new Date(pending.createdAt).getTime() > 10 * 60_000) throw new OidcRefusal('sso_state');
    let claims: Record<string, unknown>;
    try {
      const tokens = await client.authorizationCodeGrant(cfg, current, {
        pkceCodeVerifier: pending.codeVerifier,
        expectedState: pending.state,
        expectedNonce: pending.nonce,
        idTokenExpected: true,
      });
      claims = { ...(tokens.claims() ?? {}) };
      if (claims[this.config.OIDC_CLAIM] === undefined && tokens.access_token) {
        Object.assign(claims, await client.fetchUserInfo(cfg, tokens.access_token, String(claims.sub)));
      }
    } catch (e) {
      this.log.warn(`OIDC callback refused: ${(e as Error).message}`);
      throw new OidcRefusal('sso_failed');
    }
    const value = claims[this.config.OIDC_CLAIM];
    if (typeof value !== 'string' || !value) throw new OidcRefusal('no_account');
    const account =
      this.config.OIDC_MATCH === 'oidcSubject' ? await this.accounts.findByOidcSubject(value) : await this.accounts.findByLogin(value);
    if (!account || account.state !== 'active') throw new OidcRefusal('no_account');
    return { account, returnTo: pending.returnTo };
  }
}
