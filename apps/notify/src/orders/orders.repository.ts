import { Propagation, TransactionHost, TxHost } from '@app/platform';
import { Injectable, Inject } from '@nestjs/common';
import { OrderInfo } from './order-info.entity';

export interface OrderFacts {
  ticketId: string;
  districtCode: string;
  orderNo?: string | null;
  categoryCode?: string | null;
  placeName?: string | null;
  urgency?: string | null;
  unitId?: string | null;
  unitName?: string | null;
}

@Injectable()
export class OrdersRepository {
  constructor(@Inject(TransactionHost) private readonly txHost: TxHost) {}

  /** What an event says about an order: the number, category and place are kept once known; urgency and unit follow the latest. */
  async upsert(f: OrderFacts): Promise<void> {
    await this.txHost.tx.query(
      `INSERT INTO order_info (ticket_id, district_code, order_no, category_code, place_name, urgency, unit_id, unit_name)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT (ticket_id) DO UPDATE SET
         order_no = COALESCE(order_info.order_no, EXCLUDED.order_no),
         category_code = COALESCE(EXCLUDED.category_code, order_info.category_code),
         place_name = COALESCE(order_info.place_name, EXCLUDED.place_name),
         urgency = COALESCE(EXCLUDED.urgency, order_info.urgency),
         unit_id = COALESCE(EXCLUDED.unit_id, order_info.unit_id),
         unit_name = COALESCE(EXCLUDED.unit_name, order_info.unit_name)`,
      [
        f.ticketId,
        f.districtCode,
        f.orderNo ?? null,
        f.categoryCode ?? null,
        f.placeName ?? null,
        f.urgency ?? null,
        f.unitId ?? null,
        f.unitName ?? null,
      ],
    );
  }

  /**
   * The same, committed at once in a transaction of its own, whatever becomes of the caller's: for a
   * handler that records a fact and then may wait (EarlyEventError rolls its transaction back). The
   * upsert is idempotent, so a redelivery writes nothing new.
   */
  upsertNow(f: OrderFacts): Promise<void> {
    return this.txHost.withTransaction(Propagation.RequiresNew, () => this.upsert(f));
  }

  /** sla's latest due time; an older clocks-set arriving late changes nothing. */
  async setDue(ticketId: string, district: string, finishDueAt: Date, setAt: Date): Promise<void> {
    await this.txHost.tx.query(
      `INSERT INTO order_info (ticket_id, district_code, finish_due_at, due_set_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (ticket_id) DO UPDATE SET finish_due_at = EXCLUDED.finish_due_at, due_set_at = EXCLUDED.due_set_at
       WHERE order_info.due_set_at IS NULL OR order_info.due_set_at < EXCLUDED.due_set_at`,
      [ticketId, district, finishDueAt, setAt],
    );
  }

  find(ticketId: string): Promise<OrderInfo | null> {
    return this.txHost.tx.getRepository(OrderInfo).findOneBy({ ticketId });
  }
}
