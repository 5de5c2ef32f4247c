import { CanActivate, ExecutionContext, HttpException, HttpStatus, Inject, Injectable } from '@nestjs/common';
import { Request } from 'express';
import { IntakeConfig } from '../intake.config';
import { INTAKE_CONFIG } from '../intake.tokens';

/**
 * Fixed one-minute window per client address on the public endpoints (no login there). Counted in
 * this process: with N replicas a client gets up to N × the limit, which is still a limit; a shared
 * limiter belongs in the ingress or gateway in front of the replicas.
 */
@Injectable()
export class PublicRateLimit implements CanActivate {
  private window = 0;
  private counts = new Map<string, number>();

  constructor(@Inject(INTAKE_CONFIG) private readonly config: IntakeConfig) {}

  canActivate(ctx: ExecutionContext): boolean {
    const req = ctx.switchToHttp().getRequest<Request>();
    const minute = Math.floor(Date.now() / 60_000);
    if (minute !== this.window) {
      this.window = minute;
      this.counts = new Map();
    }
    const who = req.ip ?? req.socket.remoteAddress ?? 'unknown';
    const n = (this.counts.get(who) ?? 0) + 1;
    this.counts.set(who, n);
    if (n > this.config.PUBLIC_RATE_LIMIT_PER_MINUTE) {
      throw new HttpException(
        `too many requests: at most ${this.config.PUBLIC_RATE_LIMIT_PER_MINUTE} a minute from one address; try again in a minute`,
        HttpStatus.TOO_MANY_REQUESTS,
      );
    }
    return true;
  }
}
