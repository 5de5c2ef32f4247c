import { CLOCK, Clock } from '@app/platform';
import { Inject, Injectable } from '@nestjs/common';
import { Request, Response } from 'express';
import { createHash, randomBytes } from 'node:crypto';
import { StaffAccount } from '../accounts/staff-account.entity';
import { ConsoleConfig } from '../console.config';
import { CONSOLE_CONFIG } from '../console.tokens';
import { newCsrfToken } from './csrf';
import { Session } from './session.entity';
import { SessionsRepository } from './sessions.repository';

export const SESSION_COOKIE = 'jiesu_sid';

export interface ActiveSession {
  session: Session;
  account: StaffAccount;
}

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

/**
 * Server-side sessions. The cookie carries 256 random bits; the table keeps their hash, so a copy of
 * the database opens no session. A session ends after SESSION_IDLE_MINUTES unused, SESSION_ABSOLUTE_HOURS
 * after login, on logout, and at once when its account is disabled.
 */
@Injectable()
export class SessionsService {
  constructor(
    private readonly repo: SessionsRepository,
    @Inject(CONSOLE_CONFIG) private readonly config: ConsoleConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async create(
    account: StaffAccount,
    method: string,
    meta: { userAgent?: string; ip?: string },
  ): Promise<{ token: string; session: Session }> {
    const token = randomBytes(32).toString('base64url');
    const now = this.clock.now();
    const session: Session = {
      tokenHash: hashToken(token),
      accountId: account.id,
      csrfToken: newCsrfToken(),
      method,
      createdAt: now,
      lastSeenAt: now,
      expiresAt: new Date(now.getTime() + this.config.SESSION_ABSOLUTE_HOURS * 3600_000),
      userAgent: meta.userAgent?.slice(0, 300) ?? null,
      ip: meta.ip ?? null,
    };
    await this.repo.insert(session);
    return { token, session };
  }

  /** Log the browser in: any session it had ends, a new one starts, the cookie is set. */
  async startInBrowser(account: StaffAccount, method: string, req: Request, res: Response): Promise<Session> {
    await this.end((req.cookies as Record<string, string> | undefined)?.[SESSION_COOKIE]);
    const { token, session } = await this.create(account, method, { userAgent: req.headers['user-agent'], ip: req.ip });
    res.cookie(SESSION_COOKIE, token, {
      httpOnly: true,
      sameSite: 'lax', // Strict would drop the cookie on the way back from the identity provider
      secure: this.config.secureCookies,
      path: '/',
      maxAge: this.config.SESSION_ABSOLUTE_HOURS * 3600_000,
    });
    return session;
  }

  /** The live session of a cookie value, or null (and an ended one is removed). */
  async resolve(token: string | undefined): Promise<ActiveSession | null> {
    if (!token || token.length > 100) return null;
    const hash = hashToken(token);
    const found = await this.repo.findWithAccount(hash);
    if (!found) return null;
    const now = this.clock.now();
    const idleLimit = this.config.SESSION_IDLE_MINUTES * 60_000;
    const over = found.session.expiresAt <= now || now.getTime() - found.session.lastSeenAt.getTime() >= idleLimit;
    if (over || found.account.state !== 'active') {
      await this.repo.delete(hash);
      return null;
    }
    // Written at most every 30 s per session: not one UPDATE per proxied request.
    if (now.getTime() - found.session.lastSeenAt.getTime() > 30_000) await this.repo.touch(hash, now);
    return found;
  }

  async end(token: string | undefined): Promise<void> {
    if (token) await this.repo.delete(hashToken(token));
  }

  endAll(accountId: string): Promise<number> {
    return this.repo.deleteForAccount(accountId);
  }

  sweep(): Promise<void> {
    const now = this.clock.now();
    return this.repo.deleteExpired(now, new Date(now.getTime() - this.config.SESSION_IDLE_MINUTES * 60_000));
  }
}
