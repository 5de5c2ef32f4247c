import 'reflect-metadata';
import { standaloneTxHost } from '@app/platform';
import { createTestDatabase, migratedDataSource } from '@app/platform/testing';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { ANALYTICS_PERSISTENCE } from '../analytics.persistence';
import { Hotspot } from './hotspot.entity';
import { HotspotsRepository } from './hotspots.repository';

/** Storing a detection run on the real analytics schema (its migrations applied). */
describe('HotspotsRepository.upsertAll', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let ds: DataSource;
  let repo: HotspotsRepository;

  const windowStart = new Date('2026-03-09T16:00:00Z');
  const windowEnd = new Date('2026-03-16T16:00:00Z');
  const cell = (cellKey: string, ticketCount: number, categoryCode = 'lift'): Hotspot =>
    Object.assign(new Hotspot(), {
      id: randomUUID(),
      categoryCode,
      districtCode: '630104',
      streetCode: '630104004',
      cellKey,
      centerLat: 36.62,
      centerLng: 101.77,
      radiusM: 354,
      windowStart,
      windowEnd,
      ticketCount,
      previousCount: 1,
      rising: true,
      seasonalYears: 0,
      status: 'detected',
      detectedAt: new Date('2026-03-17T01:00:00Z'),
      decidedBy: null,
      decidedAt: null,
    } satisfies Hotspot);

  beforeAll(async () => {
    db = await createTestDatabase();
    ds = await migratedDataSource(db.url, 'analytics', ANALYTICS_PERSISTENCE);
    repo = new HotspotsRepository(standaloneTxHost(ds));
  });

  afterAll(async () => {
    await ds?.destroy();
    await db?.drop();
  });

  it('stores nothing for no cells', async () => {
    await expect(repo.upsertAll([])).resolves.toEqual([]);
    expect(await ds.getRepository(Hotspot).count()).toBe(0);
  });

  it('stores a run in one go and returns the rows in the order given', async () => {
    const run = [cell('500:1:1', 5), cell('500:1:2', 4), cell('500:1:1', 3, 'noise')];
    const stored = await repo.upsertAll(run);
    expect(stored.map((h) => [h.categoryCode, h.cellKey, h.ticketCount])).toEqual([
      ['lift', '500:1:1', 5],
      ['lift', '500:1:2', 4],
      ['noise', '500:1:1', 3],
    ]);
    expect(stored.map((h) => h.id)).toEqual(run.map((h) => h.id));
  });

  it('keeps the id and decision of a cell detected again for the same window, with fresh counts', async () => {
    const [first] = await repo.upsertAll([cell('500:7:7', 3)]);
    await ds.getRepository(Hotspot).update({ id: first.id }, { status: 'dismissed', decidedBy: 'supervisor-1', decidedAt: new Date() });

    const again = await repo.upsertAll([cell('500:7:8', 6), cell('500:7:7', 4)]);

    expect(again[1]).toEqual(expect.objectContaining({ id: first.id, cellKey: '500:7:7', ticketCount: 4, status: 'dismissed' }));
    expect(again[1].decidedBy).toBe('supervisor-1');
    expect(again[0]).toEqual(expect.objectContaining({ cellKey: '500:7:8', ticketCount: 6, status: 'detected' }));
    expect(again[0].id).not.toBe(first.id);
    expect(await ds.getRepository(Hotspot).countBy({ cellKey: '500:7:7' })).toBe(1);
  });
});
