import { TransactionHost, TxHost } from '@app/platform';
import { Injectable, Inject } from '@nestjs/common';
import { In } from 'typeorm';
import { Hotspot } from './hotspot.entity';

export interface CellCount {
  category_code: string;
  row: number;
  col: number;
  district_code: string;
  street_code: string | null;
  n: number;
  prev: number;
  y1: number;
  y2: number;
}

export interface Windows {
  from: Date;
  to: Date;
  prevFrom: Date;
  y1From: Date;
  y1To: Date;
  y2From: Date;
  y2To: Date;
}

@Injectable()
export class HotspotsRepository {
  constructor(@Inject(TransactionHost) private readonly txHost: TxHost) {}

  /**
   * Orders with coordinates per category and grid cell: in the window, in the window before it, and
   * in the same window one and two years back; cells with at least `min` orders in the window.
   */
  async cells(
    w: Windows,
    dLat: number,
    dLng: number,
    min: number,
    category: string | null,
    districts: string[] | null,
  ): Promise<CellCount[]> {
    const rows: Record<string, string | number | null>[] = await this.txHost.tx.query(
      `SELECT category_code, floor(lat / $1)::int AS row, floor(lng / $2)::int AS col,
              mode() WITHIN GROUP (ORDER BY district_code) AS district_code,
              mode() WITHIN GROUP (ORDER BY street_code) AS street_code,
              count(*) FILTER (WHERE accepted_at >= $3 AND accepted_at < $4) AS n,
              count(*) FILTER (WHERE accepted_at >= $5 AND accepted_at < $3) AS prev,
              count(*) FILTER (WHERE accepted_at >= $6 AND accepted_at < $7) AS y1,
              count(*) FILTER (WHERE accepted_at >= $8 AND accepted_at < $9) AS y2
         FROM ticket_fact
        WHERE lat IS NOT NULL AND lng IS NOT NULL AND category_code IS NOT NULL
          AND ((accepted_at >= $5 AND accepted_at < $4) OR (accepted_at >= $6 AND accepted_at < $7) OR (accepted_at >= $8 AND accepted_at < $9))
          AND ($10::text IS NULL OR category_code = $10) AND ($11::text[] IS NULL OR district_code = ANY($11))
        GROUP BY 1, 2, 3
       HAVING count(*) FILTER (WHERE accepted_at >= $3 AND accepted_at < $4) >= $12
        ORDER BY n DESC, 1, 2, 3 LIMIT 500`,
      [dLat, dLng, w.from, w.to, w.prevFrom, w.y1From, w.y1To, w.y2From, w.y2To, category, districts, min],
    );
    return rows.map((r) => ({
      category_code: String(r.category_code),
      row: Number(r.row),
      col: Number(r.col),
      district_code: String(r.district_code),
      street_code: r.street_code === null ? null : String(r.street_code),
      n: Number(r.n),
      prev: Number(r.prev),
      y1: Number(r.y1),
      y2: Number(r.y2),
    }));
  }

  /**
   * Store one detection run's cells in one statement; a cell already detected for the same window
   * keeps its id and decision, with fresh counts. Returns the stored rows in the order given.
   */
  async upsertAll(hs: Hotspot[]): Promise<Hotspot[]> {
    if (!hs.length) return [];
    const r = await this.txHost.tx
      .createQueryBuilder()
      .insert()
      .into(Hotspot)
      .values(hs)
      .orUpdate(
        ['ticket_count', 'previous_count', 'rising', 'seasonal_years', 'detected_at'],
        ['category_code', 'cell_key', 'window_start', 'window_end'],
      )
      .returning(['id'])
      .execute();
    const stored = await this.txHost.tx.getRepository(Hotspot).findBy({ id: In((r.raw as { id: string }[]).map((x) => x.id)) });
    const key = (h: Hotspot) => `${h.categoryCode}|${h.cellKey}|${h.windowStart.getTime()}|${h.windowEnd.getTime()}`;
    const byKey = new Map(stored.map((h) => [key(h), h]));
    return hs.map((h) => byKey.get(key(h))!);
  }

  list(status: string | null, districts: string[] | null, limit: number): Promise<Hotspot[]> {
    const qb = this.txHost.tx
      .getRepository(Hotspot)
      .createQueryBuilder('h')
      .orderBy('h.detected_at', 'DESC')
      .addOrderBy('h.ticket_count', 'DESC')
      .limit(limit);
    if (status) qb.andWhere('h.status = :status', { status });
    if (districts) qb.andWhere('h.district_code = ANY(:districts)', { districts });
    return qb.getMany();
  }

  lock(id: string): Promise<Hotspot | null> {
    return this.txHost.tx.getRepository(Hotspot).createQueryBuilder('h').setLock('pessimistic_write').where('h.id = :id', { id }).getOne();
  }

  async decide(id: string, status: 'proposed' | 'dismissed', by: string, at: Date): Promise<void> {
    await this.txHost.tx.getRepository(Hotspot).update({ id }, { status, decidedBy: by, decidedAt: at });
  }
}
