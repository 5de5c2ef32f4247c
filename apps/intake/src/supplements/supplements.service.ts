import { CLOCK, Clock, Outbox, Principal, TransactionHost, TxHost } from '@app/platform';
import { ConflictException, Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { TicketsService } from '../tickets/tickets.service';
import { Supplement } from './supplement.entity';

export interface SupplementView {
  id: string;
  ticketId: string;
  text: string;
  createdBy: string;
  at: string;
}

const toView = (s: Supplement): SupplementView => ({
  id: s.id,
  ticketId: s.ticketId,
  text: s.text,
  createdBy: s.createdBy,
  at: s.at.toISOString(),
});

/** 补充诉求: stored and announced (ticket.supplemented.v1) in one transaction. */
@Injectable()
export class SupplementsService {
  constructor(
    @Inject(TransactionHost) private readonly txHost: TxHost,
    private readonly tickets: TicketsService,
    private readonly outbox: Outbox,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async add(user: Principal, ticketId: string, text: string): Promise<SupplementView> {
    const t = await this.tickets.visibleOrder(user, ticketId);
    // Only an order being handled takes a supplement: a merged contact's goes to its order; a
    // refusal, a first-contact answer or a closed order has no one to read it.
    if (t.disposition === 'merged') {
      throw new ConflictException(`order ${t.orderNo} was merged into ${t.mergedInto}: supplement that order`);
    }
    if (t.disposition !== 'dispatch') {
      throw new ConflictException(
        `order ${t.orderNo} was ${t.disposition === 'answered' ? 'answered at first contact' : 'not accepted'}: record a new contact`,
      );
    }
    if (t.progress === 'closed') throw new ConflictException(`order ${t.orderNo} is closed: record a new contact`);
    const row = Object.assign(new Supplement(), { id: randomUUID(), ticketId, text, createdBy: user.id, at: this.clock.now() });
    await this.txHost.withTransaction(async () => {
      await this.txHost.tx.insert(Supplement, row);
      await this.outbox.publish('ticket.supplemented.v1', {
        district: t.districtCode,
        ticketId: t.id,
        occurredAt: row.at,
        data: { text, supplementedAt: row.at.toISOString() },
      });
    });
    return toView(row);
  }

  async list(user: Principal, ticketId: string): Promise<SupplementView[]> {
    await this.tickets.visibleOrder(user, ticketId);
    const rows = await this.txHost.tx.getRepository(Supplement).find({ where: { ticketId }, order: { at: 'ASC', id: 'ASC' } });
    return rows.map(toView);
  }
}
