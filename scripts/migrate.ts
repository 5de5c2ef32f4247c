/**
 * Migration tooling for every service schema.
 *   migrate run [service...]            create each schema and run its pending migrations
 *   migrate check                       on a scratch database: run all migrations, then assert that
 *                                       generating a migration from the entities produces nothing
 *   migrate generate <service> <Name>   write apps/<service>/src/migrations/<ts>-<Name>.ts from the entity diff
 * DATABASE_URL selects the database (default postgres://postgres@127.0.0.1:5432/jiesu).
 */
import { databaseOptions, ensureSchema, pendingSchemaSql, renderMigration } from '@app/platform';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { SERVICE_NAMES, SERVICES } from './services';

const DEFAULT_URL = 'postgres://postgres@127.0.0.1:5432/jiesu';

function urlFor(base: string, db: string): string {
  const u = new URL(base);
  u.pathname = `/${db}`;
  return u.toString();
}

async function withAdmin<T>(base: string, fn: (c: Client) => Promise<T>): Promise<T> {
  const c = new Client({ connectionString: urlFor(base, 'postgres') });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

export async function ensureDatabase(url: string): Promise<void> {
  const db = new URL(url).pathname.slice(1);
  await withAdmin(url, async (c) => {
    const found = await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [db]);
    if (found.rowCount === 0) await c.query(`CREATE DATABASE "${db}"`);
  });
}

async function dataSourceFor(url: string, service: string): Promise<DataSource> {
  const ds = new DataSource(databaseOptions(url, service, SERVICES[service], 2));
  await ds.initialize();
  await ensureSchema(ds, service);
  return ds;
}

/** Migrate the given services (all by default) in the database at `url`. */
export async function migrateAll(url: string, services = SERVICE_NAMES, log = console.log): Promise<void> {
  await ensureDatabase(url);
  for (const s of services) {
    if (!SERVICES[s]) throw new Error(`unknown service ${s}; known: ${SERVICE_NAMES.join(', ')}`);
    const ds = await dataSourceFor(url, s);
    try {
      const ran = await ds.runMigrations({ transaction: 'each' });
      log(`${s}: ${ran.length ? ran.map((m) => m.name).join(', ') : 'up to date'}`);
    } finally {
      await ds.destroy();
    }
  }
}

async function check(base: string): Promise<number> {
  const scratch = `jiesu_migcheck_${randomBytes(4).toString('hex')}`;
  await withAdmin(base, (c) => c.query(`CREATE DATABASE "${scratch}"`));
  let drift = 0;
  try {
    const url = urlFor(base, scratch);
    await migrateAll(url, SERVICE_NAMES, () => undefined);
    for (const s of SERVICE_NAMES) {
      const ds = await dataSourceFor(url, s);
      try {
        const { up } = await pendingSchemaSql(ds);
        if (up.length) {
          drift++;
          console.error(`${s}: entities and migrations disagree; a new migration would run:\n  ${up.join('\n  ')}`);
        } else {
          console.log(`${s}: entities and migrations agree`);
        }
      } finally {
        await ds.destroy();
      }
    }
  } finally {
    await withAdmin(base, (c) => c.query(`DROP DATABASE IF EXISTS "${scratch}" WITH (FORCE)`));
  }
  return drift;
}

async function generate(base: string, service: string, name: string): Promise<void> {
  if (!SERVICES[service] || !/^[A-Z][A-Za-z0-9]+$/.test(name ?? '')) {
    throw new Error('usage: migrate generate <service> <PascalCaseName>');
  }
  const scratch = `jiesu_miggen_${randomBytes(4).toString('hex')}`;
  await withAdmin(base, (c) => c.query(`CREATE DATABASE "${scratch}"`));
  try {
    const url = urlFor(base, scratch);
    await migrateAll(url, [service], () => undefined);
    const ds = await dataSourceFor(url, service);
    const { up, down } = await pendingSchemaSql(ds);
    await ds.destroy();
    if (!up.length) {
      console.log(`${service}: no changes`);
      return;
    }
    const ts = Date.now();
    const file = join(__dirname, '..', 'apps', service, 'src', 'migrations', `${ts}-${name}.ts`);
    writeFileSync(file, renderMigration(`${name}${ts}`, up, down));
    console.log(`wrote ${file}; add it to ${service}.persistence.ts`);
  } finally {
    await withAdmin(base, (c) => c.query(`DROP DATABASE IF EXISTS "${scratch}" WITH (FORCE)`));
  }
}

async function main(): Promise<void> {
  const base = process.env.DATABASE_URL ?? DEFAULT_URL;
  const [cmd, ...args] = process.argv.slice(2);
  if (cmd === 'run') await migrateAll(base, args.length ? args : SERVICE_NAMES);
  else if (cmd === 'check') process.exitCode = (await check(base)) ? 1 : 0;
  else if (cmd === 'generate') await generate(base, args[0], args[1]);
  else throw new Error('usage: migrate run [service...] | check | generate <service> <Name>');
}

if (require.main === module) {
  main().catch((e: Error) => {
    console.error(e.message);
    process.exit(1);
  });
}
