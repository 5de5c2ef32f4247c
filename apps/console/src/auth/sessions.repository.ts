import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { StaffAccount } from '../accounts/staff-account.entity';
import { OidcPending, Session } from './session.entity';

@Injectable()
export class SessionsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async insert(s: Session): Promise<void> {
    await this.dataSource.getRepository(Session).insert(s);
  }

  /** The session with its account, in one query. */
  async findWithAccount(tokenHash: string): Promise<{ session: Session; account: StaffAccount } | null> {
    const session = await this.dataSource.getRepository(Session).findOneBy({ tokenHash });
    if (!session) return null;
    const account = await this.dataSource.getRepository(StaffAccount).findOneBy({ id: session.accountId });
    return account ? { session, account } : null;
  }

  async touch(tokenHash: string, at: Date): Promise<void> {
    await this.dataSource.getRepository(Session).update(tokenHash, { lastSeenAt: at });
  }

  async delete(tokenHash: string): Promise<void> {
    await this.dataSource.getRepository(Session).delete(tokenHash);
  }

  async deleteForAccount(accountId: string, m?: EntityManager): Promise<number> {
    const r = await (m ?? this.dataSource.manager).getRepository(Session).delete({ accountId });
    return r.affected ?? 0;
  }

  async deleteExpired(now: Date, idleBefore: Date): Promise<void> {
    await this.dataSource.query(`DELETE FROM session WHERE expires_at <= $1 OR last_seen_at <= $2`, [now, idleBefore]);
    await this.dataSource.query(`DELETE FROM oidc_pending WHERE created_at <= $1`, [new Date(now.getTime() - 10 * 60_000)]);
  }

  async insertPending(p: OidcPending): Promise<void> {
    await this.dataSource.getRepository(OidcPending).insert(p);
  }

  /** Taken once: a second callback with the same state finds nothing. */
  async takePending(state: string): Promise<OidcPending | null> {
    const rows: [OidcPending[], number] = await this.dataSource.query(
      `DELETE FROM oidc_pending WHERE state = $1 RETURNING state, nonce, code_verifier AS "codeVerifier", return_to AS "returnTo", created_at AS "createdAt"`,
      [state],
    );
    return rows[0]?.[0] ?? null;
  }
}
