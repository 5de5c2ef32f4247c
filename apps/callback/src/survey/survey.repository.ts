import { TransactionHost, TxHost } from '@app/platform';
import { Injectable, Inject } from '@nestjs/common';
import { SurveyLink } from './survey-link.entity';

@Injectable()
export class SurveyRepository {
  constructor(@Inject(TransactionHost) private readonly txHost: TxHost) {}

  async insert(link: SurveyLink): Promise<void> {
    await this.txHost.tx.insert(SurveyLink, link);
  }

  findByHash(tokenHash: string): Promise<SurveyLink | null> {
    return this.txHost.tx.getRepository(SurveyLink).findOneBy({ tokenHash });
  }

  lockByHash(tokenHash: string): Promise<SurveyLink | null> {
    return this.txHost.tx
      .getRepository(SurveyLink)
      .createQueryBuilder('l')
      .setLock('pessimistic_write')
      .where('l.token_hash = :tokenHash', { tokenHash })
      .getOne();
  }

  async markUsed(id: string, at: Date): Promise<void> {
    await this.txHost.tx.update(SurveyLink, { id }, { usedAt: at });
  }

  async revoke(id: string, at: Date): Promise<void> {
    await this.txHost.tx.getRepository(SurveyLink).update({ id }, { revokedAt: at });
  }
}
