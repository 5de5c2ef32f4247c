import { applyDecorators, createParamDecorator, ExecutionContext, SetMetadata, UseGuards } from '@nestjs/common';
import { Request } from 'express';
import { CITY_WIDE_KEY, CityWideGuard } from './city-wide.guard';
import { Principal, Role } from './principal';

export const ROLES_KEY = 'jiesu:roles';
export const PUBLIC_KEY = 'jiesu:public';

/** The roles that may call an endpoint (admin may call every endpoint). */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);

/** No token needed (citizen submission, status lookup, health, metrics, the public wall). */
export const Public = () => SetMetadata(PUBLIC_KEY, true);

/**
 * What the endpoint (or every endpoint of the controller) changes holds for the whole city: changes
 * (any method but GET/HEAD/OPTIONS) need city scope (`districts` containing `*`), whatever the role.
 */
export const CityWide = () => applyDecorators(SetMetadata(CITY_WIDE_KEY, true), UseGuards(CityWideGuard));

export const CurrentUser = createParamDecorator((_: unknown, ctx: ExecutionContext): Principal => {
  const req = ctx.switchToHttp().getRequest<Request & { user?: Principal }>();
  if (!req.user) throw new Error('CurrentUser used on a public endpoint');
  return req.user;
});
