import { TransactionHost, TxHost } from '@app/platform';
import { Inject, Injectable } from '@nestjs/common';

/** What the duplicate check needs of an earlier order (no citizen data, no text unless its words are missing). */
export interface MatchRow {
  id: string;
  orderNo: string;
  categoryCode: string;
  address: string;
  acceptedAt: Date;
  citizenCount: number;
  progress: string;
  districtCode: string;
  streetCode: string | null;
  lat: number | null;
  lng: number | null;
  /** The words stored at write time; null for orders from before `match_words` (then `content` is set). */
  words: string[] | null;
  content: string | null;
  /** Text similarity to the probe as Postgres computed it (`openSimilar`); null or absent: compute it here. */
  similarity?: number | null;
}

const COLUMNS = `id, order_no AS "orderNo", category_code AS "categoryCode", address, accepted_at AS "acceptedAt",
  citizen_count AS "citizenCount", progress, district_code AS "districtCode", street_code AS "streetCode", lat, lng, match_words AS words,
  CASE WHEN match_words IS NULL THEN content END AS content`;

/**
 * The duplicate check's reads: the orders that share at least one word with the new one (the GIN
 * index on `match_words` finds them; no word in common means a similarity of 0) and are similar
 * enough, plus the few older orders stored before the words were, whose text the service cuts itself.
 */
@Injectable()
export class DuplicatesRepository {
  constructor(@Inject(TransactionHost) private readonly txHost: TxHost) {}

  /**
   * Of the `limit` open orders of the district accepted since `since` that share a word with
   * `words` (newest first), those whose text similarity reaches `floor`, with that similarity, or
   * whose words were never stored (`similarity` null: the service cuts their text itself).
   *
   * Postgres computes the similarity exactly as `cosine()` does (counts of equal words; dot product
   * over the product of the two norms, in float8, the same IEEE operations in the same order), so
   * only the few orders that can match travel to the service: fetching the whole scan (up to 500
   * rows with their word arrays on every submission) made intake's heap grow to 200+ MB under load.
   */
  async openSimilar(districtCode: string, since: Date, words: string[], limit: number, floor: number): Promise<MatchRow[]> {
    if (!words.length) return [];
    const open = `district_code = $1 AND accepted_at >= $2 AND disposition = 'dispatch' AND progress <> 'closed'`;
    return this.txHost.tx.query(
      `WITH probe AS (SELECT w, count(*)::float8 AS n FROM unnest($3::text[]) AS w GROUP BY w),
       probe_norm AS (SELECT sqrt(sum(n * n)) AS norm FROM probe),
       scan AS (
         SELECT * FROM (
           (SELECT id, accepted_at, match_words FROM ticket WHERE ${open} AND match_words && $4::text[]
             ORDER BY accepted_at DESC LIMIT $5)
           UNION ALL
           (SELECT id, accepted_at, match_words FROM ticket WHERE ${open} AND match_words IS NULL
             ORDER BY accepted_at DESC LIMIT $5)
         ) u ORDER BY accepted_at DESC LIMIT $5
       ),
       scored AS (
         SELECT s.id, k.dot / (k.norm * (SELECT norm FROM probe_norm)) AS similarity
           FROM scan s
           LEFT JOIN LATERAL (
             SELECT sum(c.n * coalesce(p.n, 0)) AS dot, sqrt(sum(c.n * c.n)) AS norm
               FROM (SELECT w, count(*)::float8 AS n FROM unnest(s.match_words) AS w GROUP BY w) c
               LEFT JOIN probe p USING (w)
           ) k ON true
       )
       SELECT ${COLUMNS}, sc.similarity FROM scored sc JOIN ticket USING (id)
        WHERE sc.similarity IS NULL OR sc.similarity >= $6
        ORDER BY ticket.accepted_at DESC`,
      [districtCode, since, words, [...new Set(words)], limit, floor],
    );
  }

  /** Everything one phone number raised since `since` (orders and merged contacts), newest first. */
  byPhoneHash(hash: string, since: Date, limit: number): Promise<MatchRow[]> {
    return this.txHost.tx.query(
      `SELECT ${COLUMNS} FROM ticket WHERE citizen_phone_hash = $1 AND accepted_at >= $2 ORDER BY accepted_at DESC LIMIT $3`,
      [hash, since, limit],
    );
  }
}
