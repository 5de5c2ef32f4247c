import { CLOCK, Clock, Principal } from '@app/platform';
import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { IntakeConfig } from '../intake.config';
import { INTAKE_CONFIG } from '../intake.tokens';
import { Open311ApiKey } from './open311-api-key.entity';
import { ApiKeysView, ApiKeyView, IssuedApiKeyView } from './open311-api-keys.dto';
import { Open311ApiKeysRepository } from './open311-api-keys.repository';

const sha256 = (key: string) => createHash('sha256').update(key, 'utf8').digest('hex');

/**
 * Open311 clients' api_keys: records an administrator issues (the key shown once, only its SHA-256
 * kept: the key is 32 random bytes, so a fast hash is enough — there is nothing to brute-force) and
 * revokes; and, as a bootstrap, the `client:key` pairs of OPEN311_API_KEYS (compose, `npm start`).
 */
@Injectable()
export class Open311ApiKeysService {
  private readonly bootstrap: Map<string, string>;

  constructor(
    private readonly repo: Open311ApiKeysRepository,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(INTAKE_CONFIG) config: IntakeConfig,
  ) {
    this.bootstrap = new Map(
      (config.OPEN311_API_KEYS ?? '')
        .split(',')
        .filter(Boolean)
        .map((p) => p.split(':') as [string, string])
        .map(([client, key]) => [key, client]),
    );
  }

  /** The client a key belongs to, or null when it is not a valid key. */
  async clientOf(apiKey: string): Promise<string | null> {
    const b = Buffer.from(apiKey);
    for (const [key, client] of this.bootstrap) {
      const a = Buffer.from(key);
      if (a.length === b.length && timingSafeEqual(a, b)) return client;
    }
    return (await this.repo.findActiveByHash(sha256(apiKey)))?.clientName ?? null;
  }

  async list(): Promise<ApiKeysView> {
    return {
      keys: (await this.repo.list()).map(view),
      bootstrap: [...new Set(this.bootstrap.values())].map((clientName) => ({ clientName })),
    };
  }

  async issue(user: Principal, clientName: string): Promise<IssuedApiKeyView> {
    const apiKey = `o311_${randomBytes(32).toString('base64url')}`;
    const k = Object.assign(new Open311ApiKey(), {
      id: randomUUID(),
      clientName,
      keyPrefix: apiKey.slice(0, 10),
      keyHash: sha256(apiKey),
      createdBy: user.id,
      createdAt: this.clock.now(),
      revokedAt: null,
      revokedBy: null,
    });
    await this.repo.insert(k);
    return { ...view(k), apiKey };
  }

  async revoke(user: Principal, id: string): Promise<ApiKeyView> {
    if (!(await this.repo.find(id))) throw new NotFoundException(`no Open311 api key ${id}`);
    await this.repo.revoke(id, this.clock.now(), user.id);
    return view((await this.repo.find(id))!);
  }
}

function view(k: Open311ApiKey): ApiKeyView {
  return {
    id: k.id,
    clientName: k.clientName,
    keyPrefix: k.keyPrefix,
    createdBy: k.createdBy,
    createdAt: k.createdAt.toISOString(),
    revokedAt: k.revokedAt?.toISOString() ?? null,
    revokedBy: k.revokedBy,
  };
}
