import { TransactionHost, TxHost } from '@app/platform';
import { Inject, Injectable } from '@nestjs/common';
import { CITIZENS_OF_TICKET } from '../tickets/tickets.repository';

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
  /** Text similarity to the probe as Postgres computed it (`openSimilar`, `similarAndByPhone`); null or absent: compute it here. */
  similarity?: number | null;
  /** The citizens of the order (`openSimilar` with `citizens`, `similarAndByPhone`; tickets.repository.ts `CITIZENS_OF_TICKET`). */
  citizens?: (string | null)[];
}

/**
 * Which earlier orders can be the same matter as a probe (duplicates.service.ts `match`): the
 * district's; of the same category root when one is given; and by place, as `match` decides it: an
 * order with a point must lie within `near.radiusM` of the probe's point (here a box around it that
 * holds the circle; `match` measures the distance), else one with a street must be on the probe's
 * street, else any order of the district.
 */
export interface MatchScope {
  districtCode: string;
  categoryRoot?: string | null;
  near?: { lat: number; lng: number; radiusM: number } | null;
  streetCode?: string | null;
}

/** Metres per degree of latitude on the sphere `distanceM` measures on (radius 6,371 km). */
const M_PER_DEG = (6_371_000 * Math.PI) / 180;

/**
 * A latitude/longitude box that holds every point within `radiusM` of (lat, lng), with 1 % to spare
 * for rounding. Where the box would reach a pole or cross the 180th meridian, it takes in every
 * longitude (the filter is only a first cut; `match` measures the distance).
 */
export function boxAround(lat: number, lng: number, radiusM: number) {
  const dLat = (radiusM / M_PER_DEG) * 1.01;
  const cos = Math.cos((Math.min(90, Math.abs(lat) + dLat) * Math.PI) / 180);
  const dLng = cos > 0.01 ? dLat / cos : Infinity;
  const wide = lng - dLng < -180 || lng + dLng > 180;
  return { minLat: lat - dLat, maxLat: lat + dLat, minLng: wide ? -180 : lng - dLng, maxLng: wide ? 180 : lng + dLng };
}

const COLUMNS = `id, order_no AS "orderNo", category_code AS "categoryCode", address, accepted_at AS "acceptedAt",
  citizen_count AS "citizenCount", progress, district_code AS "districtCode", street_code AS "streetCode", lat, lng, match_words AS words,
  CASE WHEN match_words IS NULL THEN content END AS content`;

/**
 * The duplicate scan of `openSimilar` as the start of a statement: its CTEs (`probe`, `scan`,
 * `scored`: the ids in scope and their similarity) and their values ($1 … $11, then the category
 * root only when there is one), for the statement to select from `scored` and, in
 * `similarAndByPhone`, to add its own values after them.
 */
function similarScan(scope: MatchScope, since: Date, words: string[], limit: number, floor: number): { with: string; values: unknown[] } {
  const box = scope.near ? boxAround(scope.near.lat, scope.near.lng, scope.near.radiusM) : null;
  const values: unknown[] = [
    scope.districtCode,
    since,
    words,
    [...new Set(words)],
    limit,
    floor,
    box?.minLat ?? null,
    box?.maxLat ?? null,
    box?.minLng ?? null,
    box?.maxLng ?? null,
    scope.streetCode || null,
  ];
  const root = scope.categoryRoot ? `AND split_part(category_code, '.', 1) = $${values.push(scope.categoryRoot)}` : '';
  return {
    with: `WITH probe AS (SELECT w, count(*)::float8 AS n FROM unnest($3::text[]) AS w GROUP BY w),
       scan AS (
         SELECT id, accepted_at, match_words FROM ticket
          WHERE district_code = $1 AND accepted_at >= $2 AND disposition = 'dispatch' AND progress <> 'closed'
            ${root}
            AND (match_words && $4::text[] OR match_words IS NULL)
            AND CASE WHEN $7::float8 IS NOT NULL AND lat IS NOT NULL AND lng IS NOT NULL
                       THEN lat BETWEEN $7 AND $8 AND lng BETWEEN $9 AND $10
                     WHEN $11::text IS NOT NULL AND street_code <> '' THEN street_code = $11
                     ELSE true END
          ORDER BY accepted_at DESC LIMIT $5
       ),
       scored AS (
         SELECT s.id, k.dot / (k.norm * (SELECT sqrt(sum(n * n)) FROM probe)) AS similarity
           FROM scan s
           LEFT JOIN LATERAL (
             SELECT sum(c.n * coalesce(p.n, 0)) AS dot, sqrt(sum(c.n * c.n)) AS norm
               FROM (SELECT w, count(*)::float8 AS n FROM unnest(s.match_words) AS w GROUP BY w) c
               LEFT JOIN probe p USING (w)
           ) k ON true
       )`,
    values,
  };
}

/**
 * The duplicate check's reads: the orders in the new one's scope that share at least one word with
 * it (no word in common means a similarity of 0) and are similar enough, plus the few older orders
 * stored before the words were, whose text the service cuts itself.
 */
@Injectable()
export class DuplicatesRepository {
  constructor(@Inject(TransactionHost) private readonly txHost: TxHost) {}

  /**
   * Of the `limit` newest open orders of the district accepted since `since` that share a word with
   * `words` and could be the same matter (`scope`: the category root, and the place as `match` in
   * duplicates.service.ts decides it, widened to a box around the probe's point), those whose text
   * similarity reaches `floor`, with that similarity, or whose words were never stored (`similarity`
   * null: the service cuts their text itself).
   *
   * Postgres computes the similarity exactly as `cosine()` does (the counts and sums are whole
   * numbers, so their order does not matter; one sqrt and one division, in float8), so only the few
   * orders that can match travel to the service: fetching the whole scan (up to 500 rows with their
   * word arrays on every submission) made intake's heap grow to 200+ MB under load.
   *
   * The scope is filtered before the limit and the scoring: `idx_ticket_match_scope` (district,
   * category root, accepted_at) finds the district's orders of the root, and only those near enough
   * are scored; scoring every open order of the district that shared a common word (500 at most) was
   * intake's largest cost in Postgres, about half of its CPU per order. The statement is prepared
   * (database/prepared-statements.ts), and a prepared statement may run a generic plan, so the root
   * is in the text only when there is one: a generic plan of `($n IS NULL OR root = $n)` cannot use
   * the index and read every order of the window instead.
   */
  /**
   * With `citizens`, each row also brings its citizens (`MatchRow.citizens`), read in the same
   * statement through `idx_ticket_merged_into`: the concentrated-complaint flag needs them for every
   * similar order, and a second statement for them (`citizensOf`) was the costliest of an order.
   */
  async openSimilar(
    scope: MatchScope,
    since: Date,
    words: string[],
    limit: number,
    floor: number,
    opts: { citizens?: boolean } = {},
  ): Promise<MatchRow[]> {
    if (!words.length) return [];
    const scan = similarScan(scope, since, words, limit, floor);
    return this.txHost.tx.query(
      `${scan.with}
       SELECT ${COLUMNS}, sc.similarity${opts.citizens ? `, ${CITIZENS_OF_TICKET} AS citizens` : ''} FROM scored sc JOIN ticket USING (id)
        WHERE sc.similarity IS NULL OR sc.similarity >= $6
        ORDER BY ticket.accepted_at DESC`,
      scan.values,
    );
  }

  /**
   * What a new order's flags are decided from, in one statement: as `similar`, the rows
   * `openSimilar(…, { citizens: true })` reads; as `byPhone`, when the order has a phone, those
   * `byPhoneHash(phone.hash, since, phone.limit)` reads. Every order makes this check, and each
   * statement costs Postgres about 0.2 ms of CPU and intake a round trip, so the two reads are the
   * two branches of one UNION ALL, told apart by a column (`byPhone`) the rows lose here. Each branch
   * keeps its own index, in the generic plan of the prepared statement too: `idx_ticket_match_scope`
   * for the scan, `idx_ticket_phone_hash` for the phone.
   *
   * Without a phone the text has no phone branch (nothing is read by phone, as before; and not a
   * `$n IS NULL OR …` condition, for the reason the category root is not); without words, only the
   * phone is read (no word in common: nothing is similar).
   */
  async similarAndByPhone(
    scope: MatchScope,
    since: Date,
    words: string[],
    limit: number,
    floor: number,
    phone: { hash: string; limit: number } | null,
  ): Promise<{ similar: MatchRow[]; byPhone: MatchRow[] }> {
    if (!phone) return { similar: await this.openSimilar(scope, since, words, limit, floor, { citizens: true }), byPhone: [] };
    if (!words.length) return { similar: [], byPhone: await this.byPhoneHash(phone.hash, since, phone.limit) };
    const scan = similarScan(scope, since, words, limit, floor);
    const hash = `$${scan.values.push(phone.hash)}`;
    const phoneLimit = `$${scan.values.push(phone.limit)}`;
    const rows: (MatchRow & { byPhone: boolean })[] = await this.txHost.tx.query(
      `${scan.with}
       SELECT ${COLUMNS}, sc.similarity, ${CITIZENS_OF_TICKET} AS citizens, false AS "byPhone" FROM scored sc JOIN ticket USING (id)
        WHERE sc.similarity IS NULL OR sc.similarity >= $6
       UNION ALL
       (SELECT ${COLUMNS}, NULL, NULL, true FROM ticket WHERE citizen_phone_hash = ${hash} AND accepted_at >= $2
         ORDER BY accepted_at DESC LIMIT ${phoneLimit})
       ORDER BY "byPhone", "acceptedAt" DESC`,
      scan.values,
    );
    const out = { similar: [] as MatchRow[], byPhone: [] as MatchRow[] };
    for (const { byPhone, similarity, citizens, ...row } of rows) {
      if (byPhone) out.byPhone.push(row);
      else out.similar.push({ ...row, similarity, citizens });
    }
    return out;
  }

  /** Everything one phone number raised since `since` (orders and merged contacts), newest first. */
  byPhoneHash(hash: string, since: Date, limit: number): Promise<MatchRow[]> {
    return this.txHost.tx.query(
      `SELECT ${COLUMNS} FROM ticket WHERE citizen_phone_hash = $1 AND accepted_at >= $2 ORDER BY accepted_at DESC LIMIT $3`,
      [hash, since, limit],
    );
  }
}
