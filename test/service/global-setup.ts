// Global setup runs outside jest's module registry (no moduleNameMapper): resolve @app/* here.
import { register } from 'tsconfig-paths';
import { join, relative } from 'node:path';
register({
  baseUrl: join(__dirname, '..', '..'),
  paths: { '@app/contracts': ['libs/contracts/src'], '@app/platform': ['libs/platform/src'], '@app/platform/*': ['libs/platform/src/*'] },
});
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { Client } from 'pg';
import { databaseUrl, dropDatabase, SERVICE_TEMPLATE_ENV, TEST_PG_ADMIN_URL } from '../../libs/platform/src/testing/test-database';
import { migrateAll } from '../../scripts/migrate';
import { seedDemo } from '../../scripts/seed-demo';

const ROOT = join(__dirname, '..', '..');

/** Every file the template is made from: the migrations, the persistence lists, the demo seed. */
export function templateSources(dir = ROOT, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'dist' || name.startsWith('.') || name === 'web') continue;
    const path = join(dir, name);
    const rel = relative(ROOT, path);
    if (statSync(path).isDirectory()) {
      if (/^(apps|scripts|test|apps\/[^/]+|apps\/[^/]+\/src.*|scripts\/.*|test\/demo.*)$/.test(rel)) templateSources(path, out);
    } else if (
      /\/migrations\/.*\.ts$|persistence\.ts$|seed.*\.ts$|unit-id\.ts$|demo-users\.ts$|scripts\/(migrate|services)\.ts$/.test(rel)
    ) {
      if (!rel.includes('spec.ts')) out.push(rel);
    }
  }
  return out.sort();
}

async function admin<T>(fn: (c: Client) => Promise<T>): Promise<T> {
  const c = new Client({ connectionString: TEST_PG_ADMIN_URL });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

/** Templates kept: the newest few (several branches or checkouts may be testing at once). */
const KEEP_TEMPLATES = 8;

/**
 * Drop the templates of older code (all but the newest KEEP_TEMPLATES, newest by OID). One in use by
 * another run (being cloned) refuses to go: it stays until a later run.
 */
async function dropOldTemplates(): Promise<void> {
  const old = await admin(
    async (c) =>
      (
        await c.query<{ datname: string }>(
          `SELECT datname FROM pg_database WHERE datname ~ '^jiesu_svc_tpl_[0-9a-f]{16}$' ORDER BY oid DESC OFFSET $1`,
          [KEEP_TEMPLATES - 1],
        )
      ).rows,
  );
  for (const { datname } of old) {
    await admin((c) => c.query(`DROP DATABASE IF EXISTS "${datname}"`)).catch(() => undefined);
  }
}

/**
 * The template every suite's `serviceTier()` clones (`CREATE DATABASE … TEMPLATE`): every service
 * schema migrated and the demo organisation loaded. It is named by a hash of the files it is made
 * from and kept between runs, so a run after a change of code only (the usual case) starts at once;
 * a change of a migration or of the seed makes a new one. Built under a name of this run's own and
 * renamed when done, so two runs never clone a half-built template. Building a new one drops all
 * but the newest few old ones.
 */
export default async function globalSetup(): Promise<void> {
  const hash = createHash('sha256');
  for (const f of templateSources())
    hash
      .update(f)
      .update('\0')
      .update(readFileSync(join(ROOT, f)))
      .update('\0');
  const template = `jiesu_svc_tpl_${hash.digest('hex').slice(0, 16)}`;
  process.env[SERVICE_TEMPLATE_ENV] = template;
  const exists = await admin(async (c) => (await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [template])).rowCount === 1);
  if (exists) return;
  await dropOldTemplates();
  const building = `${template}_${process.pid}`;
  await dropDatabase(building);
  await admin((c) => c.query(`CREATE DATABASE "${building}"`));
  try {
    const url = databaseUrl(building);
    await migrateAll(url, undefined, () => undefined);
    await seedDemo(url);
    await admin((c) => c.query(`ALTER DATABASE "${building}" RENAME TO "${template}"`));
  } catch (e) {
    await dropDatabase(building);
    // Another run finished the same template first: use theirs.
    const made = await admin(async (c) => (await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [template])).rowCount === 1);
    if (!made) throw e;
  }
}
