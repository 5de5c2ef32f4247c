import { RequestType, TicketFlag, Urgency } from '@app/contracts';
import { TransactionHost, TxHost } from '@app/platform';
import { Inject, Injectable } from '@nestjs/common';
import { SlaOrder } from './sla-order.entity';

/** The facts of an order its policy is chosen by, as a dispatch carries them. */
export interface OrderFacts {
  requestType: RequestType;
  categoryCode: string;
  urgency: Urgency;
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
    const [row] = await this.txHost.tx.query<
      { ticket_id: string; flags: TicketFlag[]; request_type: RequestType | null; category_code: string | null; urgency: Urgency | null }[]
    >(
      `INSERT INTO sla_order AS o (ticket_id, flags, request_type, category_code, urgency)
       VALUES ($1, ARRAY(SELECT DISTINCT f FROM unnest($2::text[]) f ORDER BY f), $3, $4, $5)
       ON CONFLICT (ticket_id) DO UPDATE
         SET flags = ARRAY(SELECT DISTINCT f FROM unnest(o.flags || EXCLUDED.flags) f ORDER BY f),
             request_type = COALESCE(EXCLUDED.request_type, o.request_type),
             category_code = COALESCE(EXCLUDED.category_code, o.category_code),
             urgency = COALESCE(EXCLUDED.urgency, o.urgency)
       RETURNING ticket_id, flags, request_type, category_code, urgency`,
      [ticketId, flags, facts?.requestType ?? null, facts?.categoryCode ?? null, facts?.urgency ?? null],
    );
    return Object.assign(new SlaOrder(), {
      ticketId: row.ticket_id,
      flags: row.flags,
      requestType: row.request_type,
      categoryCode: row.category_code,
      urgency: row.urgency,
    });
  }
}
