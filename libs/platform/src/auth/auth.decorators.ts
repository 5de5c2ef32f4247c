import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import { Request } from 'express';
import { Principal, Role } from './principal';

export const ROLES_KEY = 'jiesu:roles';
export const PUBLIC_KEY = 'jiesu:public';

/** The roles that may call an endpoint (admin may call every endpoint). */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);

/** No token needed (citizen submission, status lookup, health, metrics, the public wall). */
export const Public = () => SetMetadata(PUBLIC_KEY, true);

export const CurrentUser = createParamDecorator((_: unknown, ctx: ExecutionContext): Principal => {
  const req = ctx.switchToHttp().getRequest<Request & { user?: Principal }>();
  if (!req.user) throw new Error('CurrentUser used on a public endpoint');
  return req.user;
});
