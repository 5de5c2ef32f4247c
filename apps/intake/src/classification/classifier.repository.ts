import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { ClassifierSample } from './classifier-sample.entity';

@Injectable()
export class ClassifierRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The most recent confirmed orders, newest first. */
  recent(limit: number): Promise<ClassifierSample[]> {
    return this.dataSource.getRepository(ClassifierSample).find({ order: { createdAt: 'DESC' }, take: limit });
  }

  async insert(m: EntityManager, s: ClassifierSample): Promise<void> {
    await m.getRepository(ClassifierSample).insert(s);
  }
}
