import { NotAcceptedReason } from '@app/contracts';
import { TransactionHost, TxHost } from '@app/platform';
import { Injectable, Inject } from '@nestjs/common';
import { Figure } from './rates.dto';

export interface FigureOrdersFilter {
  figure: Figure;
  /** Instants [start, end): the city days of the period. */
  start: Date;
  end: Date;
  district: string | null;
  streetCode: string | null;
  unitId: string | null;
  againstOnly: boolean;
  basicSatisfiedWeight: number;
  /** Unreachable callbacks count as unresolved and unsatisfied (RATE_FAILED_CALLBACKS=unresolved). */
  failedCount: boolean;
  limit: number;
  offset: number;
}

export interface FigureOrderRow {
  ticket_id: string;
  order_no: string | null;
  district_code: string;
  street_code: string | null;
  unit_id: string | null;
  unit_name: string | null;
  category_code: string | null;
  at: Date;
  counted: number;
  against: boolean;
  reply_text: string | null;
  cb_cycle: number | null;
  cb_failed: boolean | null;
  cb_contacted: boolean | null;
  cb_resolved: boolean | null;
  cb_satisfaction: string | null;
  cb_comment: string | null;
  not_accepted_reason: NotAcceptedReason | null;
  total: string;
}

/**
 * What each figure counts, on the instant the daily rollup counts it on (rollups/rollup.ts), so the
 * list adds up to the figure: `at` the instant, `counted` the share of the numerator, `against`
 * whether it pulls the figure down, and which unit it counts for.
 */
interface FigureSql {
  callbacks: boolean;
  at: string;
  where: string;
  counted: string;
  against: string;
}

const RESPONDED_ON_TIME = `(f.contacted_at IS NOT NULL AND NOT f.respond_breached AND (f.respond_due_at IS NULL OR f.contacted_at <= f.respond_due_at))`;
const REPLIED_ON_TIME = `(f.first_finish_due_at IS NOT NULL AND f.first_replied_at <= f.first_finish_due_at)`;
const REWORKED = `(f.sent_back_count + f.reopen_count > 0)`;
/** Unreachable callbacks are in the denominators when `failedCount` (RATE_FAILED_CALLBACKS=unresolved). */
const answered = (failedCount: boolean) => (failedCount ? 'TRUE' : 'NOT c.failed');
/** A basically-satisfied answer counts `weight` (RATE_BASIC_SATISFIED_WEIGHT, a validated number). */
const satisfied = (weight: number) =>
  `(CASE WHEN c.satisfaction = 'satisfied' THEN 1 WHEN c.satisfaction = 'basically_satisfied' THEN ${Number(weight)} ELSE 0 END)`;

function figureSql(figure: Figure, q: Pick<FigureOrdersFilter, 'basicSatisfiedWeight' | 'failedCount'>): FigureSql {
  const fact = (at: string, counted = 'TRUE', against = 'FALSE'): FigureSql => ({
    callbacks: false,
    at,
    where: `${at} IS NOT NULL`,
    counted: `(CASE WHEN ${counted} THEN 1 ELSE 0 END)::float8`,
    against,
  });
  switch (figure) {
    case 'accepted':
      return fact('f.accepted_at');
    case 'dispatched':
      return fact('f.dispatched_at');
    case 'response':
      return fact('f.dispatched_at', RESPONDED_ON_TIME, `NOT ${RESPONDED_ON_TIME}`);
    case 'replied':
      return fact('f.first_replied_at');
    case 'onTime':
      return fact('f.first_replied_at', REPLIED_ON_TIME, `NOT ${REPLIED_ON_TIME}`);
    case 'rework':
      // The rework rate counts the bad ones: they are the numerator, and they pull the rate up.
      return fact('f.first_replied_at', REWORKED, REWORKED);
    case 'closed':
      return fact('f.closed_at');
    case 'notAccepted':
      return fact('f.not_accepted_at');
    case 'callbacks':
      return { callbacks: true, at: 'c.completed_at', where: 'NOT c.failed', counted: '1::float8', against: 'FALSE' };
    case 'callbacksFailed':
      return { callbacks: true, at: 'c.completed_at', where: 'c.failed', counted: '1::float8', against: 'TRUE' };
    case 'resolution':
      return {
        callbacks: true,
        at: 'c.completed_at',
        where: answered(q.failedCount),
        counted: `(CASE WHEN c.resolved THEN 1 ELSE 0 END)::float8`,
        against: 'c.resolved IS NOT TRUE',
      };
    case 'satisfaction':
      return {
        callbacks: true,
        at: 'c.completed_at',
        where: answered(q.failedCount),
        counted: `${satisfied(q.basicSatisfiedWeight)}::float8`,
        against: `${satisfied(q.basicSatisfiedWeight)} < 1`,
      };
  }
}

/** The orders behind a figure, read from the fact tables (the rates themselves come from the rollup). */
@Injectable()
export class FigureOrdersRepository {
  constructor(@Inject(TransactionHost) private readonly txHost: TxHost) {}

  list(q: FigureOrdersFilter): Promise<FigureOrderRow[]> {
    const s = figureSql(q.figure, q);
    const unit = s.callbacks ? 'c.unit_id' : 'f.unit_id';
    const cb = s.callbacks
      ? 'c.cycle AS cb_cycle, c.failed AS cb_failed, c.contacted AS cb_contacted, c.resolved AS cb_resolved, c.satisfaction AS cb_satisfaction, c.comment AS cb_comment'
      : 'NULL::int AS cb_cycle, NULL::boolean AS cb_failed, NULL::boolean AS cb_contacted, NULL::boolean AS cb_resolved, NULL::text AS cb_satisfaction, NULL::text AS cb_comment';
    const from = s.callbacks ? 'callback_fact c JOIN ticket_fact f ON f.ticket_id = c.ticket_id' : 'ticket_fact f';
    return this.txHost.tx.query(
      `SELECT x.*, count(*) OVER () AS total FROM (
         SELECT f.ticket_id, f.order_no, f.district_code, f.street_code, ${unit} AS unit_id, u.name AS unit_name, f.category_code,
                ${s.at} AS at, ${s.counted} AS counted, (${s.against}) AS against, f.reply_text, f.not_accepted_reason, ${cb}
           FROM ${from} LEFT JOIN unit_name u ON u.unit_id = ${unit}
          WHERE ${s.where} AND ${s.at} >= $1 AND ${s.at} < $2
            AND ($3::text IS NULL OR f.district_code = $3) AND ($4::text IS NULL OR f.street_code = $4)
            AND ($5::uuid IS NULL OR ${unit} = $5)
       ) x
        WHERE NOT $6::boolean OR x.against
        ORDER BY x.against DESC, x.at DESC, x.ticket_id
        LIMIT $7 OFFSET $8`,
      [q.start, q.end, q.district, q.streetCode, q.unitId, q.againstOnly, q.limit, q.offset],
    );
  }
}
