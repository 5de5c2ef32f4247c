/**
 * Demo data, in two layers. Idempotent: existing rows are kept.
 *   seedDemo         the Xining organisation (districts by GB/T 2260 code, streets and townships,
 *                    departments, utilities) and a default routing table, into dispatch's schema. The
 *                    end-to-end tests' template database holds exactly this.
 *   seedDemoStories  what `npm start` (and compose's migrate step) adds so the seed stories of the
 *                    domain brief play as they happened: Chengxi's lift complaints routed to the
 *                    market-regulation resident desk (常驻专席), whose liaison assigns two inspectors;
 *                    knowledge-base articles (intake's schema) for first-contact answers.
 * The script runs both. It reads the dispatch service's variables, validated as the service does:
 *   DATABASE_URL     the database (default postgres://postgres@127.0.0.1:5432/jiesu)
 *   SERVE_DISTRICTS  a district dispatch node's codes (e.g. 630104): only those districts' units and
 *                    routing rules, plus the city tier (the city centre and the city utilities, which
 *                    the districts' rules point to). Empty: the whole organisation (the city's node).
 */
import { databaseOptions, loadConfig, processEnv } from '@app/platform';
import { createHash } from 'node:crypto';
import { DataSource } from 'typeorm';
import { DispatchConfig } from '../apps/dispatch/src/dispatch.config';
import { DISPATCH_PERSISTENCE } from '../apps/dispatch/src/dispatch.persistence';
import { seedMembers } from './demo/member.seed';
import { unitIdFor } from '../apps/dispatch/src/org/unit-id';
import { CITY, seedXiningOrganisation, unitCodes } from './demo/xining.seed';
import { RouteRule } from '../apps/dispatch/src/routing/route-rule.entity';
import { searchTokens } from '../apps/intake/src/classification/text';
import { INTAKE_PERSISTENCE } from '../apps/intake/src/intake.persistence';
import { KbArticle } from '../apps/intake/src/knowledge/kb-article.entity';
import { DEMO_USERS } from './demo-users';

export interface SeedResult {
  districts: string[];
  units: number;
  rules: number;
  /** Districts whose units or rules the database holds although the node does not serve them (seeded before). */
  foreign: string[];
}

export async function seedDemo(url: string, districts: string[] = []): Promise<SeedResult> {
  const ds = new DataSource(databaseOptions(url, 'dispatch', DISPATCH_PERSISTENCE, 2));
  await ds.initialize();
  try {
    const seeded = await ds.transaction(async (m) => {
      const org = await seedXiningOrganisation(m, districts);
      // The demo people are members of their units, so a unit may assign orders to them.
      await seedMembers(m, Object.values(DEMO_USERS));
      return org;
    });
    let foreign: string[] = [];
    if (districts.length) {
      const rows: { district_code: string }[] = await ds.query(
        `SELECT district_code FROM dispatch.org_unit WHERE NOT district_code = ANY($1)
         UNION SELECT district_code FROM dispatch.route_rule WHERE NOT district_code = ANY($2) ORDER BY 1`,
        [[...districts, CITY.code], districts],
      );
      foreign = rows.map((r) => r.district_code);
    }
    return { districts, ...seeded, foreign };
  } finally {
    await ds.destroy();
  }
}

/** The Chengxi lift story (domain.md): lift matters in Chengxi go to the market-regulation resident desk. */
export const CHENGXI_LIFT_DESK_RULE = {
  id: unitIdFor('rule:630104:lift:*:desk_market_regulation'),
  districtCode: '630104',
  unitCode: unitCodes.residentDesk('630104', 'market_regulation'),
};

function storyRules(): RouteRule[] {
  return [
    Object.assign(new RouteRule(), {
      id: CHENGXI_LIFT_DESK_RULE.id,
      districtCode: CHENGXI_LIFT_DESK_RULE.districtCode,
      categoryPrefix: 'lift',
      streetCode: null,
      requestType: null,
      urgency: null,
      flag: null,
      unitId: unitIdFor(CHENGXI_LIFT_DESK_RULE.unitCode),
      // above the district's "lift → Market Regulation Bureau" (100), below street matters (150)
      priority: 120,
      active: true,
      note: 'lift → 市场监管局驻城西区中心专席 market-regulation resident desk (the Chengxi lift story)',
    }),
  ];
}

/** Knowledge-base articles an operator can answer from at first contact (demo texts). */
export const DEMO_ARTICLES: { key: string; title: string; body: string; categoryCodes: string[] }[] = [
  {
    key: 'heating-period',
    title: '西宁市供暖期起止时间',
    body: '西宁市城区集中供暖期为每年10月15日至次年4月15日。供暖期内室温应不低于18℃；暖气不热可拨打供热公司客服电话报修，或拨打12345登记。（演示知识，以本市现行规定为准）',
    categoryCodes: ['heating'],
  },
  {
    key: 'heating-fee-refund',
    title: '采暖费退费办理',
    body: '停供或未达到供暖标准的，可向供热公司申请退还相应采暖费，携带缴费凭证和身份证到营业厅办理；供热公司应在受理后3个工作日内办结并答复。（演示知识，以本市现行规定为准）',
    categoryCodes: ['heating.fee.refund'],
  },
  {
    key: 'lift-trapped',
    title: '电梯困人或运行异常怎么办',
    body: '被困电梯时请保持冷静，按下轿厢内的警铃或拨打轿厢内张贴的96333电梯应急救援电话，不要扒门。电梯忽上忽下、异响等运行异常，请立即停止使用并告知物业和维保单位；由市场监管部门督促检查。（演示知识）',
    categoryCodes: ['lift'],
  },
  {
    key: 'wage-arrears',
    title: '被拖欠工资如何维权',
    body: '用人单位拖欠工资的，劳动者可向用工所在地人力资源和社会保障局劳动保障监察机构投诉，提供劳动合同、考勤或工资条等材料；也可申请劳动争议仲裁。农民工工资拖欠可直接拨打12345反映。（演示知识）',
    categoryCodes: ['wage_arrears'],
  },
  {
    key: 'child-tickets',
    title: '景区儿童门票优惠',
    body: '6周岁（含）以下或身高1.2米（含）以下的儿童免票，6周岁以上18周岁以下未成年人半价。景区拒不执行的，可向景区所在地文体旅游部门投诉。（演示知识，以景区公示为准）',
    categoryCodes: ['tourism'],
  },
];

/** A stable id for a demo article, in the v4 layout the API's ids have (articleId is checked as one). */
export function articleIdFor(key: string): string {
  const h = createHash('sha1').update(`jiesu-kb-article:${key}`).digest();
  h[6] = (h[6] & 0x0f) | 0x40;
  h[8] = (h[8] & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}

export interface StoriesResult {
  rules: number;
  articles: number;
}

/**
 * The demo stories' data (see the header): routing rules for the districts the node serves (all when
 * `districts` is empty) and, when `withArticles`, intake's knowledge-base articles.
 */
export async function seedDemoStories(url: string, districts: string[] = [], withArticles = true): Promise<StoriesResult> {
  const rules = storyRules().filter((r) => districts.length === 0 || districts.includes(r.districtCode));
  const dispatch = new DataSource(databaseOptions(url, 'dispatch', DISPATCH_PERSISTENCE, 2));
  await dispatch.initialize();
  try {
    if (rules.length) await dispatch.createQueryBuilder().insert().into(RouteRule).values(rules).orIgnore().execute();
  } finally {
    await dispatch.destroy();
  }
  if (!withArticles) return { rules: rules.length, articles: 0 };
  const articles = DEMO_ARTICLES.map((a) =>
    Object.assign(new KbArticle(), {
      id: articleIdFor(a.key),
      title: a.title,
      body: a.body,
      categoryCodes: a.categoryCodes,
      validFrom: null,
      validTo: null,
      searchText: searchTokens(`${a.title} ${a.body}`).join(' '),
      createdBy: 'seed-demo',
    }),
  );
  const intake = new DataSource(databaseOptions(url, 'intake', INTAKE_PERSISTENCE, 2));
  await intake.initialize();
  try {
    await intake.createQueryBuilder().insert().into(KbArticle).values(articles).orIgnore().execute();
  } finally {
    await intake.destroy();
  }
  return { rules: rules.length, articles: articles.length };
}

/** What the script does: seed the database of DATABASE_URL for the node of SERVE_DISTRICTS. */
export async function seedDemoFromEnv(env: Record<string, string | undefined> = processEnv()): Promise<SeedResult> {
  const config = loadConfig(DispatchConfig, env);
  return seedDemo(config.DATABASE_URL, config.SERVE_DISTRICTS);
}

async function main(): Promise<void> {
  const r = await seedDemoFromEnv();
  const own = r.districts.filter((d) => d !== CITY.code);
  const scope = r.districts.length ? `districts ${own.join(', ')} and the city tier` : 'the whole organisation';
  console.log(`demo organisation loaded (${scope}): ${r.units} units, ${r.rules} routing rules (existing rows kept)`);
  if (r.foreign.length) {
    console.warn(
      `warning: this database also holds units or routing rules of ${r.foreign.join(', ')}, which this node does not serve ` +
        '(loaded before); see docs/operations.md#district-dispatch-nodes',
    );
  }
  // A district node's database has no intake schema: the articles go with the city's seed only.
  const config = loadConfig(DispatchConfig, processEnv());
  const stories = await seedDemoStories(config.DATABASE_URL, config.SERVE_DISTRICTS, config.SERVE_DISTRICTS.length === 0);
  console.log(
    `demo stories loaded: ${stories.rules} routing rule(s) (Chengxi lifts → the market-regulation resident desk), ` +
      `${stories.articles} knowledge-base articles (existing rows kept)`,
  );
}

if (require.main === module) {
  main().catch((e: Error) => {
    console.error(e.message);
    process.exit(1);
  });
}
