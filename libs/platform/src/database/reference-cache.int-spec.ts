import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { BusOptions } from '../bus/bus.tokens';
import { createTestDatabase } from '../testing/test-database';
import { PgListener } from './pg-listener';
import { ReferenceCache, referenceTriggerSql } from './reference-cache';

/** A table that announces its changes, a cache of it, and another connection changing it (another replica, an administrator's SQL). */
describe('ReferenceCache on a real Postgres', () => {
  const SCHEMA = 'refcache';
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let ds: DataSource;
  let other: Client;
  let listener: PgListener;
  let loads = 0;
  let cache: ReferenceCache<string[]>;

  const names = () => cache.get();
  const until = async (what: string, ok: () => boolean | Promise<boolean>) => {
    for (let i = 0; i < 300; i++) {
      if (await ok()) return;
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error(`not within 6 s: ${what}`);
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    ds = new DataSource({ type: 'postgres', url: db.url, extra: { options: `-c search_path=${SCHEMA}` } });
    await ds.initialize();
    await ds.query(`CREATE SCHEMA ${SCHEMA}`);
    await ds.query(`CREATE TABLE thing (name text PRIMARY KEY)`);
    for (const sql of referenceTriggerSql('thing').up) await ds.query(sql);
    await ds.query(`INSERT INTO thing VALUES ('a')`);
    other = new Client({ connectionString: db.url, options: `-c search_path=${SCHEMA}` });
    await other.connect();
    listener = new PgListener(ds, { schema: SCHEMA } as BusOptions);
    cache = new ReferenceCache(async () => {
      loads++;
      return (await ds.query<{ name: string }[]>(`SELECT name FROM thing ORDER BY name`)).map((r) => r.name);
    });
  });

  afterAll(async () => {
    await listener?.onModuleDestroy();
    await other?.end();
    await ds?.destroy();
    await db?.drop();
  });

  it('reads every time until LISTEN holds', async () => {
    await names();
    await names();
    expect(loads).toBe(2);
  });

  it('then reads once, and again after a change committed by another connection (none for one rolled back)', async () => {
    await cache.start(listener);
    expect(listener.listening).toBe(true);
    loads = 0;
    expect(await names()).toEqual(['a']);
    expect(await names()).toEqual(['a']);
    expect(loads).toBe(1);

    await other.query('BEGIN');
    await other.query(`INSERT INTO thing VALUES ('z')`);
    await other.query('ROLLBACK');
    await new Promise((r) => setTimeout(r, 200));
    expect(await names()).toEqual(['a']);
    expect(loads).toBe(1);

    await other.query(`INSERT INTO thing VALUES ('b')`);
    await until('the insert announced', async () => (await names()).includes('b'));
    expect(loads).toBe(2);
    await other.query(`UPDATE thing SET name = 'c' WHERE name = 'b'`);
    await until('the update announced', async () => (await names()).includes('c'));
    await other.query(`DELETE FROM thing WHERE name = 'c'`);
    await until('the delete announced', async () => !(await names()).includes('c'));
    const settled = loads;
    await names();
    expect(loads).toBe(settled);
  });

  it('keeps nothing while LISTEN is lost, and caches again once it holds', async () => {
    const [{ pid }] = await ds.query<{ pid: number }[]>(
      `SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND application_name = $1`,
      [`jiesu-${SCHEMA}-listen`],
    );
    await other.query('SELECT pg_terminate_backend($1)', [pid]);
    await until('the listener lost', () => !listener.listening);
    // A change nobody hears of now must not leave an old copy in use.
    await other.query(`INSERT INTO thing VALUES ('d')`);
    loads = 0;
    expect(await names()).toEqual(['a', 'd']);
    expect(await names()).toEqual(['a', 'd']);
    expect(loads).toBe(2);
    await until('LISTEN again', () => listener.listening);
    loads = 0;
    await names();
    await names();
    expect(loads).toBe(1);
  });
});
