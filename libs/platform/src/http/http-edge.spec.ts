import 'reflect-metadata';
import { loadConfig } from '../config/load-config';
import { ServiceConfig } from '../config/service-config';
import { nestingDepth } from './body-limits';
import { swaggerEnabled } from './openapi';
import { ErrorLogLimiter, isDependencyDown } from './http-errors';
import { redactRequestForLog, redactUrl } from './log-redaction';
import { unstorableStrings } from './storable-strings';

describe('the HTTP edge', () => {
  it('measures nesting without recursion, stopping past the limit', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 200_000; i++) deep = [deep];
    expect(nestingDepth(deep, 64)).toBe(65);
    expect(nestingDepth({ a: [{ b: 1 }] }, 64)).toBe(3);
    expect(nestingDepth('text', 64)).toBe(0);
  });

  it('names every string Postgres cannot store, keys included', () => {
    expect(
      unstorableStrings({ a: 'ok', b: { c: ['x', 'y\u0000'] }, d: 'z\uD800' }, '')
        .map((e) => e.field)
        .sort(),
    ).toEqual(['b.c.1', 'd']);
    expect(unstorableStrings('a\uDC00', 'id')).toEqual([{ field: 'id', reason: expect.stringContaining('surrogate') as string }]);
    expect(unstorableStrings({ 'k\u0000': 1 }, '')[0].reason).toContain('field name');
    expect(unstorableStrings({ emoji: '😀 and 中文' }, '')).toEqual([]);
  });

  it('limits error logs per cause and counts the rest', () => {
    let now = 0;
    const l = new ErrorLogLimiter(2, () => now);
    expect([1, 2, 3, 4].map(() => l.admit('TypeError GET /x').log)).toEqual([true, true, false, false]);
    expect(l.admit('RangeError GET /x').log).toBe(true);
    now = 60_000;
    const next = l.admit('TypeError GET /x');
    expect(next).toEqual({ log: true, suppressed: [['TypeError GET /x', 2]] });
  });

  it('tells a dependency that is down from a bad query', () => {
    expect(isDependencyDown(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }))).toBe(true);
    expect(isDependencyDown({ message: 'Query failed', driverError: { code: '57P01', message: 'terminating connection' } })).toBe(true);
    expect(isDependencyDown(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(isDependencyDown({ message: 'x', driverError: { code: '23505', message: 'duplicate key' } })).toBe(false);
    expect(isDependencyDown(new TypeError('x is undefined'))).toBe(false);
  });

  it('keeps survey tokens, api keys and client addresses out of the logs', () => {
    expect(redactUrl('/s/AbCdEf0123456789AbCdEf?x=1')).toBe('/s/[redacted]?x=1');
    expect(redactUrl('/open311/v2/requests.json?api_key=secret&status=open')).toBe(
      '/open311/v2/requests.json?api_key=[redacted]&status=open',
    );
    const r = redactRequestForLog({
      url: '/s/tok',
      remoteAddress: '203.0.113.9',
      headers: { 'x-forwarded-for': '203.0.113.9', host: 'h' },
    });
    expect(JSON.stringify(r)).not.toContain('203.0.113.9');
    expect(r.remoteAddress).toMatch(/^ip:/);
  });

  it('validates TRUSTED_PROXIES at boot and turns Swagger off in production unless asked', () => {
    expect(loadConfig(ServiceConfig, { TRUSTED_PROXIES: '10.0.0.0/8, loopback, fd00::/8, 192.168.1.1' }).TRUSTED_PROXIES).toHaveLength(4);
    expect(() => loadConfig(ServiceConfig, { TRUSTED_PROXIES: 'ingress.local' })).toThrow(/TRUSTED_PROXIES/);
    expect(() => loadConfig(ServiceConfig, { TRUSTED_PROXIES: '10.0.0.0/33' })).toThrow(/TRUSTED_PROXIES/);
    expect(swaggerEnabled({ NODE_ENV: 'production' })).toBe(false);
    expect(swaggerEnabled({ NODE_ENV: 'production', SWAGGER: 'true' })).toBe(true);
    expect(swaggerEnabled({ NODE_ENV: 'development' })).toBe(true);
    expect(swaggerEnabled({ NODE_ENV: 'development', SWAGGER: 'false' })).toBe(false);
  });
});
