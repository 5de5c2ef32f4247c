import { TransactionHost, TxHost } from '@app/platform';
import { Injectable, Inject } from '@nestjs/common';

export interface WallRow {
  order_no: string | null;
  accepted_at: Date;
  district_code: string;
  street_code: string | null;
  community_code: string | null;
  category_code: string | null;
  request_type: string | null;
  unit_name: string | null;
  cycle: number;
  reply_cycle: number | null;
  reply_text: string | null;
  finish_due_at: Date | null;
  closed_at: Date | null;
  dispatched_at: Date | null;
}

export interface WallFilter {
  communityCode?: string;
  streetCode?: string;
  districtCode?: string;
}

/** Reads the wall's columns of ticket_fact: never the order's content or address (the facts do not hold them). */
@Injectable()
export class WallRepository {
  constructor(@Inject(TransactionHost) private readonly txHost: TxHost) {}

  async page(f: WallFilter, limit: number, offset: number): Promise<{ total: number; rows: WallRow[] }> {
    const where = `accepted_at IS NOT NULL AND wall_opt_out = false
      AND ($1::text IS NULL OR community_code = $1) AND ($2::text IS NULL OR street_code = $2) AND ($3::text IS NULL OR district_code = $3)`;
    const params = [f.communityCode ?? null, f.streetCode ?? null, f.districtCode ?? null];
    const [{ n }]: { n: string }[] = await this.txHost.tx.query(`SELECT count(*) AS n FROM ticket_fact WHERE ${where}`, params);
    const rows: WallRow[] = await this.txHost.tx.query(
      `SELECT order_no, accepted_at, district_code, street_code, community_code, category_code, request_type, unit_name, cycle,
              reply_cycle, reply_text, finish_due_at, closed_at, dispatched_at
         FROM ticket_fact WHERE ${where}
        ORDER BY accepted_at DESC, ticket_id LIMIT $4 OFFSET $5`,
      [...params, limit, offset],
    );
    return { total: Number(n), rows };
  }
}
