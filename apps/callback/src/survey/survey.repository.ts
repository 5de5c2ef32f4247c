import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { SurveyLink } from './survey-link.entity';

@Injectable()
export class SurveyRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async insert(m: EntityManager, link: SurveyLink): Promise<void> {
    await m.insert(SurveyLink, link);
  }

  findByHash(tokenHash: string): Promise<SurveyLink | null> {
    return this.dataSource.getRepository(SurveyLink).findOneBy({ tokenHash });
  }

  lockByHash(m: EntityManager, tokenHash: string): Promise<SurveyLink | null> {
    return m
      .getRepository(SurveyLink)
      .createQueryBuilder('l')
      .setLock('pessimistic_write')
      .where('l.token_hash = :tokenHash', { tokenHash })
      .getOne();
  }

  async markUsed(m: EntityManager, id: string, at: Date): Promise<void> {
    await m.update(SurveyLink, { id }, { usedAt: at });
  }

  async revoke(id: string, at: Date): Promise<void> {
    await this.dataSource.getRepository(SurveyLink).update({ id }, { revokedAt: at });
  }
}
