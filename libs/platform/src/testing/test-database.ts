import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

/** Admin connection for tests: the machine's Postgres (trust auth) unless TEST_PG_URL says otherwise. */
export const TEST_PG_ADMIN_URL = process.env.TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export function databaseUrl(db: string): string {
  const u = new URL(TEST_PG_ADMIN_URL);
  u.pathname = `/${db}`;
  return u.toString();
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

/** A fresh, empty database for one suite (or a clone of a migrated template). */
export async function createTestDatabase(template?: string): Promise<{ name: string; url: string; drop: () => Promise<void> }> {
  const name = `jiesu_t_${randomBytes(5).toString('hex')}`;
  await admin((c) => c.query(`CREATE DATABASE "${name}"${template ? ` TEMPLATE "${template}"` : ''}`));
  return {
    name,
    url: databaseUrl(name),
    drop: () => admin((c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)).then(() => undefined),
  };
}

export async function dropDatabase(name: string): Promise<void> {
  await admin((c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
}

/** A subject prefix and stream name of its own, so suites never see each other's events. */
export function testBus(): { BUS_PREFIX: string; BUS_STREAM: string } {
  const id = randomBytes(4).toString('hex');
  return { BUS_PREFIX: `t${id}`, BUS_STREAM: `T${id.toUpperCase()}` };
}

/** The NATS tests share: the machine's server unless TEST_NATS_URL says otherwise (a worktree's own server). */
export const TEST_NATS_URL = process.env.TEST_NATS_URL ?? 'nats://127.0.0.1:4222';

/**
 * The variable naming the migrated (and demo-seeded) database the service tier's global setup makes
 * once per run (test/service/global-setup.ts); each `serviceTier()` clones it.
 */
export const SERVICE_TEMPLATE_ENV = 'JIESU_SERVICE_TEMPLATE';
