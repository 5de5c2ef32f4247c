import { TransactionHost, TxHost } from '@app/platform';
import { Injectable, Inject } from '@nestjs/common';
import { KbArticle } from './kb-article.entity';

@Injectable()
export class KnowledgeRepository {
  constructor(@Inject(TransactionHost) private readonly txHost: TxHost) {}

  async insert(a: KbArticle): Promise<void> {
    await this.txHost.tx.getRepository(KbArticle).insert(a);
  }

  async save(a: KbArticle): Promise<void> {
    await this.txHost.tx.getRepository(KbArticle).save(a);
  }

  latest(day: string, includeExpired: boolean, limit: number): Promise<KbArticle[]> {
    const qb = this.txHost.tx.getRepository(KbArticle).createQueryBuilder('a');
    if (!includeExpired) {
      qb.where('(a.valid_from IS NULL OR a.valid_from <= :day) AND (a.valid_to IS NULL OR a.valid_to >= :day)', { day });
    }
    return qb.orderBy('a.created_at', 'DESC').addOrderBy('a.id').limit(limit).getMany();
  }

  findById(id: string): Promise<KbArticle | null> {
    return this.txHost.tx.getRepository(KbArticle).findOneBy({ id });
  }

  /** Valid on `day` (YYYY-MM-DD), or null. */
  async findValid(id: string, day: string): Promise<KbArticle | null> {
    return this.txHost.tx
      .getRepository(KbArticle)
      .createQueryBuilder('a')
      .where('a.id = :id', { id })
      .andWhere('(a.valid_from IS NULL OR a.valid_from <= :day) AND (a.valid_to IS NULL OR a.valid_to >= :day)', { day })
      .getOne();
  }

  /**
   * Full text over pre-cut words: any of the query words matches (OR), ranked by ts_rank, with a
   * boost for the category asked about. Only articles valid on `day` unless `includeExpired`.
   */
  async search(
    words: string[],
    categoryRoot: string | null,
    day: string,
    includeExpired: boolean,
    limit: number,
  ): Promise<(KbArticle & { rank: number })[]> {
    const query = words.map((w) => `'${w.replace(/'/g, "''")}'`).join(' | ');
    if (!query) return [];
    const rows: (Record<string, unknown> & { rank: number })[] = await this.txHost.tx.query(
      `SELECT a.id, a.title, a.body, a.category_codes, a.valid_from::text AS valid_from, a.valid_to::text AS valid_to,
              a.created_at,
              ts_rank(to_tsvector('simple', a.search_text), q) +
                CASE WHEN $2::text IS NOT NULL AND EXISTS (SELECT 1 FROM unnest(a.category_codes) c WHERE split_part(c, '.', 1) = $2)
                     THEN 0.5 ELSE 0 END AS rank
         FROM kb_article a, to_tsquery('simple', $1) q
        WHERE to_tsvector('simple', a.search_text) @@ q
          AND ($3 OR ((a.valid_from IS NULL OR a.valid_from <= $4::date) AND (a.valid_to IS NULL OR a.valid_to >= $4::date)))
        ORDER BY rank DESC, a.created_at DESC
        LIMIT $5`,
      [query, categoryRoot, includeExpired, day, limit],
    );
    return rows.map((r) =>
      Object.assign(new KbArticle(), {
        id: r.id,
        title: r.title,
        body: r.body,
        categoryCodes: r.category_codes,
        validFrom: r.valid_from,
        validTo: r.valid_to,
        createdAt: r.created_at,
        rank: Number(r.rank),
      }),
    );
  }
}
