import { TransactionHost, TxHost } from '@app/platform';
import { Injectable, Inject } from '@nestjs/common';
import { Counts, Dimension, emptyCounts, MEASURES } from '../rollups/rollup';

export interface KeyedCounts {
  key: string;
  districtCode: string | null;
  counts: Counts;
}

const SUMS = MEASURES.map((m) => `sum(${m})::bigint AS ${m}`).join(', ');

function toCounts(r: Record<string, string | null>): Counts {
  const c = emptyCounts();
  for (const m of MEASURES) c[m] = Number(r[m] ?? 0);
  return c;
}

/** Reads the daily rollup (`rate_daily`), never the fact tables. */
@Injectable()
export class RatesRepository {
  constructor(@Inject(TransactionHost) private readonly txHost: TxHost) {}

  /** Totals over city dates [from, to] for one district or the whole city (null). */
  async totals(from: string, to: string, district: string | null): Promise<Counts> {
    const [r]: Record<string, string | null>[] = await this.txHost.tx.query(
      `SELECT ${SUMS} FROM rate_daily
        WHERE dimension = 'district' AND day BETWEEN $1::date AND $2::date AND ($3::text IS NULL OR district_code = $3)`,
      [from, to, district],
    );
    return toCounts(r);
  }

  /**
   * Totals per key of one dimension set. `perDistrict` keeps the district in the key (streets and
   * units belong to one district; categories and channels are summed across districts).
   */
  async byKey(dimension: Dimension, from: string, to: string, district: string | null, perDistrict: boolean): Promise<KeyedCounts[]> {
    const dcol = perDistrict ? 'district_code' : 'NULL::text';
    const key = dimension === 'district' ? 'district_code' : 'dim_key';
    const rows: Record<string, string | null>[] = await this.txHost.tx.query(
      `SELECT ${key} AS key, ${dcol} AS district, ${SUMS} FROM rate_daily
        WHERE dimension = $1 AND day BETWEEN $2::date AND $3::date AND ($4::text IS NULL OR district_code = $4)
        GROUP BY 1, 2 ORDER BY 1, 2`,
      [dimension, from, to, district],
    );
    return rows.map((r) => ({ key: r.key ?? '', districtCode: r.district, counts: toCounts(r) }));
  }

  /** District (or city) totals per day, ISO week or month over city dates [from, to], by the bucket's first day. */
  async series(from: string, to: string, district: string | null, granularity: 'day' | 'week' | 'month'): Promise<KeyedCounts[]> {
    const rows: Record<string, string | null>[] = await this.txHost.tx.query(
      `SELECT to_char(date_trunc($4, day::timestamp), 'YYYY-MM-DD') AS key, ${SUMS} FROM rate_daily
        WHERE dimension = 'district' AND day BETWEEN $1::date AND $2::date AND ($3::text IS NULL OR district_code = $3)
        GROUP BY 1 ORDER BY 1`,
      [from, to, district, granularity],
    );
    return rows.map((r) => ({ key: r.key ?? '', districtCode: district, counts: toCounts(r) }));
  }

  /** A unit's categories (the `unit_category` rollup), most orders first. */
  async unitCategories(unitId: string, from: string, to: string, district: string | null, limit: number): Promise<KeyedCounts[]> {
    const rows: Record<string, string | null>[] = await this.txHost.tx.query(
      `SELECT substr(dim_key, length($1) + 2) AS key, ${SUMS} FROM rate_daily
        WHERE dimension = 'unit_category' AND dim_key LIKE $1 || '/%' AND day BETWEEN $2::date AND $3::date
          AND ($4::text IS NULL OR district_code = $4)
        GROUP BY 1 ORDER BY sum(accepted) + sum(dispatched) + sum(callbacks) DESC, 1 LIMIT $5`,
      [unitId, from, to, district, limit],
    );
    return rows.map((r) => ({ key: r.key ?? '', districtCode: null, counts: toCounts(r) }));
  }

  async unitNames(ids: string[]): Promise<Map<string, string>> {
    if (!ids.length) return new Map();
    const rows: { unit_id: string; name: string }[] = await this.txHost.tx.query(
      `SELECT unit_id, name FROM unit_name WHERE unit_id = ANY($1::uuid[])`,
      [ids],
    );
    return new Map(rows.map((r) => [r.unit_id, r.name]));
  }

  /** Events per type over city dates [from, to], one district or all (the daily event rollup). */
  async eventVolumes(from: string, to: string, district: string | null): Promise<Record<string, number>> {
    const rows: { type: string; n: string }[] = await this.txHost.tx.query(
      `SELECT type, sum(count) AS n FROM event_daily
        WHERE day BETWEEN $1::date AND $2::date AND ($3::text IS NULL OR district_code = $3)
        GROUP BY type ORDER BY type`,
      [from, to, district],
    );
    return Object.fromEntries(rows.map((r) => [r.type, Number(r.n)]));
  }
}
