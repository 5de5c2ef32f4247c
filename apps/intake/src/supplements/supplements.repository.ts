import { TransactionHost, TxHost } from '@app/platform';
import { Inject, Injectable } from '@nestjs/common';
import { MoreThan } from 'typeorm';
import { Supplement } from './supplement.entity';

/** The citizens' supplements (补充诉求); in the caller's transaction when there is one. */
@Injectable()
export class SupplementsRepository {
  constructor(@Inject(TransactionHost) private readonly txHost: TxHost) {}

  async insert(row: Supplement): Promise<void> {
    await this.txHost.tx.insert(Supplement, row);
  }

  /** An order's supplements, oldest first; only those one author added when `createdBy` is given. */
  ofTicket(ticketId: string, createdBy?: string): Promise<Supplement[]> {
    const where = createdBy === undefined ? { ticketId } : { ticketId, createdBy };
    return this.txHost.tx.getRepository(Supplement).find({ where, order: { at: 'ASC', id: 'ASC' } });
  }

  /** The supplement an earlier request with this `Idempotency-Key` stored (per order and author), or null. */
  findIdempotent(ticketId: string, createdBy: string, key: string): Promise<Supplement | null> {
    return this.txHost.tx.getRepository(Supplement).findOneBy({ ticketId, createdBy, idempotencyKey: key });
  }

  /** How many supplements one author added to an order after `since`. */
  countSince(ticketId: string, createdBy: string, since: Date): Promise<number> {
    return this.txHost.tx.getRepository(Supplement).countBy({ ticketId, createdBy, at: MoreThan(since) });
  }
}
