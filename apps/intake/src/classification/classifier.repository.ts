import { TransactionHost, TxHost } from '@app/platform';
import { Injectable, Inject } from '@nestjs/common';
import { ClassifierSample } from './classifier-sample.entity';

@Injectable()
export class ClassifierRepository {
  constructor(@Inject(TransactionHost) private readonly txHost: TxHost) {}

  /** The most recent confirmed orders, newest first. */
  recent(limit: number): Promise<ClassifierSample[]> {
    return this.txHost.tx.getRepository(ClassifierSample).find({ order: { createdAt: 'DESC' }, take: limit });
  }

  async insert(s: ClassifierSample): Promise<void> {
    await this.txHost.tx.getRepository(ClassifierSample).insert(s);
  }
}
