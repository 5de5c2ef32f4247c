import { DynamicModule, ExecutionContext, Injectable } from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import { ThrottlerGuard, ThrottlerLimitDetail, ThrottlerModule } from '@nestjs/throttler';
import { DataSource } from 'typeorm';
import { Request } from 'express';
import { PUBLIC_KEY } from '../auth/auth.decorators';
import { ServiceConfig } from '../config/service-config';
import { PgThrottlerStorage } from './public-throttle-store';

/** Paths the platform serves publicly to probes and scrapers, never limited. */
const OPS_PATH = /^\/(health|metrics)(\/|$)/;

/**
 * The public endpoints' rate limit (`@nestjs/throttler`): PUBLIC_RATE_LIMIT_PER_MINUTE requests a
 * minute per client address and endpoint, on every `@Public()` route but health and metrics. The
 * client address is Express's `req.ip`, which follows X-Forwarded-For only through TRUSTED_PROXIES,
 * so behind the ingress each citizen is counted, and nobody else can choose their address. Counted
 * in the service's database (`PgThrottlerStorage`, table `<schema>.public_throttle`), so all its
 * replicas count one client against one limit.
 */
export function publicThrottler(config: ServiceConfig, schema: string): DynamicModule {
  return ThrottlerModule.forRootAsync({
    inject: [getDataSourceToken()],
    useFactory: (ds: DataSource) => ({
      throttlers: [{ name: 'public', ttl: 60_000, limit: config.PUBLIC_RATE_LIMIT_PER_MINUTE }],
      errorMessage: (_ctx: ExecutionContext, d: ThrottlerLimitDetail) =>
        `too many requests: at most ${d.limit} a minute from one address; try again in a minute`,
      storage: new PgThrottlerStorage(ds, schema),
    }),
  });
}

@Injectable()
export class PublicThrottlerGuard extends ThrottlerGuard {
  protected override shouldSkip(ctx: ExecutionContext): Promise<boolean> {
    if (ctx.getType() !== 'http') return Promise.resolve(true);
    const isPublic = this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, [ctx.getHandler(), ctx.getClass()]);
    const req = ctx.switchToHttp().getRequest<Request>();
    return Promise.resolve(!isPublic || OPS_PATH.test(req.path));
  }

  protected override getTracker(req: Record<string, unknown>): Promise<string> {
    const r = req as unknown as Request;
    return Promise.resolve(r.ip ?? r.socket?.remoteAddress ?? 'unknown');
  }
}
