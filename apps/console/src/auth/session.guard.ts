import { hasRole, Principal, PUBLIC_KEY, Role, roleRequired, ROLES_KEY } from '@app/platform';
import { CanActivate, ExecutionContext, HttpException, Inject, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { Request } from 'express';
import { principalOf } from '../accounts/account.view';
import { ConsoleConfig } from '../console.config';
import { CONSOLE_CONFIG } from '../console.tokens';
import { csrfAllows } from './csrf';
import { csrfRefused, forbidden, noSession } from './console-errors';
import { ActiveSession, SESSION_COOKIE, SessionsService } from './sessions.service';

const INCOMPLETE_OK = 'jiesu:console:incomplete-ok';

/** Reachable by a person who must first change the password or set up TOTP (the ways out of that state). */
export const AllowIncomplete = () => SetMetadata(INCOMPLETE_OK, true);

export type SessionRequest = Request & { user?: Principal; consoleSession?: ActiveSession };

/**
 * The one check of a browser's request, for controllers (through SessionGuard) and the `/api` proxy:
 * a live session, the CSRF token on a state-changing request, and a finished account set-up. Returns
 * the error to answer with, or null.
 */
export async function checkSession(
  sessions: SessionsService,
  config: ConsoleConfig,
  req: SessionRequest,
  allowIncomplete: boolean,
): Promise<HttpException | null> {
  const cookies = (req as { cookies?: Record<string, string> }).cookies ?? {};
  const active = await sessions.resolve(cookies[SESSION_COOKIE]);
  if (!active) return noSession();
  if (!csrfAllows(req.method, req.headers['x-csrf-token'], active.session.csrfToken)) return csrfRefused();
  const a = active.account;
  if (!allowIncomplete) {
    if (a.mustChangePassword) return forbidden('请先修改密码 (change your password first)', 'password_change_required');
    // after single sign-on the identity provider is the second factor
    if (config.adminTotpRequired && a.roles.includes('admin') && !a.totpEnabled && active.session.method !== 'oidc') {
      return forbidden('管理员须先启用动态口令 (administrators must set up TOTP first)', 'totp_setup_required');
    }
  }
  req.consoleSession = active;
  req.user = principalOf(a);
  return null;
}

/**
 * The console's global guard (in place of the services' bearer-token guard): every endpoint needs a
 * session unless marked @Public(); @Roles() narrows it further.
 */
@Injectable()
export class SessionGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly sessions: SessionsService,
    @Inject(CONSOLE_CONFIG) private readonly config: ConsoleConfig,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    if (ctx.getType() !== 'http') return true;
    const targets = [ctx.getHandler(), ctx.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    const req = ctx.switchToHttp().getRequest<SessionRequest>();
    const allowIncomplete = !!this.reflector.getAllAndOverride<boolean>(INCOMPLETE_OK, targets);
    const refused = await checkSession(this.sessions, this.config, req, allowIncomplete);
    if (refused) throw refused;
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    if (roles && !hasRole(req.user!, ...roles)) throw roleRequired(roles);
    return true;
  }
}
