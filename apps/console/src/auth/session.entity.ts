import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** A browser's login. The cookie holds a random token; only its SHA-256 is stored. */
@Entity({ name: 'session' })
@Index('idx_session_account', ['accountId'])
export class Session {
  @PrimaryColumn('text', { name: 'token_hash' })
  tokenHash: string;

  @Column('uuid', { name: 'account_id' })
  accountId: string;

  @Column('text', { name: 'csrf_token' })
  csrfToken: string;

  /** How the person logged in: password, password+totp, oidc. */
  @Column('text')
  method: string;

  @Column('timestamptz', { name: 'created_at' })
  createdAt: Date;

  @Column('timestamptz', { name: 'last_seen_at' })
  lastSeenAt: Date;

  /** The absolute end, whatever the activity. */
  @Column('timestamptz', { name: 'expires_at' })
  expiresAt: Date;

  @Column('text', { name: 'user_agent', nullable: true })
  userAgent: string | null;

  @Column('text', { nullable: true })
  ip: string | null;
}

/** An OpenID Connect login under way: the browser is at the provider. */
@Entity({ name: 'oidc_pending' })
export class OidcPending {
  @PrimaryColumn('text')
  state: string;

  @Column('text')
  nonce: string;

  @Column('text', { name: 'code_verifier' })
  codeVerifier: string;

  @Column('text', { name: 'return_to' })
  returnTo: string;

  @Column('timestamptz', { name: 'created_at' })
  createdAt: Date;
}
