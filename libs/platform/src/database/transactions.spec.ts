import { DynamicModule, Provider } from '@nestjs/common';
import { APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { ClsModule } from 'nestjs-cls';
import { transactionModule, withoutIdleEnhancers } from './transactions';

/** Every provider of a module tree (dynamic modules only), by the module's name. */
function providersOf(m: DynamicModule): { module: string; provide: unknown }[] {
  const own = (m.providers ?? []).map((p: Provider) => ({ module: m.module.name, provide: (p as { provide?: unknown }).provide }));
  const nested = (m.imports ?? []).flatMap((i) => (i && typeof i === 'object' && 'module' in i ? providersOf(i) : []));
  return [...own, ...nested];
}

const enhancers = (m: DynamicModule) => providersOf(m).filter((p) => p.provide === APP_GUARD || p.provide === APP_INTERCEPTOR);

describe('transactionModule', () => {
  it('leaves out the global guard and interceptor nestjs-cls registers unmounted, and nothing else', () => {
    const plain = ClsModule.forRoot({ global: true });
    // If an upgrade of nestjs-cls stops registering them (or moves them), this says so.
    expect(enhancers(plain).map((p) => p.provide)).toEqual([APP_GUARD, APP_INTERCEPTOR]);
    const trimmed = withoutIdleEnhancers(plain);
    expect(enhancers(trimmed)).toEqual([]);
    expect(providersOf(trimmed).length).toBe(providersOf(plain).length - 2);
    expect(trimmed.global).toBe(true);
    expect(enhancers(transactionModule())).toEqual([]);
  });
});
