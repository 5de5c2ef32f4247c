import { DataSourceOptions, MixedList, EntitySchema } from 'typeorm';
import { BUS_ENTITIES } from '../bus/bus.entities';
import { preparingClient } from './prepared-statements';

export interface PersistenceSpec {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  entities: MixedList<Function | string | EntitySchema<any>>;
  migrations: Function[];
}

/**
 * Each service owns one Postgres schema: its tables, the bus tables (outbox, inbox, dead letters)
 * and its migrations table. Never `synchronize`; migrations only.
 */
export function databaseOptions(
  url: string,
  schema: string,
  spec: PersistenceSpec,
  poolSize = 10,
  connectTimeoutMs = 10_000,
  preparedPerConnection = 200,
): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    schema,
    entities: [...BUS_ENTITIES, ...(spec.entities as Function[])],
    migrations: spec.migrations,
    migrationsTableName: 'migrations',
    migrationsRun: false,
    synchronize: false,
    poolSize,
    // Raw SQL in repositories names tables unqualified: they resolve to the service's own schema.
    // connectionTimeoutMillis: waiting for a pooled (or new) connection fails after it instead of
    // hanging forever, so a request or a handler sees the outage as an error it can classify.
    // Client: statements with parameters go as named prepared statements (prepared-statements.ts).
    extra: {
      options: `-c search_path=${schema},public`,
      connectionTimeoutMillis: connectTimeoutMs,
      ...(preparedPerConnection > 0 ? { Client: preparingClient(preparedPerConnection) } : {}),
    },
    applicationName: `jiesu-${schema}`,
  };
}

/** What `configuredDatabaseOptions` reads of a service's configuration (ServiceConfig's fields). */
export interface DatabaseSettings {
  DATABASE_URL: string;
  DB_POOL_SIZE: number;
  DB_CONNECT_TIMEOUT_MS: number;
  DB_PREPARED_STATEMENTS: number;
}

/**
 * `databaseOptions` as a service's configuration sets them: the services (PlatformModule) and the
 * tools that run beside them (the analytics replay) honour the same DB_* settings. `poolSize`
 * overrides DB_POOL_SIZE for a one-off tool.
 */
export function configuredDatabaseOptions(
  c: DatabaseSettings,
  schema: string,
  spec: PersistenceSpec,
  poolSize = c.DB_POOL_SIZE,
): DataSourceOptions {
  return databaseOptions(c.DATABASE_URL, schema, spec, poolSize, c.DB_CONNECT_TIMEOUT_MS, c.DB_PREPARED_STATEMENTS);
}
