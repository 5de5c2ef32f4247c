import { TransactionHost, TxHost } from '@app/platform';
import { Injectable, Inject } from '@nestjs/common';
import { IsNull } from 'typeorm';
import { NotificationKind, NotifyRule } from './rule.entity';

@Injectable()
export class RulesRepository {
  constructor(@Inject(TransactionHost) private readonly txHost: TxHost) {}

  /** The active rules of a kind that hold in a district (its own and the city-wide ones). */
  activeFor(kind: NotificationKind, district: string): Promise<NotifyRule[]> {
    return this.txHost.tx.getRepository(NotifyRule).find({
      where: [
        { kind, active: true, districtCode: IsNull() },
        { kind, active: true, districtCode: district },
      ],
      order: { createdAt: 'ASC' },
    });
  }

  list(): Promise<NotifyRule[]> {
    return this.txHost.tx.getRepository(NotifyRule).find({ order: { kind: 'ASC', createdAt: 'ASC' } });
  }

  find(id: string): Promise<NotifyRule | null> {
    return this.txHost.tx.getRepository(NotifyRule).findOneBy({ id });
  }

  save(rule: NotifyRule): Promise<NotifyRule> {
    return this.txHost.tx.getRepository(NotifyRule).save(rule);
  }
}
