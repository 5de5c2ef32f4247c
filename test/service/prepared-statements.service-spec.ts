import { databaseOptions } from '@app/platform';
import { createTestDatabase } from '@app/platform/testing';
import { DataSource } from 'typeorm';

/**
 * Prepared statements (libs/platform/src/database/prepared-statements.ts) on a real Postgres: what
 * a pooled connection keeps prepared, what it does not, and that errors and transactions behave as
 * with unnamed statements.
 */
let db: Awaited<ReturnType<typeof createTestDatabase>>;
const sources: DataSource[] = [];

async function source(perConnection: number): Promise<DataSource> {
  const ds = new DataSource(databaseOptions(db.url, 'public', { entities: [], migrations: [] }, 1, 10_000, perConnection));
  await ds.initialize();
  sources.push(ds);
  return ds;
}

/** The statements this (only) pooled connection has prepared, with how Postgres planned them. */
function preparedOf(ds: DataSource) {
  return ds.query<{ name: string; statement: string; generic_plans: string; custom_plans: string }[]>(
    `SELECT name, statement, generic_plans, custom_plans FROM pg_prepared_statements ORDER BY name`,
  );
}

beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  for (const ds of sources) await ds.destroy();
  await db?.drop();
});

it('prepares a statement with parameters once per connection, and Postgres settles on a generic plan for it', async () => {
  const ds = await source(200);
  for (let i = 0; i < 10; i++) expect(await ds.query('SELECT $1::int + 1 AS x', [i])).toEqual([{ x: i + 1 }]);
  const [p] = await preparedOf(ds);
  expect(p).toMatchObject({ name: expect.stringMatching(/^j\d+$/), statement: 'SELECT $1::int + 1 AS x' });
  // The first five executions are planned for their values; the rest reuse one generic plan.
  expect(Number(p.custom_plans)).toBe(5);
  expect(Number(p.generic_plans)).toBe(5);
  // A statement without parameters runs unnamed.
  await ds.query(`SELECT 1 AS one`);
  expect((await preparedOf(ds)).map((s) => s.statement)).toEqual(['SELECT $1::int + 1 AS x']);
});

it('keeps at most DB_PREPARED_STATEMENTS per connection; the texts past it run unnamed, with the same results', async () => {
  const ds = await source(3);
  for (let k = 1; k <= 6; k++) expect(await ds.query(`SELECT $1::int * ${k} AS x`, [7])).toEqual([{ x: 7 * k }]);
  expect((await preparedOf(ds)).map((s) => s.statement)).toEqual([
    'SELECT $1::int * 1 AS x',
    'SELECT $1::int * 2 AS x',
    'SELECT $1::int * 3 AS x',
  ]);
  const off = await source(0);
  expect(await off.query('SELECT $1::int + 1 AS x', [1])).toEqual([{ x: 2 }]);
  expect(await preparedOf(off)).toEqual([]);
});

it('reports errors as before, and a failed statement is prepared again when next used; rollbacks roll back', async () => {
  const ds = await source(200);
  await ds.query(`CREATE TABLE IF NOT EXISTS prepared_probe (id int PRIMARY KEY)`);
  await expect(ds.query('SELEC $1::int', [1])).rejects.toThrow(/syntax error/);
  await expect(ds.query('SELECT 1 / $1::int AS x', [0])).rejects.toThrow(/division by zero/);
  expect(await ds.query('SELECT 1 / $1::int AS x', [1])).toEqual([{ x: 1 }]);
  await expect(
    ds.transaction(async (m) => {
      await m.query('INSERT INTO prepared_probe (id) VALUES ($1)', [1]);
      await m.query('INSERT INTO prepared_probe (id) VALUES ($1)', [1]);
    }),
  ).rejects.toThrow(/duplicate key/);
  expect(await ds.query('SELECT count(*)::int AS n FROM prepared_probe WHERE id >= $1', [0])).toEqual([{ n: 0 }]);
  await ds.query('INSERT INTO prepared_probe (id) VALUES ($1)', [2]);
  // A column added under a prepared statement that names its columns: Postgres plans it again.
  const read = 'SELECT id FROM prepared_probe WHERE id = $1';
  expect(await ds.query(read, [2])).toEqual([{ id: 2 }]);
  await ds.query(`ALTER TABLE prepared_probe ADD COLUMN note text`);
  expect(await ds.query(read, [2])).toEqual([{ id: 2 }]);
});
