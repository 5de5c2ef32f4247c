import { TransactionHost, TxHost } from '@app/platform';
import { Injectable, Inject } from '@nestjs/common';
import { ClassifierSample } from './classifier-sample.entity';
import { LabelledText } from './classifier';

@Injectable()
export class ClassifierRepository {
  constructor(@Inject(TransactionHost) private readonly txHost: TxHost) {}

  /**
   * The most recent confirmed orders, newest first: only what the model learns from (no entities:
   * up to 20,000 rows are read at every rebuild and dropped right after).
   */
  recent(limit: number): Promise<LabelledText[]> {
    return this.txHost.tx.query(
      `SELECT text, category_code AS "categoryCode", corrected FROM classifier_sample ORDER BY created_at DESC LIMIT $1`,
      [limit],
    );
  }

  async insert(s: ClassifierSample): Promise<void> {
    await this.txHost.tx.getRepository(ClassifierSample).insert(s);
  }
}
