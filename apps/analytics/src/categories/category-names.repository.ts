import { categoryLineage, CategoryNames } from '@app/contracts';
import { TransactionHost, TxHost } from '@app/platform';
import { Inject, Injectable } from '@nestjs/common';

/** A category's names as `category.changed.v1` gives them; `changedAt` as the event has it (ISO 8601). */
export interface CategoryChange {
  code: string;
  nameZh: string;
  nameEn: string;
  active: boolean;
  changedAt: string;
}

/** The maintained category names (`category_name`): written from intake's events, read to name categories for people. */
@Injectable()
export class CategoryNamesRepository {
  constructor(@Inject(TransactionHost) private readonly txHost: TxHost) {}

  /**
   * Apply changes (in stream order) in one statement: per code the latest `changedAt` wins, and of
   * equal ones the later change, as if applied one by one; a stored row with a later `changedAt`
   * is left as it is (an older event arriving late changes nothing, an equal one applies). Rows
   * are written in code order, so concurrent batches of the consumer take them in one order.
   * `changedAt` goes to Postgres as text, so a finer instant than JavaScript's milliseconds still
   * compares as sent.
   */
  async apply(changes: readonly CategoryChange[]): Promise<void> {
    if (!changes.length) return;
    await this.txHost.tx.query(
      `INSERT INTO category_name (code, name_zh, name_en, active, changed_at)
       SELECT DISTINCT ON (code) code, name_zh, name_en, active, changed_at
         FROM unnest($1::text[], $2::text[], $3::text[], $4::boolean[], $5::timestamptz[])
              WITH ORDINALITY AS t(code, name_zh, name_en, active, changed_at, n)
        ORDER BY code, changed_at DESC, n DESC
       ON CONFLICT (code) DO UPDATE
         SET name_zh = EXCLUDED.name_zh, name_en = EXCLUDED.name_en, active = EXCLUDED.active, changed_at = EXCLUDED.changed_at
       WHERE category_name.changed_at <= EXCLUDED.changed_at`,
      [
        changes.map((c) => c.code),
        changes.map((c) => c.nameZh),
        changes.map((c) => c.nameEn),
        changes.map((c) => c.active),
        changes.map((c) => c.changedAt),
      ],
    );
  }

  /**
   * The maintained names the given categories may be named by (`categoryName`): the rows of each
   * code and its ancestors, in one statement by primary key; no statement when there is no code.
   * Read per request: every replica sees the same names, whichever one consumed the event.
   */
  async namesFor(codes: Iterable<string | null | undefined>): Promise<Map<string, CategoryNames>> {
    const wanted = new Set<string>();
    for (const code of codes) for (const c of categoryLineage(code)) wanted.add(c);
    if (!wanted.size) return new Map();
    const rows: { code: string; name_zh: string; name_en: string }[] = await this.txHost.tx.query(
      `SELECT code, name_zh, name_en FROM category_name WHERE code = ANY($1::text[])`,
      [[...wanted]],
    );
    return new Map(rows.map((r) => [r.code, { zh: r.name_zh, en: r.name_en }]));
  }
}
