import { CategoryNames } from '@app/contracts';
import { TransactionHost, TxHost } from '@app/platform';
import { Inject, Injectable } from '@nestjs/common';

export interface CategoryNameRow {
  code: string;
  nameZh: string;
  nameEn: string;
  active: boolean;
  changedAt: Date;
}

@Injectable()
export class CategoryNamesRepository {
  constructor(@Inject(TransactionHost) private readonly txHost: TxHost) {}

  /** From intake's category event: the latest `changedAt` wins (an equal one applies, an older one changes nothing). */
  async upsert(r: CategoryNameRow): Promise<void> {
    await this.txHost.tx.query(
      `INSERT INTO category_name (code, name_zh, name_en, active, changed_at) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (code) DO UPDATE SET name_zh = EXCLUDED.name_zh, name_en = EXCLUDED.name_en, active = EXCLUDED.active,
         changed_at = EXCLUDED.changed_at
       WHERE category_name.changed_at <= EXCLUDED.changed_at`,
      [r.code, r.nameZh, r.nameEn, r.active, r.changedAt],
    );
  }

  /** The maintained names of the given codes (an order's category and its ancestors), by primary key. */
  async namesOf(codes: string[]): Promise<Map<string, CategoryNames>> {
    if (!codes.length) return new Map();
    const rows: { code: string; name_zh: string; name_en: string }[] = await this.txHost.tx.query(
      `SELECT code, name_zh, name_en FROM category_name WHERE code = ANY($1::text[])`,
      [codes],
    );
    return new Map(rows.map((r) => [r.code, { zh: r.name_zh, en: r.name_en }]));
  }
}
