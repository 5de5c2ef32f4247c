import { CanActivate, ExecutionContext, ForbiddenException, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { Request } from 'express';
import { PUBLIC_KEY, ROLES_KEY } from './auth.decorators';
import { hasRole, Principal, Role } from './principal';
import { InvalidTokenError, TokenVerifier } from './token-verifier';

/**
 * The refusal of a person whose roles do not include one the endpoint needs: `code` and `roles` let a
 * screen say it in the person's language (the console names the roles in zh-CN or English); the
 * message says it for everyone else, Chinese first.
 */
export function roleRequired(roles: readonly Role[]): ForbiddenException {
  return new ForbiddenException({
    code: 'role_required',
    roles: [...roles],
    message: `需要以下角色之一：${roles.join('、')} requires one of the roles: ${roles.join(', ')}`,
  });
}

/**
 * Global guard: every HTTP endpoint needs a valid bearer token unless marked @Public(), and the
 * roles named by @Roles(). An endpoint with neither is refused, so forgetting to declare is safe.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly verifier: TokenVerifier,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    if (ctx.getType() !== 'http') return true;
    const targets = [ctx.getHandler(), ctx.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    const req = ctx.switchToHttp().getRequest<Request & { user?: Principal }>();
    const header = req.headers.authorization ?? '';
    const m = /^Bearer\s+(.+)$/i.exec(header);
    if (!m) throw new UnauthorizedException('a bearer token is required');
    try {
      req.user = await this.verifier.verify(m[1]);
    } catch (e) {
      if (e instanceof InvalidTokenError) throw new UnauthorizedException(`invalid token: ${e.message}`);
      throw e;
    }
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    if (!roles) throw new ForbiddenException('endpoint declares no roles');
    if (!hasRole(req.user, ...roles)) throw roleRequired(roles);
    return true;
  }
}
