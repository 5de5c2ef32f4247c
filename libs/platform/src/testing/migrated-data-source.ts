import { DataSource } from 'typeorm';
import { databaseOptions, PersistenceSpec } from '../database/database-options';
import { ensureSchema } from '../database/schema-tools';

/**
 * A DataSource on `url` with `service`'s schema created and every migration of `persistence` run, as
 * a deployment migrates it: what a suite that reads and writes one service's tables starts from.
 */
export async function migratedDataSource(url: string, service: string, persistence: PersistenceSpec, poolSize = 2): Promise<DataSource> {
  const ds = new DataSource(databaseOptions(url, service, persistence, poolSize));
  await ds.initialize();
  await ensureSchema(ds, service);
  await ds.runMigrations({ transaction: 'each' });
  return ds;
}
