import { RequestType, TicketFlag, Urgency } from '@app/contracts';
import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * What sla knows of an order beyond its clocks: the flags its merges brought (双交办: `repeat`,
 * `concentrated`) and the facts its policy is chosen by, kept from its dispatch. A merge may reach
 * sla before the dispatch that started the clocks (dispatch had not applied it yet, so the dispatch
 * carries no flag): the dispatch then joins the flags kept here. A merge after the dispatch chooses
 * the order's policy again from the facts kept here.
 */
@Entity('sla_order')
export class SlaOrder {
  @PrimaryColumn('uuid', { name: 'ticket_id' })
  ticketId: string;

  /** Every flag any dispatch or merge of the order carried; only ever added to. */
  @Column('text', { array: true, default: () => "'{}'" })
  flags: TicketFlag[];

  /** From the order's dispatch; null while only a merge is known (or for an order dispatched before this table). */
  @Column('text', { name: 'request_type', nullable: true })
  requestType: RequestType | null;

  @Column('text', { name: 'category_code', nullable: true })
  categoryCode: string | null;

  @Column('text', { nullable: true })
  urgency: Urgency | null;
}
