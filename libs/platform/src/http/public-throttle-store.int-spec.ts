import { DataSource } from 'typeorm';
import { createTestDatabase } from '../testing/test-database';
import { PgThrottlerStorage } from './public-throttle-store';

/** Two replicas of a service counting one client's requests in their shared database. */
describe('PgThrottlerStorage on a real Postgres', () => {
  const SCHEMA = 'throttled';
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let ds: DataSource;
  let replicaA: PgThrottlerStorage;
  let replicaB: PgThrottlerStorage;

  beforeAll(async () => {
    db = await createTestDatabase();
    ds = new DataSource({ type: 'postgres', url: db.url });
    await ds.initialize();
    await ds.query(`CREATE SCHEMA ${SCHEMA}`);
    // As the services' PublicThrottle migrations create it.
    await ds.query(
      `CREATE TABLE "${SCHEMA}"."public_throttle" ("key" text NOT NULL, "window_start" TIMESTAMP WITH TIME ZONE NOT NULL, "hits" integer NOT NULL, PRIMARY KEY ("key"))`,
    );
    replicaA = new PgThrottlerStorage(ds, SCHEMA);
    replicaB = new PgThrottlerStorage(ds, SCHEMA);
  });

  afterAll(async () => {
    await ds?.destroy();
    await db?.drop();
  });

  it('counts a client against one limit across replicas, then blocks until the window ends', async () => {
    const hits: number[] = [];
    for (let i = 0; i < 5; i++) {
      const r = await (i % 2 ? replicaB : replicaA).increment('client-1', 60_000, 4, 60_000, 'public');
      hits.push(r.totalHits);
      expect(r.isBlocked).toBe(i >= 4);
      expect(r.timeToExpire).toBeGreaterThan(55);
      expect(r.timeToExpire).toBeLessThanOrEqual(60);
    }
    expect(hits).toEqual([1, 2, 3, 4, 5]);
    const blocked = await replicaB.increment('client-1', 60_000, 4, 60_000, 'public');
    expect(blocked).toMatchObject({ isBlocked: true, totalHits: 6 });
    expect(blocked.timeToBlockExpire).toBe(blocked.timeToExpire);
    // Another client, or another throttler, has a count of its own.
    expect(await replicaA.increment('client-2', 60_000, 4, 60_000, 'public')).toMatchObject({ totalHits: 1, isBlocked: false });
    expect(await replicaA.increment('client-1', 60_000, 4, 60_000, 'other')).toMatchObject({ totalHits: 1, isBlocked: false });
  });

  it('starts a new window once the last one has passed', async () => {
    for (let i = 0; i < 3; i++) await replicaA.increment('client-3', 300, 2, 300, 'public');
    expect((await replicaB.increment('client-3', 300, 2, 300, 'public')).isBlocked).toBe(true);
    await new Promise((r) => setTimeout(r, 350));
    expect(await replicaB.increment('client-3', 300, 2, 300, 'public')).toMatchObject({ totalHits: 1, isBlocked: false });
  });

  it('counts in memory, per replica, when the database cannot answer (the page is not failed for it)', async () => {
    const lost = new PgThrottlerStorage(ds, 'no_such_schema');
    const answers = [];
    for (let i = 0; i < 3; i++) answers.push(await lost.increment('client-4', 60_000, 2, 60_000, 'public'));
    expect(answers.map((a) => [a.totalHits, a.isBlocked])).toEqual([
      [1, false],
      [2, false],
      [3, true],
    ]);
  });
});
