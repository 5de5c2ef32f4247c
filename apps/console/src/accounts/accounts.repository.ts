import { TransactionHost, TxHost } from '@app/platform';
import { Injectable, Inject } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { StaffAccount } from './staff-account.entity';

export interface AccountFilter {
  /** Only accounts with a district in this list (null: all). */
  districts: string[] | null;
  q?: string;
  state?: 'active' | 'disabled';
  limit: number;
  offset: number;
}

@Injectable()
export class AccountsRepository {
  constructor(@Inject(TransactionHost) private readonly txHost: TxHost) {}

  private m(): EntityManager {
    return this.txHost.tx;
  }

  findById(id: string): Promise<StaffAccount | null> {
    return this.m().getRepository(StaffAccount).findOneBy({ id });
  }

  /** For an update: the row locked until the transaction ends. */
  lockById(id: string): Promise<StaffAccount | null> {
    return this.txHost.tx.getRepository(StaffAccount).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  findByLogin(loginName: string): Promise<StaffAccount | null> {
    return this.m().getRepository(StaffAccount).findOneBy({ loginName });
  }

  findByOidcSubject(subject: string): Promise<StaffAccount | null> {
    return this.txHost.tx.getRepository(StaffAccount).findOneBy({ oidcSubject: subject });
  }

  existingLogins(loginNames: string[]): Promise<string[]> {
    return this.m()
      .query(`SELECT login_name FROM staff_account WHERE login_name = ANY($1)`, [loginNames])
      .then((rows: { login_name: string }[]) => rows.map((r) => r.login_name));
  }

  async list(f: AccountFilter): Promise<{ items: StaffAccount[]; total: number }> {
    const qb = this.txHost.tx.getRepository(StaffAccount).createQueryBuilder('a').orderBy('a.login_name');
    if (f.districts) qb.andWhere('a.districts && :districts', { districts: f.districts });
    if (f.state) qb.andWhere('a.state = :state', { state: f.state });
    if (f.q) qb.andWhere('(a.login_name ILIKE :q OR a.display_name ILIKE :q)', { q: `%${f.q.replace(/[%_\\]/g, '\\$&')}%` });
    const [items, total] = await qb.take(f.limit).skip(f.offset).getManyAndCount();
    return { items, total };
  }

  /** Active accounts of one unit, or with these ids, whose districts meet `districts` (null: any). */
  directory(f: { districts: string[] | null; unitId?: string; ids?: string[] }): Promise<StaffAccount[]> {
    const qb = this.txHost.tx.getRepository(StaffAccount).createQueryBuilder('a').where("a.state = 'active'").orderBy('a.display_name');
    if (f.districts) qb.andWhere("(a.districts && :districts OR '*' = ANY(a.districts))", { districts: f.districts });
    if (f.unitId) qb.andWhere('a.unit_id = :unitId', { unitId: f.unitId });
    if (f.ids) qb.andWhere('a.id = ANY(:ids)', { ids: f.ids });
    return qb.limit(500).getMany();
  }

  save(account: StaffAccount): Promise<StaffAccount> {
    return this.m().getRepository(StaffAccount).save(account);
  }

  /** A failed login: the count and the lock, in one statement (no lost update between two tries). */
  async recordFailure(id: string, lockedUntil: (failures: number) => Date | null): Promise<void> {
    await this.txHost.withTransaction(async () => {
      const a = await this.lockById(id);
      if (!a) return;
      a.failedLogins += 1;
      a.lockedUntil = lockedUntil(a.failedLogins) ?? a.lockedUntil;
      await this.txHost.tx.getRepository(StaffAccount).update(id, { failedLogins: a.failedLogins, lockedUntil: a.lockedUntil });
    });
  }

  async recordSuccess(id: string): Promise<void> {
    await this.txHost.tx.getRepository(StaffAccount).update(id, { failedLogins: 0, lockedUntil: null });
  }

  async setTotp(id: string, fields: Partial<Pick<StaffAccount, 'totpSecretEnc' | 'totpEnabled' | 'totpLastStep'>>): Promise<void> {
    await this.txHost.tx.getRepository(StaffAccount).update(id, fields);
  }

  /** Marks a TOTP step used; false when it (or a later one) was used already (a replayed code). */
  async useTotpStep(id: string, step: number): Promise<boolean> {
    const r: [unknown[], number] = await this.txHost.tx.query(
      `UPDATE staff_account SET totp_last_step = $2 WHERE id = $1 AND (totp_last_step IS NULL OR totp_last_step < $2)`,
      [id, step],
    );
    return r[1] === 1;
  }
}
