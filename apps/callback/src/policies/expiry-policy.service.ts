import { CLOCK, Clock, Principal, TransactionHost, TxHost } from '@app/platform';
import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { ExpiryPolicyChangeView, ExpiryPolicyView } from './expiry-policy.dto';
import { ExpiryPolicy, ExpiryPolicyChange } from './expiry-policy.entity';

const view = (p: ExpiryPolicy): ExpiryPolicyView => ({
  districtCode: p.districtCode,
  enabled: p.enabled,
  updatedBy: p.updatedBy,
  updatedByName: p.updatedByName,
  updatedAt: p.updatedAt.toISOString(),
});

/** 到期回访 per district: the policy rows, their change log, and the question the breach handler asks. */
@Injectable()
export class ExpiryPolicyService {
  constructor(
    @Inject(TransactionHost) private readonly txHost: TxHost,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** Does the district call the citizen back when the limit expires? No row: no. */
  async applies(district: string): Promise<boolean> {
    const row = await this.txHost.tx.getRepository(ExpiryPolicy).findOneBy({ districtCode: district });
    return row?.enabled ?? false;
  }

  async list(): Promise<ExpiryPolicyView[]> {
    const rows = await this.txHost.tx.getRepository(ExpiryPolicy).find({ order: { districtCode: 'ASC' } });
    return rows.map(view);
  }

  /** One change, with its audit row, in one transaction (the row locked so two changes log in order). */
  set(user: Principal, district: string, enabled: boolean, note?: string): Promise<ExpiryPolicyView> {
    return this.txHost.withTransaction(async () => {
      const m = this.txHost.tx;
      await m.query(`SELECT pg_advisory_xact_lock(hashtext('expiry_policy:' || $1))`, [district]);
      const repo = m.getRepository(ExpiryPolicy);
      const before = await repo.findOneBy({ districtCode: district });
      const now = this.clock.now();
      const row = Object.assign(new ExpiryPolicy(), {
        districtCode: district,
        enabled,
        updatedBy: user.id,
        updatedByName: user.name ?? null,
        updatedAt: now,
      });
      await repo.save(row);
      await m.getRepository(ExpiryPolicyChange).insert({
        id: randomUUID(),
        districtCode: district,
        enabledBefore: before?.enabled ?? null,
        enabledAfter: enabled,
        changedBy: user.id,
        changedByName: user.name ?? null,
        note: note?.trim() || null,
        at: now,
      });
      return view(row);
    });
  }

  async changes(district?: string): Promise<ExpiryPolicyChangeView[]> {
    const rows = await this.txHost.tx.getRepository(ExpiryPolicyChange).find({
      where: district ? { districtCode: district } : {},
      order: { at: 'DESC' },
      take: 200,
    });
    return rows.map((c) => ({ ...c, at: c.at.toISOString() }));
  }
}
