import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, IsNull } from 'typeorm';
import { DeadLetterRecord } from './bus.entities';
import { ConsumerHost } from './consumer-host';

export class DeadLetterNotFound extends Error {}

/** What an operator does with dead letters: look at them, and replay one once its cause is fixed. */
@Injectable()
export class DeadLetterService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly consumers: ConsumerHost,
  ) {}

  list(includeReplayed: boolean, limit: number): Promise<DeadLetterRecord[]> {
    return this.dataSource.getRepository(DeadLetterRecord).find({
      where: includeReplayed ? {} : { replayedAt: IsNull() },
      order: { createdAt: 'DESC' },
      take: limit,
    });
  }

  /** Apply the stored message again through its consumer; throws with the reasons if it still cannot. */
  async replay(id: string): Promise<{ result: 'applied' | 'duplicate' }> {
    const repo = this.dataSource.getRepository(DeadLetterRecord);
    const dl = await repo.findOneBy({ id });
    if (!dl) throw new DeadLetterNotFound(id);
    const result = await this.consumers.applyRaw(dl.consumer, dl.subject, dl.payload, dl.headers);
    await repo.update({ id }, { replayedAt: new Date() });
    return { result };
  }
}
