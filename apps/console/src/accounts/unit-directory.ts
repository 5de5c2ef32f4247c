import { Principal } from '@app/platform';
import { BadRequestException, GatewayTimeoutException, Inject, Injectable, ServiceUnavailableException } from '@nestjs/common';
import { ConsoleConfig } from '../console.config';
import { CONSOLE_CONFIG } from '../console.tokens';
import { ServiceTokens } from '../keys/service-tokens';

export interface UnitInfo {
  id: string;
  name: string;
  districtCode: string;
}

/** Dispatch owns the organisation: the console asks it, as the administrator at work, about a unit. */
@Injectable()
export class UnitDirectory {
  constructor(
    private readonly tokens: ServiceTokens,
    @Inject(CONSOLE_CONFIG) private readonly config: ConsoleConfig,
  ) {}

  async find(actor: Principal, unitId: string): Promise<UnitInfo> {
    let res: Response;
    try {
      res = await fetch(`${this.config.serviceUrl('dispatch')}/org/units/${encodeURIComponent(unitId)}`, {
        headers: { authorization: `Bearer ${this.tokens.forCall(actor, 'dispatch')}` },
        signal: AbortSignal.timeout(this.config.PROXY_TIMEOUT_MS),
      });
    } catch (e) {
      if ((e as Error).name === 'TimeoutError') throw new GatewayTimeoutException('dispatch did not answer about the unit');
      throw new ServiceUnavailableException(`dispatch is not reachable: ${(e as Error).message}`);
    }
    if (res.status === 404 || res.status === 400 || res.status === 403) {
      throw new BadRequestException({
        message: `unitId: 没有这个单位或不在你的辖区 (no unit ${unitId} in your districts)`,
        errors: [{ field: 'unitId', reason: 'unknown unit' }],
      });
    }
    if (!res.ok) throw new ServiceUnavailableException(`dispatch answered ${res.status} about unit ${unitId}`);
    const u = (await res.json()) as { id: string; nameZh: string; districtCode: string };
    return { id: u.id, name: u.nameZh, districtCode: u.districtCode };
  }
}
