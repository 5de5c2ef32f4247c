import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

export interface RawCounts {
  accepted: number;
  answered: number;
  dispatched: number;
  responded_on_time: number;
  replied: number;
  replied_on_time: number;
  reworked: number;
  closed: number;
  callbacks: number;
  callbacks_failed: number;
  resolved: number;
  satisfied: number;
  basically_satisfied: number;
}

@Injectable()
export class RatesRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Counts for [start, end) in one district or the whole city (district null). */
  async counts(start: Date, end: Date, district: string | null): Promise<RawCounts> {
    const [t]: Record<string, string>[] = await this.dataSource.query(
      `SELECT
         count(*) FILTER (WHERE accepted_at >= $1 AND accepted_at < $2) AS accepted,
         count(*) FILTER (WHERE answered_at >= $1 AND answered_at < $2) AS answered,
         count(*) FILTER (WHERE dispatched_at >= $1 AND dispatched_at < $2) AS dispatched,
         count(*) FILTER (WHERE dispatched_at >= $1 AND dispatched_at < $2 AND contacted_at IS NOT NULL
                          AND NOT respond_breached AND (respond_due_at IS NULL OR contacted_at <= respond_due_at)) AS responded_on_time,
         count(*) FILTER (WHERE first_replied_at >= $1 AND first_replied_at < $2) AS replied,
         count(*) FILTER (WHERE first_replied_at >= $1 AND first_replied_at < $2
                          AND first_finish_due_at IS NOT NULL AND first_replied_at <= first_finish_due_at) AS replied_on_time,
         count(*) FILTER (WHERE first_replied_at >= $1 AND first_replied_at < $2 AND sent_back_count + reopen_count > 0) AS reworked,
         count(*) FILTER (WHERE closed_at >= $1 AND closed_at < $2) AS closed
       FROM ticket_fact WHERE ($3::text IS NULL OR district_code = $3)`,
      [start, end, district],
    );
    const [c]: Record<string, string>[] = await this.dataSource.query(
      `SELECT
         count(*) FILTER (WHERE NOT failed) AS callbacks,
         count(*) FILTER (WHERE failed) AS callbacks_failed,
         count(*) FILTER (WHERE resolved) AS resolved,
         count(*) FILTER (WHERE satisfaction = 'satisfied') AS satisfied,
         count(*) FILTER (WHERE satisfaction = 'basically_satisfied') AS basically_satisfied
       FROM callback_fact
       WHERE completed_at >= $1 AND completed_at < $2 AND ($3::text IS NULL OR district_code = $3)`,
      [start, end, district],
    );
    const all = { ...t, ...c };
    return Object.fromEntries(Object.entries(all).map(([k, v]) => [k, Number(v)])) as unknown as RawCounts;
  }

  /** Events per type over city dates [from, to], one district or all (the daily rollup). */
  async eventVolumes(from: string, to: string, district: string | null): Promise<Record<string, number>> {
    const rows: { type: string; n: string }[] = await this.dataSource.query(
      `SELECT type, sum(count) AS n FROM event_daily
        WHERE day BETWEEN $1::date AND $2::date AND ($3::text IS NULL OR district_code = $3)
        GROUP BY type ORDER BY type`,
      [from, to, district],
    );
    return Object.fromEntries(rows.map((r) => [r.type, Number(r.n)]));
  }
}
