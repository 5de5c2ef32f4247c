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
}

const COLUMNS = `id, order_no AS "orderNo", category_code AS "categoryCode", address, accepted_at AS "acceptedAt",
  citizen_count AS "citizenCount", progress, district_code AS "districtCode", street_code AS "streetCode", lat, lng, match_words AS words,
  CASE WHEN match_words IS NULL THEN content END AS content`;

/**
 * The duplicate check's reads: the orders that share at least one word with the new one (the GIN
 * index on `match_words` finds them; no word in common means a similarity of 0), plus the few
 * older orders stored before the words were, whose text the service cuts itself.
 */
@Injectable()
export class DuplicatesRepository {
  constructor(@Inject(TransactionHost) private readonly txHost: TxHost) {}

  /** Open orders of the district accepted since `since` sharing a word with `words`, newest first. */
  async openSharingWords(districtCode: string, since: Date, words: string[], limit: number): Promise<MatchRow[]> {
    if (!words.length) return [];
    return this.txHost.tx.query(
      `SELECT * FROM (
         (SELECT ${COLUMNS} FROM ticket
           WHERE district_code = $1 AND accepted_at >= $2 AND disposition = 'dispatch' AND progress <> 'closed'
             AND match_words && $3::text[]
           ORDER BY accepted_at DESC LIMIT $4)
         UNION ALL
         (SELECT ${COLUMNS} FROM ticket
           WHERE district_code = $1 AND accepted_at >= $2 AND disposition = 'dispatch' AND progress <> 'closed'
             AND match_words IS NULL
           ORDER BY accepted_at DESC LIMIT $4)
       ) t ORDER BY "acceptedAt" DESC LIMIT $4`,
      [districtCode, since, [...new Set(words)], limit],
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
