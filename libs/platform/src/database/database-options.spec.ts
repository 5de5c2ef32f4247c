import { configuredDatabaseOptions } from './database-options';

describe('configuredDatabaseOptions', () => {
  const settings = {
    DATABASE_URL: 'postgres://jiesu@db.example:5432/jiesu',
    DB_POOL_SIZE: 12,
    DB_CONNECT_TIMEOUT_MS: 2_500,
    DB_PREPARED_STATEMENTS: 50,
  };
  const spec = { entities: [], migrations: [] };

  it('takes every DB_* setting of the configuration; a tool may size its own pool', () => {
    const o = configuredDatabaseOptions(settings, 'analytics', spec) as { url: string; poolSize: number; extra: Record<string, unknown> };
    expect(o).toMatchObject({ url: settings.DATABASE_URL, schema: 'analytics', poolSize: 12 });
    expect(o.extra).toMatchObject({ connectionTimeoutMillis: 2_500, options: '-c search_path=analytics,public' });
    expect(typeof o.extra.Client).toBe('function');
    expect((configuredDatabaseOptions(settings, 'analytics', spec, 2) as { poolSize: number }).poolSize).toBe(2);
  });

  it('sends statements unnamed when DB_PREPARED_STATEMENTS is 0 (a pooler in transaction mode)', () => {
    const o = configuredDatabaseOptions({ ...settings, DB_PREPARED_STATEMENTS: 0 }, 'analytics', spec) as {
      extra: Record<string, unknown>;
    };
    expect(o.extra.Client).toBeUndefined();
  });
});
