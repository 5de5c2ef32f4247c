import { StaffMembershipChangedV1 } from '@app/contracts';
import { CLOCK, Clock, maskPhone, Outbox, PiiCipher, Principal, TransactionHost, TxHost } from '@app/platform';
import { BadRequestException, ConflictException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { AuditRepository } from '../audit/audit.repository';
import { forbidden, invalidCredentials } from '../auth/console-errors';
import { PasswordHasher, passwordProblem } from '../auth/passwords';
import { SessionsRepository } from '../auth/sessions.repository';
import { ConsoleConfig } from '../console.config';
import { CONSOLE_CONFIG } from '../console.tokens';
import { AccountView, accountView, auditSnapshot } from './account.view';
import { CreateAccountDto, ListAccountsQuery, UpdateAccountDto } from './accounts.dto';
import { AccountsRepository } from './accounts.repository';
import { StaffAccount } from './staff-account.entity';
import { UnitDirectory, UnitInfo } from './unit-directory';

/** Who acts: a verified person, or the system (seed, scripts). */
export type Actor = Principal | 'system';

const fieldError = (field: string, reason: string) =>
  new BadRequestException({ message: `${field}: ${reason}`, errors: [{ field, reason }] });

/**
 * Staff accounts. Every change is one transaction holding the account, its audit entry and the
 * staff.membership-changed.v1 event for dispatch; a district administrator changes only accounts
 * wholly inside their districts.
 */
@Injectable()
export class AccountsService {
  constructor(
    @Inject(TransactionHost) private readonly txHost: TxHost,
    private readonly repo: AccountsRepository,
    private readonly audit: AuditRepository,
    private readonly outbox: Outbox,
    private readonly pii: PiiCipher,
    private readonly hasher: PasswordHasher,
    private readonly sessions: SessionsRepository,
    private readonly units: UnitDirectory,
    @Inject(CONSOLE_CONFIG) private readonly config: ConsoleConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** May the actor manage people of these districts? City-wide administrators: everyone. */
  static canManage(actor: Actor, districts: string[]): boolean {
    if (actor === 'system' || actor.districts.includes('*')) return true;
    return districts.length > 0 && districts.every((d) => d !== '*' && actor.districts.includes(d));
  }

  private assertScope(actor: Actor, districts: string[]): void {
    if (!AccountsService.canManage(actor, districts)) {
      throw forbidden(`只能管理本辖区人员 (you manage only accounts within your districts)`, 'out_of_scope');
    }
  }

  async list(actor: Principal, q: ListAccountsQuery): Promise<{ items: AccountView[]; total: number }> {
    const districts = actor.districts.includes('*') ? null : actor.districts;
    const { items, total } = await this.repo.list({ districts, q: q.q, state: q.state, limit: q.limit, offset: q.offset });
    return { items: items.map((a) => accountView(a, this.clock.now())), total };
  }

  async get(actor: Principal, id: string): Promise<AccountView> {
    const a = await this.repo.findById(id);
    if (!a) throw new NotFoundException({ code: 'not_found', message: `no account ${id}` });
    this.assertScope(actor, a.districts);
    return accountView(a, this.clock.now());
  }

  /** Checks a new account (everything but the database write); shared with the bulk import. */
  async prepare(actor: Actor, dto: CreateAccountDto, unitCache?: Map<string, UnitInfo | Error>): Promise<StaffAccount> {
    this.assertScope(actor, dto.districts);
    if (dto.password !== undefined) {
      const problem = passwordProblem(dto.password, this.config.PASSWORD_MIN_LENGTH);
      if (problem) throw fieldError('password', problem);
    }
    const unit = dto.unitId ? await this.unit(actor, dto.unitId, unitCache) : null;
    const now = this.clock.now();
    const a = new StaffAccount();
    Object.assign(a, {
      id: randomUUID(),
      loginName: dto.loginName,
      displayName: dto.displayName.trim(),
      mobileEnc: dto.mobile ? this.pii.encrypt(dto.mobile) : null,
      mobileMasked: dto.mobile ? maskPhone(dto.mobile) : null,
      unitId: unit?.id ?? null,
      unitName: unit?.name ?? null,
      unitDistrict: unit?.districtCode ?? null,
      roles: dto.roles,
      districts: dto.districts,
      state: 'active',
      passwordHash: dto.password !== undefined ? await this.hasher.hash(dto.password) : null,
      mustChangePassword: dto.password !== undefined && actor !== 'system',
      failedLogins: 0,
      lockedUntil: null,
      totpSecretEnc: null,
      totpEnabled: false,
      totpLastStep: null,
      oidcSubject: dto.oidcSubject ?? null,
      revision: '1',
      createdAt: now,
      updatedAt: now,
    } satisfies Partial<StaffAccount>);
    return a;
  }

  private async unit(actor: Actor, unitId: string, cache?: Map<string, UnitInfo | Error>): Promise<UnitInfo> {
    const cached = cache?.get(unitId);
    if (cached instanceof Error) throw cached;
    if (cached) return cached;
    try {
      // the system (seed) has no token of its own: it acts as a city-wide administrator
      const asker: Principal = actor === 'system' ? { id: 'system', roles: ['admin'], districts: ['*'], units: [] } : actor;
      const u = await this.units.find(asker, unitId);
      cache?.set(unitId, u);
      return u;
    } catch (e) {
      if (e instanceof BadRequestException) cache?.set(unitId, e);
      throw e;
    }
  }

  async create(actor: Actor, dto: CreateAccountDto): Promise<AccountView> {
    const a = await this.prepare(actor, dto);
    await this.txHost.withTransaction(() => this.insert(actor, a));
    return accountView(a, this.clock.now());
  }

  /** Writes a prepared account with its audit entry and membership event (the caller's transaction). */
  async insert(actor: Actor, a: StaffAccount): Promise<void> {
    if (await this.repo.findByLogin(a.loginName)) {
      throw new ConflictException({ code: 'login_taken', message: `loginName: ${a.loginName} 已被使用 (is taken)` });
    }
    await this.repo.save(a);
    await this.after(actor, 'account.create', a.id, null, a);
  }

  async update(actor: Principal, id: string, dto: UpdateAccountDto): Promise<AccountView> {
    const unit = dto.unitId ? await this.unit(actor, dto.unitId) : undefined;
    const saved = await this.change(actor, id, 'account.update', (a) => {
      if (dto.displayName !== undefined) a.displayName = dto.displayName.trim();
      if (dto.mobile !== undefined) {
        a.mobileEnc = dto.mobile ? this.pii.encrypt(dto.mobile) : null;
        a.mobileMasked = dto.mobile ? maskPhone(dto.mobile) : null;
      }
      if (dto.unitId === null) Object.assign(a, { unitId: null, unitName: null, unitDistrict: null });
      if (unit) Object.assign(a, { unitId: unit.id, unitName: unit.name, unitDistrict: unit.districtCode });
      if (dto.roles) a.roles = dto.roles;
      if (dto.districts) {
        this.assertScope(actor, dto.districts);
        a.districts = dto.districts;
      }
      if (dto.oidcSubject !== undefined) a.oidcSubject = dto.oidcSubject || null;
    });
    return accountView(saved, this.clock.now());
  }

  async setState(actor: Principal, id: string, state: 'active' | 'disabled'): Promise<AccountView> {
    if (actor.id === id && state === 'disabled') throw forbidden('不能停用自己的账号 (you cannot disable your own account)', 'self');
    const saved = await this.change(actor, id, state === 'disabled' ? 'account.disable' : 'account.enable', async (a) => {
      a.state = state;
      if (state === 'active') Object.assign(a, { failedLogins: 0, lockedUntil: null });
      // a disabled person's sessions end with the same commit
      if (state === 'disabled') await this.sessions.deleteForAccount(a.id);
    });
    return accountView(saved, this.clock.now());
  }

  async resetPassword(actor: Principal, id: string, password: string): Promise<AccountView> {
    const problem = passwordProblem(password, this.config.PASSWORD_MIN_LENGTH);
    if (problem) throw fieldError('password', problem);
    const hash = await this.hasher.hash(password);
    const saved = await this.change(actor, id, 'account.reset-password', async (a) => {
      Object.assign(a, { passwordHash: hash, mustChangePassword: true, failedLogins: 0, lockedUntil: null });
      await this.sessions.deleteForAccount(a.id);
    });
    return accountView(saved, this.clock.now());
  }

  /** The person's own change: the current password first; other sessions end. */
  async changeOwnPassword(account: StaffAccount, current: string, next: string, keepSession: string): Promise<void> {
    if (!account.passwordHash || !(await this.hasher.verify(account.passwordHash, current))) throw invalidCredentials();
    const problem = passwordProblem(next, this.config.PASSWORD_MIN_LENGTH);
    if (problem) throw fieldError('newPassword', problem);
    if (await this.hasher.verify(account.passwordHash, next))
      throw fieldError('newPassword', '新密码不能与旧密码相同 (must differ from the current one)');
    const hash = await this.hasher.hash(next);
    const self: Principal = { id: account.id, roles: [], districts: ['*'], units: [] };
    await this.change(self, account.id, 'account.change-password', async (a) => {
      Object.assign(a, { passwordHash: hash, mustChangePassword: false });
      await this.txHost.tx.query(`DELETE FROM session WHERE account_id = $1 AND token_hash <> $2`, [a.id, keepSession]);
    });
  }

  /** Own TOTP changes are audited but publish nothing (membership is unchanged). */
  async recordSelf(account: StaffAccount, action: string, before: Record<string, unknown>, after: Record<string, unknown>): Promise<void> {
    await this.txHost.withTransaction(() =>
      this.audit.record({
        at: this.clock.now(),
        actorId: account.id,
        actorName: account.displayName,
        action,
        targetId: account.id,
        before,
        after,
      }),
    );
  }

  private async change(
    actor: Principal,
    id: string,
    action: string,
    mutate: (a: StaffAccount) => void | Promise<void>,
  ): Promise<StaffAccount> {
    return this.txHost.withTransaction(async () => {
      const a = await this.repo.lockById(id);
      if (!a) throw new NotFoundException({ code: 'not_found', message: `no account ${id}` });
      if (actor.id !== id) this.assertScope(actor, a.districts);
      const before = { ...a, roles: [...a.roles], districts: [...a.districts] };
      await mutate(a);
      a.revision = String(BigInt(a.revision) + 1n);
      a.updatedAt = this.clock.now();
      await this.repo.save(a);
      await this.after(actor, action, a.id, before, a);
      return a;
    });
  }

  private async after(actor: Actor, action: string, id: string, before: StaffAccount | null, a: StaffAccount): Promise<void> {
    const now = this.clock.now();
    await this.audit.record({
      at: now,
      actorId: actor === 'system' ? null : actor.id,
      actorName: actor === 'system' ? 'system' : (actor.name ?? actor.id),
      action,
      targetId: id,
      before: before ? auditSnapshot(before) : null,
      after: auditSnapshot(a),
    });
    const data: StaffMembershipChangedV1 = {
      accountId: a.id,
      loginName: a.loginName,
      displayName: a.displayName,
      ...(a.unitId ? { unitId: a.unitId } : {}),
      roles: a.roles,
      districts: a.districts,
      active: a.state === 'active',
      revision: String(a.revision),
      changedAt: now.toISOString(),
      // The person's own work mobile, for notify (which encrypts it at rest); staff data, never a citizen's.
      ...(a.mobileEnc ? { mobile: this.pii.decrypt(a.mobileEnc) } : {}),
    };
    await this.outbox.publish('staff.membership-changed.v1', {
      district: a.unitDistrict ?? this.config.CITY_CODE,
      ticketId: null,
      data,
    });
  }
}
