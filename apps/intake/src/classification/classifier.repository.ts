import { TransactionHost, TxHost, Write } from '@app/platform';
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

  /** One confirmed order's INSERT, not run: written with the order (`Outbox.publishWith`; plain SQL, no entity machinery). */
  insertWrite(s: Pick<ClassifierSample, 'ticketId' | 'text' | 'categoryCode' | 'suggestedCode' | 'corrected'>): Write {
    return {
      sql: `INSERT INTO classifier_sample (ticket_id, text, category_code, suggested_code, corrected) VALUES ($1, $2, $3, $4, $5)`,
      params: [s.ticketId, s.text, s.categoryCode, s.suggestedCode, s.corrected],
    };
  }
}
