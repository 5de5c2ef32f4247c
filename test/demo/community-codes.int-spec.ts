import 'reflect-metadata';
import { databaseOptions, ensureSchema } from '@app/platform';
import { createTestDatabase } from '@app/platform/testing';
import { DataSource } from 'typeorm';
import { DISPATCH_PERSISTENCE } from '../../apps/dispatch/src/dispatch.persistence';
import { CommunityCodes1796600000000 } from '../../apps/dispatch/src/migrations/1796600000000-CommunityCodes';
import { OrgUnit } from '../../apps/dispatch/src/org/org-unit.entity';
import { unitIdFor } from '../../apps/dispatch/src/org/unit-id';
import { COMMUNITIES, LEGACY_COMMUNITY_CODES, seedXiningOrganisation, unitIdOf } from '../../scripts/demo/xining.seed';

/**
 * dispatch's migration CommunityCodes on a database seeded before communities carried twelve-digit
 * codes: the three community units are renamed in place with their ids, and the seed run afterwards
 * adds the other communities without a second row for those three.
 */
describe('community units get their twelve-digit codes (migration CommunityCodes)', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let ds: DataSource;
  const before = DISPATCH_PERSISTENCE.migrations.filter((m) => m !== CommunityCodes1796600000000);
  const chengxi = (q: string, p: unknown[] = []) => ds.query(q, p);

  beforeAll(async () => {
    db = await createTestDatabase();
    // The schema as it was before the migration, with the organisation the old seed wrote.
    ds = new DataSource(databaseOptions(db.url, 'dispatch', { ...DISPATCH_PERSISTENCE, migrations: before }, 2));
    await ds.initialize();
    await ensureSchema(ds, 'dispatch');
    await ds.runMigrations({ transaction: 'each' });
    await seedXiningOrganisation(ds.manager, ['630104', '630105']);
    // The old seed's three communities: codes `<street>-cNN`, ids derived from those codes.
    await chengxi(`DELETE FROM org_unit WHERE kind = 'community'`);
    for (const [code, legacy] of Object.entries(LEGACY_COMMUNITY_CODES)) {
      await chengxi(
        `INSERT INTO org_unit (id, code, name_zh, name_en, kind, district_code, street_code, parent_id)
         VALUES ($1, $2, $3, 'old', 'community', $4, $5, $6)`,
        [unitIdFor(legacy), legacy, `旧${code}`, code.slice(0, 6), code.slice(0, 9), unitIdFor(code.slice(0, 9))],
      );
    }
    // A unit an administrator made by hand with some other code is no business of the migration.
    await chengxi(
      `INSERT INTO org_unit (id, code, name_zh, name_en, kind, district_code, street_code, parent_id)
       VALUES ($1, '630104005-c01', '手建社区', 'by hand', 'community', '630104', '630104005', $2)`,
      [unitIdFor('630104005-c01'), unitIdFor('630104005')],
    );
    await ds.destroy();
    ds = new DataSource(databaseOptions(db.url, 'dispatch', DISPATCH_PERSISTENCE, 2));
    await ds.initialize();
  });

  afterAll(async () => {
    await ds?.destroy();
    await db?.drop();
  });

  const communities = async () =>
    (await chengxi(`SELECT id, code, name_zh FROM org_unit WHERE kind = 'community' ORDER BY code`)) as {
      id: string;
      code: string;
      name_zh: string;
    }[];

  it('renames the three codes in place and keeps their ids; leaves other codes alone', async () => {
    await ds.runMigrations({ transaction: 'each' });
    const rows = await communities();
    expect(rows.map((r) => [r.code, r.id])).toEqual([
      ['630104004001', unitIdFor('630104004-c01')],
      ['630104004002', unitIdFor('630104004-c02')],
      ['630104005-c01', unitIdFor('630104005-c01')],
      ['630105001001', unitIdFor('630105001-c01')],
    ]);
  });

  it('the seed afterwards adds the other communities, one row per code, ids as a fresh seed gives them', async () => {
    await seedXiningOrganisation(ds.manager, ['630104', '630105']);
    const rows = await communities();
    const expected = COMMUNITIES.filter((c) => c.code.startsWith('630104') || c.code.startsWith('630105')).map((c) => c.code);
    expect(rows.map((r) => r.code)).toEqual([...expected, '630104005-c01'].sort());
    for (const r of rows.filter((x) => x.code !== '630104005-c01')) expect(r.id).toBe(unitIdOf(r.code));
    // The renamed rows are kept as they were (the seed never overwrites): their names stay.
    expect(rows.find((r) => r.code === '630104004001')?.name_zh).toBe('旧630104004001');
    const again = await seedXiningOrganisation(ds.manager, ['630104', '630105']);
    expect(again.units).toBeGreaterThan(0);
    expect(await communities()).toHaveLength(rows.length);
    expect(await ds.getRepository(OrgUnit).countBy({ parentId: unitIdFor('630104004') })).toBe(4);
  });

  it('down renames them back', async () => {
    const runner = ds.createQueryRunner();
    await new CommunityCodes1796600000000().down(runner);
    await runner.release();
    const codes = (await communities()).map((r) => r.code);
    expect(codes).toEqual(expect.arrayContaining(['630104004-c01', '630104004-c02', '630105001-c01', '630104004003']));
    expect(codes).not.toContain('630104004001');
  });
});
