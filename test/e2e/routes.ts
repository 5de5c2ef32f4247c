/**
 * Every HTTP route of a booted service, read from Nest's own metadata (the controllers the app
 * discovered, their paths, methods, roles, public and city-wide markers, and the DTOs they take), so
 * the access matrix and the fuzz suite cover a route the day it is added, with no list to keep.
 */
import { INestApplication, RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA, ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { CITY_WIDE_KEY, PUBLIC_KEY, Role, ROLES_KEY } from '@app/platform';

export interface Route {
  /** Express-style, e.g. `/orders/:id/accept`. */
  path: string;
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  controller: string;
  handler: string;
  roles: Role[] | undefined;
  isPublic: boolean;
  cityWide: boolean;
  /** Path parameter names. */
  params: string[];
  /** What the handler takes: a body, a query object or named query values. */
  takesBody: boolean;
  takesQuery: boolean;
}

const METHODS: Partial<Record<RequestMethod, Route['method']>> = {
  [RequestMethod.GET]: 'GET',
  [RequestMethod.POST]: 'POST',
  [RequestMethod.PATCH]: 'PATCH',
  [RequestMethod.PUT]: 'PUT',
  [RequestMethod.DELETE]: 'DELETE',
};

const join = (...parts: string[]) => ('/' + parts.filter(Boolean).join('/')).replace(/\/+/g, '/').replace(/(.)\/$/, '$1');

export function routesOf(app: INestApplication): Route[] {
  const discovery = app.get(DiscoveryService);
  const reflector = app.get(Reflector);
  const scanner = new MetadataScanner();
  const routes: Route[] = [];
  for (const wrapper of discovery.getControllers()) {
    const cls = wrapper.metatype as (new (...a: unknown[]) => unknown) | undefined;
    if (!cls || !wrapper.instance) continue;
    const prefixes = ([] as string[]).concat((Reflect.getMetadata(PATH_METADATA, cls) as string | string[] | undefined) ?? '');
    const proto = Object.getPrototypeOf(wrapper.instance) as object;
    for (const name of scanner.getAllMethodNames(proto)) {
      const fn = (proto as Record<string, unknown>)[name] as (...a: unknown[]) => unknown;
      const paths = Reflect.getMetadata(PATH_METADATA, fn) as string | string[] | undefined;
      if (paths === undefined) continue;
      const method = METHODS[Reflect.getMetadata(METHOD_METADATA, fn) as RequestMethod];
      if (!method) continue;
      const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, cls, name) ?? {}) as Record<string, { index: number; data?: unknown }>;
      const kinds = Object.keys(args).map((k) => Number(k.split(':')[0]));
      const targets = [fn, cls];
      for (const prefix of prefixes) {
        for (const p of ([] as string[]).concat(paths)) {
          const path = join(prefix, p);
          routes.push({
            path,
            method,
            controller: cls.name,
            handler: name,
            roles: reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets),
            isPublic: !!reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets),
            cityWide: !!reflector.getAllAndOverride<boolean>(CITY_WIDE_KEY, targets),
            params: [...path.matchAll(/:([A-Za-z0-9_]+)/g)].map((m) => m[1]),
            takesBody: kinds.includes(RouteParamtypes.BODY),
            takesQuery: kinds.includes(RouteParamtypes.QUERY),
          });
        }
      }
    }
  }
  return routes;
}

/** The path with each `:param` replaced by `fill(name)` (URL-encoded). */
export function fillPath(path: string, fill: (name: string) => string): string {
  return path.replace(/:([A-Za-z0-9_]+)/g, (_, n: string) => encodeURIComponent(fill(n)));
}
