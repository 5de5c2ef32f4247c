import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Category } from './category.entity';

@Injectable()
export class TaxonomyRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  all(): Promise<Category[]> {
    return this.dataSource.getRepository(Category).find({ order: { code: 'ASC' } });
  }

  /** Seed rows that are missing; rows an admin changed are kept as they are. */
  async insertMissing(rows: Category[]): Promise<void> {
    if (rows.length) await this.dataSource.getRepository(Category).createQueryBuilder().insert().values(rows).orIgnore().execute();
  }

  async save(row: Category): Promise<void> {
    await this.dataSource.getRepository(Category).upsert(row, ['code']);
  }
}
