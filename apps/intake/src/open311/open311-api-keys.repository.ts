import { TransactionHost, TxHost } from '@app/platform';
import { Injectable, Inject } from '@nestjs/common';
import { IsNull } from 'typeorm';
import { Open311ApiKey } from './open311-api-key.entity';

@Injectable()
export class Open311ApiKeysRepository {
  constructor(@Inject(TransactionHost) private readonly txHost: TxHost) {}

  list(): Promise<Open311ApiKey[]> {
    return this.txHost.tx.getRepository(Open311ApiKey).find({ order: { createdAt: 'DESC' } });
  }

  find(id: string): Promise<Open311ApiKey | null> {
    return this.txHost.tx.getRepository(Open311ApiKey).findOneBy({ id });
  }

  /** The unrevoked key with this hash, if any. */
  findActiveByHash(keyHash: string): Promise<Open311ApiKey | null> {
    return this.txHost.tx.getRepository(Open311ApiKey).findOneBy({ keyHash, revokedAt: IsNull() });
  }

  async insert(k: Open311ApiKey): Promise<void> {
    await this.txHost.tx.getRepository(Open311ApiKey).insert(k);
  }

  /** Revokes once: a second revoke changes nothing (the first time and person stay). */
  async revoke(id: string, at: Date, by: string): Promise<void> {
    await this.txHost.tx.getRepository(Open311ApiKey).update({ id, revokedAt: IsNull() }, { revokedAt: at, revokedBy: by });
  }
}
