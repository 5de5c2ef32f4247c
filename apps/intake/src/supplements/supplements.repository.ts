import { TransactionHost, TxHost } from '@app/platform';
import { Inject, Injectable } from '@nestjs/common';
import { Supplement } from './supplement.entity';

/** The citizens' supplements (补充诉求); in the caller's transaction when there is one. */
@Injectable()
export class SupplementsRepository {
  constructor(@Inject(TransactionHost) private readonly txHost: TxHost) {}

  async insert(row: Supplement): Promise<void> {
    await this.txHost.tx.insert(Supplement, row);
  }

  /** An order's supplements, oldest first. */
  ofTicket(ticketId: string): Promise<Supplement[]> {
    return this.txHost.tx.getRepository(Supplement).find({ where: { ticketId }, order: { at: 'ASC', id: 'ASC' } });
  }
}
