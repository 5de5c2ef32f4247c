import { TransactionHost, TxHost } from '@app/platform';
import { Injectable, Inject } from '@nestjs/common';
import { AuditEntry } from './audit-entry.entity';

@Injectable()
export class AuditRepository {
  constructor(@Inject(TransactionHost) private readonly txHost: TxHost) {}

  async record(e: Omit<AuditEntry, 'id'>): Promise<void> {
    await this.txHost.tx.getRepository(AuditEntry).save(Object.assign(new AuditEntry(), e));
  }

  /** Newest first; `districts` (null: all) keeps entries whose account was or became theirs. */
  list(f: { districts: string[] | null; targetId?: string; limit: number }): Promise<AuditEntry[]> {
    const qb = this.txHost.tx.getRepository(AuditEntry).createQueryBuilder('e').orderBy('e.id', 'DESC').take(f.limit);
    if (f.targetId) qb.andWhere('e.target_id = :t', { t: f.targetId });
    if (f.districts) {
      qb.andWhere(`(coalesce(e.after->'districts', '[]'::jsonb) ?| :d OR coalesce(e.before->'districts', '[]'::jsonb) ?| :d)`, {
        d: f.districts,
      });
    }
    return qb.getMany();
  }
}
