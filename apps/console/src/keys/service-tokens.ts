import { Principal } from '@app/platform';
import { Inject, Injectable } from '@nestjs/common';
import { ConsoleConfig, ProxiedService } from '../console.config';
import { CONSOLE_CONFIG } from '../console.tokens';
import { SigningKeys } from './signing-keys';

/** Per-call tokens: `aud` the one service called, a few minutes' life, the person's scope. */
@Injectable()
export class ServiceTokens {
  constructor(
    private readonly keys: SigningKeys,
    @Inject(CONSOLE_CONFIG) private readonly config: ConsoleConfig,
  ) {}

  forCall(person: Principal, service: ProxiedService): string {
    return this.keys.sign(person, service, this.config.CONSOLE_ISSUER, this.config.CONSOLE_TOKEN_TTL_SECONDS);
  }
}
