import 'reflect-metadata';
import { ConfigError, loadConfig } from './load-config';
import { handlerBudgetOf, ServiceConfig } from './service-config';

describe('loadConfig', () => {
  it('fills defaults and converts numbers and lists', () => {
    const c = loadConfig(ServiceConfig, { PORT: '4000', SERVE_DISTRICTS: '630104, 630105' });
    expect(c.PORT).toBe(4000);
    expect(c.SERVE_DISTRICTS).toEqual(['630104', '630105']);
    expect(c.BUS_PREFIX).toBe('hotline');
  });

  it('fails naming every bad variable', () => {
    let error: unknown;
    try {
      loadConfig(ServiceConfig, { PORT: 'eighty', DATABASE_URL: 'mysql://x', CITY_TIME_ZONE: 'Mars/Olympus', SERVE_DISTRICTS: '6301' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    for (const name of ['PORT', 'DATABASE_URL', 'CITY_TIME_ZONE', 'SERVE_DISTRICTS']) expect(problems).toContain(name);
  });

  it('requires a long enough development secret, and an issuer with a JWKS URL', () => {
    expect(() => loadConfig(ServiceConfig, { AUTH_JWT_SECRET: 'short' })).toThrow(/AUTH_JWT_SECRET/);
    expect(() => loadConfig(ServiceConfig, { AUTH_JWKS_URL: 'https://console.example.gov.cn/.well-known/jwks.json' })).toThrow(
      /AUTH_ISSUER/,
    );
    expect(() =>
      loadConfig(ServiceConfig, { AUTH_JWKS_URL: 'https://console.example.gov.cn/.well-known/jwks.json', AUTH_ISSUER: 'jiesu-console' }),
    ).not.toThrow();
    expect(() => loadConfig(ServiceConfig, { AUTH_ALGORITHMS: 'ES256,HS256' })).toThrow(/AUTH_ALGORITHMS/);
  });

  it('keeps the handler budget below the pool size, and says so at boot', () => {
    expect(handlerBudgetOf(loadConfig(ServiceConfig, {}))).toBe(8);
    expect(handlerBudgetOf(loadConfig(ServiceConfig, { DB_POOL_SIZE: '4' }))).toBe(2);
    expect(handlerBudgetOf(loadConfig(ServiceConfig, { DB_POOL_SIZE: '20', BUS_HANDLER_BUDGET: '12' }))).toBe(12);
    expect(() => loadConfig(ServiceConfig, { DB_POOL_SIZE: '10', BUS_HANDLER_BUDGET: '10' })).toThrow(
      /BUS_HANDLER_BUDGET must be below DB_POOL_SIZE \(10\)/,
    );
    expect(() => loadConfig(ServiceConfig, { DB_POOL_SIZE: '1' })).toThrow(/DB_POOL_SIZE/);
  });
});
