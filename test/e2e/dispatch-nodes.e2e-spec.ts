/**
 * District dispatch nodes: two dispatch instances, one for Chengxi (630104) and one for Chengbei
 * (630105), each with its own database, on the same NATS stream as intake. Each database is made
 * as a real node's is (deploy/k8s/overlays/district-node/migrate): dispatch's migrations, then the demo seed
 * with the node's SERVE_DISTRICTS, so it holds only its district's organisation and routing rules
 * and the city tier. Each node handles only its own district's orders, and its admin API refuses
 * other districts' units and rules; while the Chengbei node is down its orders wait on the stream,
 * and it handles them when it comes back.
 */
import { INestApplication } from '@nestjs/common';
import { Client } from 'pg';
import { unitIdFor } from '../../apps/dispatch/src/org/unit-id';
import { unitCodes } from '../../scripts/demo/xining.seed';
import { DEMO_USERS } from '../../scripts/demo-users';
import { bootDispatchNode, createNodeDatabase, NodeDatabase, Order, U } from './dispatch-helpers';
import { agentFor, bootPlatform, eventually, Platform, submitTicket } from './platform';

jest.setTimeout(180_000);

type Db = NodeDatabase;
let p: Platform;
const dbs: Record<string, Db> = {};
const nodes: Record<string, INestApplication | undefined> = {};

beforeAll(async () => {
  p = await bootPlatform({ only: ['intake'] });
  for (const d of ['630104', '630105']) {
    dbs[d] = await createNodeDatabase(p.env, d);
    nodes[d] = await bootDispatchNode(p.env, dbs[d].url, d);
  }
});
afterAll(async () => {
  for (const d of Object.keys(nodes)) await nodes[d]?.close().catch(() => undefined);
  await p?.close();
  for (const db of Object.values(dbs)) await db.drop();
});

let phone = 0;
async function submit(districtCode: string, categoryCode = 'lift', content = '电梯经常停运'): Promise<string> {
  phone += 1;
  const t = await submitTicket(p, {
    categoryCode,
    content,
    citizen: { name: '李四', phone: `139710${String(phone).padStart(5, '0')}` },
    location: { address: districtCode === '630104' ? '西宁市城西区一小区' : '西宁市城北区一小区', districtCode },
  });
  return t.id;
}

const city = (d: string) => agentFor(nodes[d]!, DEMO_USERS.cityDispatcher);
const dispatched = (d: string, id: string) =>
  eventually<Order>(
    () => city(d).get(`/orders/${id}`),
    (o) => o.state === 'dispatched',
    `order ${id} dispatched by node ${d}`,
  );

async function sql<T extends object>(d: string, text: string): Promise<T[]> {
  const c = new Client({ connectionString: dbs[d].url });
  await c.connect();
  try {
    return (await c.query<T>(text)).rows;
  } finally {
    await c.end();
  }
}

/** The districts of the rows of one of dispatch's tables in node d's database. */
async function districtsHeld(d: string, table = 'work_order'): Promise<string[]> {
  const rows = await sql<{ district_code: string }>(d, `SELECT DISTINCT district_code FROM dispatch.${table} ORDER BY 1`);
  return rows.map((x) => x.district_code);
}

const admin = (d: string) => agentFor(nodes[d]!, DEMO_USERS.admin);
const heating = unitIdFor(unitCodes.utility('heating'));

it("each node's database holds only its district's organisation and routing rules, and the city tier", async () => {
  for (const d of ['630104', '630105']) {
    expect(await districtsHeld(d, 'org_unit')).toEqual(['630100', d]);
    expect(await districtsHeld(d, 'route_rule')).toEqual([d]);
    // The city tier: the city centre and the city utilities, which the district's rules point to.
    const city = await sql<{ kind: string; n: number }>(
      d,
      "SELECT kind, count(*)::int AS n FROM dispatch.org_unit WHERE district_code = '630100' GROUP BY kind ORDER BY kind",
    );
    expect(city).toEqual([
      { kind: 'city_centre', n: 1 },
      { kind: 'utility', n: 4 },
    ]);
    // Every rule points at a unit the node holds.
    const dangling = await sql(
      d,
      'SELECT r.id FROM dispatch.route_rule r LEFT JOIN dispatch.org_unit u ON u.id = r.unit_id WHERE u.id IS NULL',
    );
    expect(dangling).toEqual([]);
  }
});

it('each node handles only its own district, and its database holds only that district', async () => {
  const x = await submit('630104');
  const b = await submit('630105');
  expect((await dispatched('630104', x)).districtCode).toBe('630104');
  expect((await dispatched('630105', b)).districtCode).toBe('630105');
  await city('630104').get(`/orders/${b}`).expect(404);
  await city('630105').get(`/orders/${x}`).expect(404);
  expect(await districtsHeld('630104')).toEqual(['630104']);
  expect(await districtsHeld('630105')).toEqual(['630105']);
});

it("a node routes its district's orders to the city tier too", async () => {
  const b = await submit('630105', 'heating', '家里暖气不热');
  const o = await dispatched('630105', b);
  expect(o.unitId).toBe(heating);
});

it("a node's admin API refuses another district's units and rules, and the city tier's, with 400 on districtCode", async () => {
  const other = [
    admin('630104').post('/org/units', {
      code: '630105001-c09',
      nameZh: '测试社区',
      nameEn: 'Test Community',
      kind: 'community',
      districtCode: '630105',
      streetCode: '630105001',
    }),
    city('630104').post('/routing/rules', { districtCode: '630105', unitId: U.chengbeiMarket, priority: 1 }),
    admin('630105').post('/org/units', {
      code: '630104004-c09',
      nameZh: '测试社区',
      nameEn: 'Test Community',
      kind: 'community',
      districtCode: '630104',
      streetCode: '630104004',
    }),
    city('630105').post('/routing/rules', { districtCode: '630104', unitId: U.market, priority: 1 }),
  ];
  for (const req of other) {
    const res = await req.expect(400);
    expect(res.body.errors).toEqual([
      { field: 'districtCode', reason: expect.stringMatching(/^本派单节点只服务 63010[45].*this dispatch node serves/) },
    ]);
  }
  // The city tier is administered on the city's node: neither a new city unit nor a change to one.
  const cityTier = [
    admin('630104').post('/org/units', {
      code: '630100-utility-telecom',
      nameZh: '电信公司',
      nameEn: 'Telecom',
      kind: 'utility',
      districtCode: '630100',
    }),
    admin('630104').patch(`/org/units/${heating}`, { requiresHeadSignoff: true }),
    city('630104').post('/routing/rules', { districtCode: '630100', unitId: heating, priority: 1 }),
  ];
  for (const req of cityTier) {
    const res = await req.expect(400);
    expect(res.body.errors).toEqual([
      { field: 'districtCode', reason: expect.stringContaining("administered on the city's dispatch node") },
    ]);
  }
  // Its own district it administers, rules to the city tier included.
  await admin('630104')
    .post('/org/units', {
      code: '630104004-c09',
      nameZh: '测试社区',
      nameEn: 'Test Community',
      kind: 'community',
      districtCode: '630104',
      streetCode: '630104004',
      parentId: U.shengli,
    })
    .expect(201);
  await city('630104')
    .post('/routing/rules', { districtCode: '630104', categoryPrefix: 'heating.fee', unitId: heating, priority: 120 })
    .expect(201);
  expect(await districtsHeld('630104', 'org_unit')).toEqual(['630100', '630104']);
  expect(await districtsHeld('630104', 'route_rule')).toEqual(['630104']);
  expect(await districtsHeld('630105', 'org_unit')).toEqual(['630100', '630105']);
  expect(await districtsHeld('630105', 'route_rule')).toEqual(['630105']);
  expect((await admin('630104').get(`/org/units/${heating}`).expect(200)).body.requiresHeadSignoff).toBe(false);
});

it('orders of a district whose node is down wait, and are handled when it comes back', async () => {
  await nodes['630105']!.close();
  nodes['630105'] = undefined;
  const waiting = [await submit('630105'), await submit('630105')];
  const x = await submit('630104');
  await dispatched('630104', x); // the other node carries on
  const c = new Client({ connectionString: dbs['630105'].url });
  await c.connect();
  const none = await c.query('SELECT 1 FROM dispatch.work_order WHERE ticket_id = ANY($1)', [waiting]);
  await c.end();
  expect(none.rowCount).toBe(0);

  nodes['630105'] = await bootDispatchNode(p.env, dbs['630105'].url, '630105');
  for (const id of waiting) expect((await dispatched('630105', id)).districtCode).toBe('630105');
  expect(await districtsHeld('630105')).toEqual(['630105']);
  expect(await districtsHeld('630104')).toEqual(['630104']);
});
