import { TransactionHost, TxHost } from '@app/platform';
import { Injectable, Inject } from '@nestjs/common';
import { StaffAccount } from '../accounts/staff-account.entity';
import { OidcPending, Session } from './session.entity';

@Injectable()
export class SessionsRepository {
  constructor(@Inject(TransactionHost) private readonly txHost: TxHost) {}

  async insert(s: Session): Promise<void> {
    await this.txHost.tx.getRepository(Session).insert(s);
  }

  /** The session with its account, in one query. */
  async findWithAccount(tokenHash: string): Promise<{ session: Session; account: StaffAccount } | null> {
    const session = await this.txHost.tx.getRepository(Session).findOneBy({ tokenHash });
    if (!session) return null;
    const account = await this.txHost.tx.getRepository(StaffAccount).findOneBy({ id: session.accountId });
    return account ? { session, account } : null;
  }

  async touch(tokenHash: string, at: Date): Promise<void> {
    await this.txHost.tx.getRepository(Session).update(tokenHash, { lastSeenAt: at });
  }

  async delete(tokenHash: string): Promise<void> {
    await this.txHost.tx.getRepository(Session).delete(tokenHash);
  }

  async deleteForAccount(accountId: string): Promise<number> {
    const r = await this.txHost.tx.getRepository(Session).delete({ accountId });
    return r.affected ?? 0;
  }

  async deleteExpired(now: Date, idleBefore: Date): Promise<void> {
    await this.txHost.tx.query(`DELETE FROM session WHERE expires_at <= $1 OR last_seen_at <= $2`, [now, idleBefore]);
    await this.txHost.tx.query(`DELETE FROM oidc_pending WHERE created_at <= $1`, [new Date(now.getTime() - 10 * 60_000)]);
  }

  async insertPending(p: OidcPending): Promise<void> {
    await this.txHost.tx.getRepository(OidcPending).insert(p);
  }

  /** Taken once: a second callback with the same state finds nothing. */
  async takePending(state: string): Promise<OidcPending | null> {
    const rows: [OidcPending[], number] = await this.txHost.tx.query(
      `DELETE FROM oidc_pending WHERE state = $1 RETURNING state, nonce, code_verifier AS "codeVerifier", return_to AS "returnTo", created_at AS "createdAt"`,
      [state],
    );
    return rows[0]?.[0] ?? null;
  }
}
