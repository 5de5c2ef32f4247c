import 'reflect-metadata';
import { CATEGORY_CATALOGUE, RequestType, TicketFlag, Urgency } from '@app/contracts';
import { databaseOptions, ensureSchema, standaloneTxHost } from '@app/platform';
import { createTestDatabase } from '@app/platform/testing';
import { DataSource } from 'typeorm';
import { DISPATCH_PERSISTENCE } from '../../apps/dispatch/src/dispatch.persistence';
import { OrgUnit } from '../../apps/dispatch/src/org/org-unit.entity';
import { unitIdFor } from '../../apps/dispatch/src/org/unit-id';
import { DISTRICTS, unitCodes } from '../../scripts/demo/xining.seed';
import { randomUUID } from 'node:crypto';
import { RoutingRepository } from '../../apps/dispatch/src/routing/routing.repository';
import { bestRoute } from '../../apps/dispatch/src/routing/route-match';
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

  const lift = async (districtCode: string, streetCode: string | null) =>
    bestRoute(await new RoutingRepository(standaloneTxHost(dispatch)).activeRules(districtCode), {
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

  it("routes as the SQL it replaced did: bestRoute over the district's rules against the old query, 3,000 orders", async () => {
    // The demo's rules, and in one district rules that differ only in what they narrow by, tied on
    // priority, so that every step of the order decides somewhere.
    const chengxi = DISTRICTS.find((d) => d.code === '630104')!;
    // Few categories and streets, so that rules often apply together and tie.
    const streets = chengxi.streets.slice(0, 2).map(([suffix]) => `${chengxi.code}${suffix}`);
    const units: { id: string }[] = await dispatch.query(
      `SELECT id FROM dispatch.org_unit WHERE active AND district_code = '630104' LIMIT 8`,
    );
    const codes = CATEGORY_CATALOGUE.map((c) => c.code);
    const few = codes.filter((c) => c.includes('.')).slice(0, 3);
    let seed = 17;
    const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), Math.floor((seed / 2 ** 31) * n));
    const pick = <T>(xs: readonly T[]): T => xs[rnd(xs.length)];
    const maybe = <T>(x: T): T | null => (rnd(2) ? x : null);
    for (let i = 0; i < 60; i++) {
      const code = pick(few);
      await dispatch.query(
        `INSERT INTO dispatch.route_rule (id, district_code, category_prefix, street_code, request_type, urgency, flag, unit_id, priority, active)
         VALUES ($1, '630104', $2, $3, $4, $5, $6, $7, $8, $9)`,
        [
          randomUUID(),
          maybe(rnd(2) ? code : code.split('.')[0]),
          maybe(pick(streets)),
          maybe(pick(Object.values(RequestType))),
          maybe(pick(Object.values(Urgency))),
          maybe(pick(Object.values(TicketFlag))),
          pick(units).id,
          pick([100, 150, 150, 150, 200]),
          rnd(10) > 0,
        ],
      );
    }
    const repo = new RoutingRepository(standaloneTxHost(dispatch));
    const rulesOf = new Map<string, Awaited<ReturnType<RoutingRepository['activeRules']>>>();
    for (const d of DISTRICTS) rulesOf.set(d.code, await repo.activeRules(d.code));
    let routed = 0;
    for (let i = 0; i < 3000; i++) {
      const local = i % 2 === 0;
      const d = local ? chengxi : pick(DISTRICTS);
      const q = {
        districtCode: d.code,
        categoryCode: local && rnd(4) ? pick(few) : pick(codes),
        streetCode: local && rnd(4) ? pick(streets) : rnd(4) ? `${d.code}${pick(d.streets)[0]}` : null,
        requestType: pick(Object.values(RequestType)),
        urgency: pick(Object.values(Urgency)),
        flags: Object.values(TicketFlag).filter(() => rnd(3) === 0),
      };
      const ours = bestRoute(rulesOf.get(d.code)!, q)?.rule.id ?? null;
      expect({ q, rule: ours }).toEqual({ q, rule: await sqlBestRule(q) });
      if (ours) routed++;
    }
    expect(routed).toBeGreaterThan(2000);
  });

  /** The statement that routed every order until bestRoute (dispatch's RoutingRepository.bestMatch). */
  async function sqlBestRule(q: {
    districtCode: string;
    categoryCode: string;
    streetCode: string | null;
    requestType: string;
    urgency: string;
    flags: string[];
  }): Promise<string | null> {
    const rows: { id: string }[] = await dispatch.query(
      `SELECT r.id FROM dispatch.route_rule r JOIN dispatch.org_unit u ON u.id = r.unit_id AND u.active
        WHERE r.active AND r.district_code = $1
          AND (r.category_prefix IS NULL OR $2 = r.category_prefix OR $2 LIKE r.category_prefix || '.%')
          AND (r.street_code IS NULL OR r.street_code = $3)
          AND (r.request_type IS NULL OR r.request_type = $4)
          AND (r.urgency IS NULL OR r.urgency = $5)
          AND (r.flag IS NULL OR r.flag = ANY($6))
        ORDER BY r.priority DESC,
                 (r.category_prefix IS NOT NULL) DESC,
                 (r.street_code IS NOT NULL) DESC,
                 (r.request_type IS NOT NULL)::int + (r.urgency IS NOT NULL)::int + (r.flag IS NOT NULL)::int DESC,
                 r.id ASC
        LIMIT 1`,
      [q.districtCode, q.categoryCode, q.streetCode ?? '', q.requestType, q.urgency, q.flags],
    );
    return rows[0]?.id ?? null;
  }
});
