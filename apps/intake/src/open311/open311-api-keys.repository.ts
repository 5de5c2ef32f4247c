import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, IsNull } from 'typeorm';
import { Open311ApiKey } from './open311-api-key.entity';

@Injectable()
export class Open311ApiKeysRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  list(): Promise<Open311ApiKey[]> {
    return this.dataSource.getRepository(Open311ApiKey).find({ order: { createdAt: 'DESC' } });
  }

  find(id: string): Promise<Open311ApiKey | null> {
    return this.dataSource.getRepository(Open311ApiKey).findOneBy({ id });
  }

  /** The unrevoked key with this hash, if any. */
  findActiveByHash(keyHash: string): Promise<Open311ApiKey | null> {
    return this.dataSource.getRepository(Open311ApiKey).findOneBy({ keyHash, revokedAt: IsNull() });
  }

  async insert(k: Open311ApiKey): Promise<void> {
    await this.dataSource.getRepository(Open311ApiKey).insert(k);
  }

  /** Revokes once: a second revoke changes nothing (the first time and person stay). */
  async revoke(id: string, at: Date, by: string): Promise<void> {
    await this.dataSource.getRepository(Open311ApiKey).update({ id, revokedAt: IsNull() }, { revokedAt: at, revokedBy: by });
  }
}
