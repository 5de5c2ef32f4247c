import { CanActivate, ExecutionContext, ForbiddenException, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { Request } from 'express';
import { Principal } from './principal';

export const CITY_WIDE_KEY = 'jiesu:city-wide';

/** Methods that read: a district-scoped user may still read what a `@CityWide()` controller serves. */
const READS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Changes to what holds for the whole city (SLA policies, the working-day calendar, the taxonomy,
 * the knowledge base) need city scope: `districts` containing `*`. A district-scoped administrator is
 * refused (403) even though `admin` passes every role check. Runs after the global AuthGuard, so the
 * principal is known.
 */
@Injectable()
export class CityWideGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(ctx: ExecutionContext): boolean {
    if (ctx.getType() !== 'http') return true;
    if (!this.reflector.getAllAndOverride<boolean>(CITY_WIDE_KEY, [ctx.getHandler(), ctx.getClass()])) return true;
    const req = ctx.switchToHttp().getRequest<Request & { user?: Principal }>();
    if (READS.has(req.method)) return true;
    if (!req.user) return true; // a public route: nothing to scope
    if (!req.user.districts.includes('*')) {
      throw new ForbiddenException('this changes what holds for the whole city: it needs city scope (districts *), not a district’s');
    }
    return true;
  }
}
