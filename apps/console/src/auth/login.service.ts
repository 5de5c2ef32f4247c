import { CLOCK, Clock, PiiCipher } from '@app/platform';
import { Inject, Injectable } from '@nestjs/common';
import { AccountsRepository } from '../accounts/accounts.repository';
import { StaffAccount } from '../accounts/staff-account.entity';
import { ConsoleConfig } from '../console.config';
import { CONSOLE_CONFIG } from '../console.tokens';
import { invalidCredentials, totpRequired } from './console-errors';
import { isLocked, lockSeconds } from './lockout';
import { PasswordHasher } from './passwords';
import { totpStep } from './totp';

/** The least time a refused login takes (well above an argon2 verification plus a write). */
export const FAILURE_FLOOR_MS = 600;

/**
 * Password login. Unknown login name, wrong password, disabled or locked account: one answer after
 * one argon2 verification each and no answer before FAILURE_FLOOR_MS, so neither the message nor the
 * time tells them apart.
 */
@Injectable()
export class LoginService {
  constructor(
    private readonly accounts: AccountsRepository,
    private readonly hasher: PasswordHasher,
    private readonly pii: PiiCipher,
    @Inject(CONSOLE_CONFIG) private readonly config: ConsoleConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async login(loginName: string, password: string, totp?: string): Promise<{ account: StaffAccount; method: string }> {
    const started = Date.now();
    try {
      return await this.attempt(loginName, password, totp);
    } catch (e) {
      // Every refusal takes at least this long, whichever path it took (a lookup, a hash, a lock write).
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, FAILURE_FLOOR_MS - (Date.now() - started))));
      throw e;
    }
  }

  private async attempt(loginName: string, password: string, totp?: string): Promise<{ account: StaffAccount; method: string }> {
    const account = await this.accounts.findByLogin(loginName.trim());
    if (!account || !account.passwordHash) {
      await this.hasher.burn(password);
      throw invalidCredentials();
    }
    const ok = await this.hasher.verify(account.passwordHash, password);
    const now = this.clock.now();
    if (account.state !== 'active' || isLocked(account.lockedUntil, now)) throw invalidCredentials();
    if (!ok) {
      await this.fail(account);
      throw invalidCredentials();
    }
    if (account.totpEnabled && account.totpSecretEnc) {
      if (!totp) throw totpRequired();
      const step = totpStep(this.pii.decrypt(account.totpSecretEnc), totp.trim(), now);
      if (step === null || !(await this.accounts.useTotpStep(account.id, step))) {
        await this.fail(account);
        throw totpRequired();
      }
      await this.accounts.recordSuccess(account.id);
      return { account, method: 'password+totp' };
    }
    await this.accounts.recordSuccess(account.id);
    return { account, method: 'password' };
  }

  private fail(account: StaffAccount): Promise<void> {
    const policy = {
      threshold: this.config.LOCKOUT_THRESHOLD,
      baseSeconds: this.config.LOCKOUT_BASE_SECONDS,
      maxSeconds: this.config.LOCKOUT_MAX_SECONDS,
    };
    return this.accounts.recordFailure(account.id, (failures) => {
      const s = lockSeconds(failures, policy);
      return s ? new Date(this.clock.now().getTime() + s * 1000) : null;
    });
  }
}
