import { EventEnvelope } from '@app/contracts';
import { Inject, Injectable } from '@nestjs/common';
import { ANALYTICS_CONFIG, AnalyticsConfig } from '../analytics.config';
import { EntityManager } from 'typeorm';

type Merge = 'first' | 'earliest' | 'latest' | 'add' | 'or';

const MERGE: Record<Merge, (col: string) => string> = {
  first: (c) => `${c} = COALESCE(ticket_fact.${c}, EXCLUDED.${c})`,
  earliest: (c) => `${c} = LEAST(ticket_fact.${c}, EXCLUDED.${c})`,
  latest: (c) => `${c} = GREATEST(ticket_fact.${c}, EXCLUDED.${c})`,
  add: (c) => `${c} = ticket_fact.${c} + EXCLUDED.${c}`,
  or: (c) => `${c} = ticket_fact.${c} OR EXCLUDED.${c}`,
};

/**
 * Upserts into the fact tables. Each column says how a new value merges with what is there, which is
 * what makes the read model independent of arrival order.
 */
@Injectable()
export class FactsRepository {
  constructor(@Inject(ANALYTICS_CONFIG) private readonly config: AnalyticsConfig) {}

  async countEvent(m: EntityManager, e: EventEnvelope<object>): Promise<void> {
    await m.query(
      `INSERT INTO event_daily (day, district_code, type, count)
       VALUES (($1::timestamptz AT TIME ZONE $2)::date, $3, $4, 1)
       ON CONFLICT (day, district_code, type) DO UPDATE SET count = event_daily.count + 1`,
      [e.occurredAt, this.config.CITY_TIME_ZONE, e.district, e.type],
    );
  }

  async upsertTicket(m: EntityManager, ticketId: string, districtCode: string, values: Record<string, [unknown, Merge]>): Promise<void> {
    const cols = Object.keys(values);
    const params = [ticketId, districtCode, ...cols.map((c) => values[c][0])];
    const placeholders = cols.map((_, i) => `$${i + 3}`);
    await m.query(
      `INSERT INTO ticket_fact (ticket_id, district_code${cols.map((c) => `, ${c}`).join('')})
       VALUES ($1, $2${placeholders.map((p) => `, ${p}`).join('')})
       ON CONFLICT (ticket_id) DO UPDATE SET ${cols.map((c) => MERGE[values[c][1]](c)).join(', ') || 'district_code = EXCLUDED.district_code'}`,
      params,
    );
  }

  async upsertCallback(
    m: EntityManager,
    f: {
      taskId: string;
      ticketId: string;
      districtCode: string;
      unitId: string;
      cycle: number;
      completedAt: Date;
      failed: boolean;
      contacted: boolean | null;
      resolved: boolean | null;
      satisfaction: string | null;
    },
  ): Promise<void> {
    await m.query(
      `INSERT INTO callback_fact (task_id, ticket_id, district_code, unit_id, cycle, completed_at, failed, contacted, resolved, satisfaction)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (task_id) DO NOTHING`,
      [f.taskId, f.ticketId, f.districtCode, f.unitId, f.cycle, f.completedAt, f.failed, f.contacted, f.resolved, f.satisfaction],
    );
  }
}
