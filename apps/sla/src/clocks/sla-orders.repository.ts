import { RequestType, TicketFlag, Urgency } from '@app/contracts';
import { roundsByKey, TransactionHost, TxHost } from '@app/platform';
import { Inject, Injectable } from '@nestjs/common';
import { SlaOrder } from './sla-order.entity';

/** The facts of an order its policy is chosen by, as a dispatch carries them. */
export interface OrderFacts {
  requestType: RequestType;
  categoryCode: string;
  urgency: Urgency;
}

/** One order's join (`SlaOrdersRepository.joinAll`): the flags its event carries, and a dispatch's facts. */
export interface OrderJoin {
  ticketId: string;
  flags: readonly TicketFlag[];
  facts?: OrderFacts;
}

@Injectable()
export class SlaOrdersRepository {
  constructor(@Inject(TransactionHost) private readonly txHost: TxHost) {}

  /**
   * The order's row with `flags` joined (and, from a dispatch, its facts), inserted if new; locked
   * for the transaction. One statement, and the first of a dispatch's or a merge's handler, so the
   * two of one order never run side by side: whichever comes second sees what the first wrote.
   */
  async join(ticketId: string, flags: readonly TicketFlag[], facts?: OrderFacts): Promise<SlaOrder> {
    const [order] = await this.joinAll([{ ticketId, flags, facts }]);
    return order;
  }

  /**
   * `join` for a batch's orders: each one's row as it is after its own join, in the order given. One
   * statement per round (`roundsByKey`): an order named twice (a 转办 within the batch) is joined
   * again in the next statement, as ON CONFLICT DO UPDATE changes a row once per statement, so its
   * second join sees the first's flags as a second handler would. The rows are taken in the order
   * given (the consumer host's, district then order), as one handler after the other took them.
   */
  async joinAll(joins: readonly OrderJoin[]): Promise<SlaOrder[]> {
    const orders = new Map<OrderJoin, SlaOrder>();
    for (const round of roundsByKey(joins, (j) => j.ticketId.toLowerCase())) {
      const rows = await this.txHost.tx.query<
        {
          ticket_id: string;
          flags: TicketFlag[];
          request_type: RequestType | null;
          category_code: string | null;
          urgency: Urgency | null;
        }[]
      >(
        `INSERT INTO sla_order AS o (ticket_id, flags, request_type, category_code, urgency)
         SELECT r.ticket_id, ARRAY(SELECT DISTINCT f FROM unnest(r.flags) f ORDER BY f), r.request_type, r.category_code, r.urgency
           FROM jsonb_to_recordset($1::jsonb)
                AS r(n int, ticket_id uuid, flags text[], request_type text, category_code text, urgency text)
          ORDER BY r.n
         ON CONFLICT (ticket_id) DO UPDATE
           SET flags = ARRAY(SELECT DISTINCT f FROM unnest(o.flags || EXCLUDED.flags) f ORDER BY f),
               request_type = COALESCE(EXCLUDED.request_type, o.request_type),
               category_code = COALESCE(EXCLUDED.category_code, o.category_code),
               urgency = COALESCE(EXCLUDED.urgency, o.urgency)
         RETURNING ticket_id, flags, request_type, category_code, urgency`,
        [
          JSON.stringify(
            round.map((j, n) => ({
              n,
              ticket_id: j.ticketId,
              flags: j.flags,
              request_type: j.facts?.requestType ?? null,
              category_code: j.facts?.categoryCode ?? null,
              urgency: j.facts?.urgency ?? null,
            })),
          ),
        ],
      );
      // Postgres answers the uuid in lower case; a round names each order once.
      const byId = new Map(rows.map((r) => [r.ticket_id, r]));
      for (const j of round) {
        const row = byId.get(j.ticketId.toLowerCase())!;
        orders.set(
          j,
          Object.assign(new SlaOrder(), {
            ticketId: row.ticket_id,
            flags: row.flags,
            requestType: row.request_type,
            categoryCode: row.category_code,
            urgency: row.urgency,
          }),
        );
      }
    }
    return joins.map((j) => orders.get(j)!);
  }
}
