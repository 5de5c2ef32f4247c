// Global setup runs outside jest's module registry (no moduleNameMapper): resolve @app/* here.
import { register } from 'tsconfig-paths';
import { join } from 'node:path';
register({
  baseUrl: join(__dirname, '..', '..'),
  paths: { '@app/contracts': ['libs/contracts/src'], '@app/platform': ['libs/platform/src'], '@app/platform/*': ['libs/platform/src/*'] },
});
import { databaseUrl, dropDatabase, TEST_PG_ADMIN_URL } from '../../libs/platform/src/testing/test-database';
import { migrateAll } from '../../scripts/migrate';
import { seedDemo } from '../../scripts/seed-demo';
import { Client } from 'pg';

/** Migrate every service schema and load the demo organisation once; each suite clones this template. */
export default async function globalSetup(): Promise<void> {
  const template = `jiesu_e2e_tpl_${process.pid}`;
  await dropDatabase(template);
  const c = new Client({ connectionString: TEST_PG_ADMIN_URL });
  await c.connect();
  await c.query(`CREATE DATABASE "${template}"`);
  await c.end();
  const url = databaseUrl(template);
  await migrateAll(url, undefined, () => undefined);
  await seedDemo(url);
  process.env.JIESU_E2E_TEMPLATE = template;
}
