import { TransactionHost, TxHost } from '@app/platform';
import { Injectable, Inject } from '@nestjs/common';
import { Category } from './category.entity';

@Injectable()
export class TaxonomyRepository {
  constructor(@Inject(TransactionHost) private readonly txHost: TxHost) {}

  all(): Promise<Category[]> {
    return this.txHost.tx.getRepository(Category).find({ order: { code: 'ASC' } });
  }

  find(code: string): Promise<Category | null> {
    return this.txHost.tx.getRepository(Category).findOneBy({ code });
  }

  /** Seed rows that are missing; rows an admin changed are kept as they are. */
  async insertMissing(rows: Category[]): Promise<void> {
    if (rows.length) await this.txHost.tx.getRepository(Category).createQueryBuilder().insert().values(rows).orIgnore().execute();
  }

  async save(row: Category): Promise<void> {
    await this.txHost.tx.getRepository(Category).upsert(row, ['code']);
  }

  /**
   * The categories whose names are not published yet, locked until the transaction ends; rows
   * another replica is publishing at the same moment are skipped (it publishes them).
   */
  unannounced(): Promise<Category[]> {
    return this.txHost.tx
      .getRepository(Category)
      .createQueryBuilder('c')
      .where('NOT c.announced')
      .orderBy('c.code', 'ASC')
      .setLock('pessimistic_write')
      .setOnLocked('skip_locked')
      .getMany();
  }

  async markAnnounced(codes: string[]): Promise<void> {
    await this.txHost.tx.query(`UPDATE category SET announced = true WHERE code = ANY($1)`, [codes]);
  }
}
