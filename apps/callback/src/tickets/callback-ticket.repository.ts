import { roundsByKey, TransactionHost, TxHost } from '@app/platform';
import { Injectable, Inject } from '@nestjs/common';
import { CallbackTicket } from './callback-ticket.entity';

export interface AcceptedFacts {
  ticketId: string;
  districtCode: string;
  orderNo: string;
  flags: string[];
  identityHidden: boolean;
  proactive: boolean;
  smsReachable: boolean;
  acceptedAt: Date;
}

/** The row's flags, then those of the incoming row it has not (in their order): flags only grow. */
const UNION_FLAGS = `callback_ticket.flags || ARRAY(SELECT f FROM unnest(EXCLUDED.flags) WITH ORDINALITY AS n(f, i)
  WHERE f <> ALL (callback_ticket.flags) ORDER BY i)`;

@Injectable()
export class CallbackTicketRepository {
  constructor(@Inject(TransactionHost) private readonly txHost: TxHost) {}

  /**
   * From ticket.accepted.v1: the order number and the flags; a later duplicate keeps the first
   * order number and acceptance time. Flags only grow: the acceptance's join those already on the
   * row (a merge's, `addFlags`, may arrive first). One statement for the orders given; a second
   * acceptance of one order in the same call goes in the next one (`roundsByKey`), in the order given.
   */
  async upsertAccepted(facts: readonly AcceptedFacts[]): Promise<void> {
    for (const round of roundsByKey(facts, (f) => f.ticketId.toLowerCase())) {
      // One parameter for the rows (jsonb_to_recordset, as the outbox writes its rows); the flags'
      // JSON arrays become text[].
      await this.txHost.tx.query(
        `INSERT INTO callback_ticket (ticket_id, district_code, order_no, flags, identity_hidden, proactive, accepted_at, sms_reachable)
         SELECT v."ticketId", v."districtCode", v."orderNo", v.flags, v."identityHidden", v.proactive, v."acceptedAt", v."smsReachable"
           FROM jsonb_to_recordset($1::jsonb) AS v("ticketId" uuid, "districtCode" text, "orderNo" text, flags text[],
                "identityHidden" bool, proactive bool, "acceptedAt" timestamptz, "smsReachable" bool)
         ON CONFLICT (ticket_id) DO UPDATE SET order_no = COALESCE(callback_ticket.order_no, EXCLUDED.order_no),
           flags = ${UNION_FLAGS}, identity_hidden = EXCLUDED.identity_hidden, proactive = EXCLUDED.proactive,
           sms_reachable = EXCLUDED.sms_reachable,
           accepted_at = COALESCE(callback_ticket.accepted_at, EXCLUDED.accepted_at), updated_at = now()`,
        [JSON.stringify(round)],
      );
    }
  }

  /**
   * 合并 (ticket.merged.v1): the flags a merge brings join the order's; none is ever removed, so
   * merges and the acceptance applied in any order give the same flags. An order whose acceptance
   * has not arrived gets its row now (as a reply does), and the acceptance joins its flags to these.
   */
  async addFlags(ticketId: string, districtCode: string, flags: readonly string[]): Promise<void> {
    await this.txHost.tx.query(
      `INSERT INTO callback_ticket (ticket_id, district_code, flags) VALUES ($1, $2, $3::text[])
       ON CONFLICT (ticket_id) DO UPDATE SET flags = ${UNION_FLAGS}, updated_at = now()
       WHERE NOT callback_ticket.flags @> EXCLUDED.flags`,
      [ticketId, districtCode, [...new Set(flags)]],
    );
  }

  /**
   * 转区: the order and its open tasks move from district `from` to `to`. Returns the order's district
   * afterwards ('missing' when its acceptance has not arrived), so the caller can tell an applied move
   * from one waiting for an earlier one.
   */
  async moveDistrict(ticketId: string, from: string, to: string): Promise<string> {
    const res: unknown[] = await this.txHost.tx.query(
      `UPDATE callback_ticket SET district_code = $3, updated_at = now() WHERE ticket_id = $1 AND district_code = $2 RETURNING 1`,
      [ticketId, from, to],
    );
    const moved = (Array.isArray(res[0]) ? res[0] : res) as unknown[];
    if (moved.length > 0) {
      await this.txHost.tx.query(
        `UPDATE callback_task SET district_code = $3 WHERE ticket_id = $1 AND district_code = $2 AND state IN ('pending', 'claimed')`,
        [ticketId, from, to],
      );
      return to;
    }
    const [row]: { district_code: string }[] = await this.txHost.tx.query(
      'SELECT district_code FROM callback_ticket WHERE ticket_id = $1',
      [ticketId],
    );
    return row?.district_code ?? 'missing';
  }

  /** The public reply of a cycle; an older cycle arriving late never overwrites a newer one. */
  async upsertReply(ticketId: string, districtCode: string, text: string, cycle: number, orderNo?: string): Promise<void> {
    await this.txHost.tx.query(
      `INSERT INTO callback_ticket (ticket_id, district_code, order_no, public_reply, reply_cycle)
       VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (ticket_id) DO UPDATE SET public_reply = EXCLUDED.public_reply, reply_cycle = EXCLUDED.reply_cycle,
         order_no = COALESCE(callback_ticket.order_no, EXCLUDED.order_no), updated_at = now()
       WHERE callback_ticket.reply_cycle IS NULL OR callback_ticket.reply_cycle <= EXCLUDED.reply_cycle`,
      [ticketId, districtCode, orderNo ?? null, text, cycle],
    );
  }

  /** The orders behind a page of tasks, in one query (order number and the reply the citizen heard). */
  async findMany(ticketIds: string[]): Promise<Map<string, CallbackTicket>> {
    if (ticketIds.length === 0) return new Map();
    const rows = await this.txHost.tx
      .getRepository(CallbackTicket)
      .createQueryBuilder('k')
      .where('k.ticket_id = ANY(:ids)', { ids: ticketIds })
      .getMany();
    return new Map(rows.map((r) => [r.ticketId, r]));
  }

  find(ticketId: string): Promise<CallbackTicket | null> {
    return this.txHost.tx.getRepository(CallbackTicket).findOneBy({ ticketId });
  }
}
