import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { CallbackTicket } from './callback-ticket.entity';

export interface AcceptedFacts {
  ticketId: string;
  districtCode: string;
  orderNo: string;
  flags: string[];
  identityHidden: boolean;
  acceptedAt: Date;
}

@Injectable()
export class CallbackTicketRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** From ticket.accepted.v1: the order number and the flags; a later duplicate changes nothing. */
  async upsertAccepted(m: EntityManager, f: AcceptedFacts): Promise<void> {
    await m.query(
      `INSERT INTO callback_ticket (ticket_id, district_code, order_no, flags, identity_hidden, accepted_at)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (ticket_id) DO UPDATE SET order_no = COALESCE(callback_ticket.order_no, EXCLUDED.order_no),
         flags = EXCLUDED.flags, identity_hidden = EXCLUDED.identity_hidden,
         accepted_at = COALESCE(callback_ticket.accepted_at, EXCLUDED.accepted_at), updated_at = now()`,
      [f.ticketId, f.districtCode, f.orderNo, f.flags, f.identityHidden, f.acceptedAt],
    );
  }

  /** The public reply of a cycle; an older cycle arriving late never overwrites a newer one. */
  async upsertReply(
    m: EntityManager,
    ticketId: string,
    districtCode: string,
    text: string,
    cycle: number,
    orderNo?: string,
  ): Promise<void> {
    await m.query(
      `INSERT INTO callback_ticket (ticket_id, district_code, order_no, public_reply, reply_cycle)
       VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (ticket_id) DO UPDATE SET public_reply = EXCLUDED.public_reply, reply_cycle = EXCLUDED.reply_cycle,
         order_no = COALESCE(callback_ticket.order_no, EXCLUDED.order_no), updated_at = now()
       WHERE callback_ticket.reply_cycle IS NULL OR callback_ticket.reply_cycle <= EXCLUDED.reply_cycle`,
      [ticketId, districtCode, orderNo ?? null, text, cycle],
    );
  }

  find(m: EntityManager | null, ticketId: string): Promise<CallbackTicket | null> {
    return (m ?? this.dataSource.manager).getRepository(CallbackTicket).findOneBy({ ticketId });
  }
}
