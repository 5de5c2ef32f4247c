import 'reflect-metadata';
import { RequestType, Urgency } from '@app/contracts';
import { databaseOptions, ensureSchema, standaloneTxHost } from '@app/platform';
import { createTestDatabase } from '@app/platform/testing';
import { DataSource } from 'typeorm';
import { DISPATCH_PERSISTENCE } from '../../apps/dispatch/src/dispatch.persistence';
import { OrgUnit } from '../../apps/dispatch/src/org/org-unit.entity';
import { unitIdFor } from '../../apps/dispatch/src/org/unit-id';
import { unitCodes } from '../../scripts/demo/xining.seed';
import { RoutingRepository } from '../../apps/dispatch/src/routing/routing.repository';
import { INTAKE_PERSISTENCE } from '../../apps/intake/src/intake.persistence';
import { KnowledgeRepository } from '../../apps/intake/src/knowledge/knowledge.repository';
import { searchTokens } from '../../apps/intake/src/classification/text';
import { DEMO_USERS } from '../../scripts/demo-users';
import { DEMO_ARTICLES, seedDemo, seedDemoStories } from '../../scripts/seed-demo';

/** What `npm start` loads: the organisation, then the demo stories, on migrated schemas. */
describe('demo data (scripts/seed-demo.ts)', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let dispatch: DataSource;
  let intake: DataSource;

  const lift = (districtCode: string, streetCode: string | null) =>
    new RoutingRepository(standaloneTxHost(dispatch)).bestMatch({
      districtCode,
      categoryCode: 'lift.fault',
      streetCode,
      requestType: RequestType.Complaint,
      urgency: Urgency.Ordinary,
      flags: [],
    });

  beforeAll(async () => {
    db = await createTestDatabase();
    dispatch = new DataSource(databaseOptions(db.url, 'dispatch', DISPATCH_PERSISTENCE, 2));
    intake = new DataSource(databaseOptions(db.url, 'intake', INTAKE_PERSISTENCE, 2));
    for (const [ds, schema] of [
      [dispatch, 'dispatch'],
      [intake, 'intake'],
    ] as const) {
      await ds.initialize();
      await ensureSchema(ds, schema);
      await ds.runMigrations({ transaction: 'each' });
    }
  });

  afterAll(async () => {
    await dispatch?.destroy();
    await intake?.destroy();
    await db?.drop();
  });

  it('without the stories (the e2e template), a Chengxi lift goes to the market-regulation bureau', async () => {
    await seedDemo(db.url);
    const match = await lift('630104', '630104004');
    expect(match?.unit.code).toBe(unitCodes.department('630104', 'market_regulation'));
  });

  it('with them, a Chengxi lift goes to the resident desk; Chengbei keeps its bureau; loading twice changes nothing', async () => {
    await expect(seedDemoStories(db.url)).resolves.toEqual({ rules: 1, articles: DEMO_ARTICLES.length });
    await expect(seedDemoStories(db.url)).resolves.toEqual({ rules: 1, articles: DEMO_ARTICLES.length });
    const chengxi = await lift('630104', '630104004');
    expect(chengxi?.unit.code).toBe(unitCodes.residentDesk('630104', 'market_regulation'));
    expect(chengxi?.unit.kind).toBe('resident_desk');
    const chengbei = await lift('630105', '630105001');
    expect(chengbei?.unit.code).toBe(unitCodes.department('630105', 'market_regulation'));
    const [{ n }] = await intake.query<{ n: string }[]>('SELECT count(*) AS n FROM intake.kb_article');
    expect(Number(n)).toBe(DEMO_ARTICLES.length);
  });

  it('a district node without intake gets the rule of its district only, and no articles', async () => {
    await expect(seedDemoStories(db.url, ['630105'], false)).resolves.toEqual({ rules: 0, articles: 0 });
  });

  it('answers the README’s knowledge-base question with the heating article', async () => {
    const words = searchTokens('暖气什么时候开始').filter((w) => /^[\p{Script=Han}a-z0-9]+$/u.test(w));
    const found = await new KnowledgeRepository(standaloneTxHost(intake)).search(words, null, '2026-12-05', false, 10);
    expect(found[0]?.title).toBe('西宁市供暖期起止时间');
  });

  it('every unit a demo person belongs to exists in the demo organisation', async () => {
    const unitIds = [...new Set(Object.values(DEMO_USERS).flatMap((u) => u.units))];
    const rows = await dispatch.getRepository(OrgUnit).findBy(unitIds.map((id) => ({ id })));
    expect(rows.map((r) => r.id).sort()).toEqual(unitIds.sort());
    // and the desk's liaison and its two inspectors are there, with distinct ids throughout
    expect(DEMO_USERS.deskMarket.units).toEqual([unitIdFor(unitCodes.residentDesk('630104', 'market_regulation'))]);
    expect([DEMO_USERS.inspectorMarket1.id, DEMO_USERS.inspectorMarket2.id]).toEqual(['insp-630104-market-1', 'insp-630104-market-2']);
    const ids = Object.values(DEMO_USERS).map((u) => u.id);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
