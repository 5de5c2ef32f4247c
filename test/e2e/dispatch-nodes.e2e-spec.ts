/**
 * District dispatch nodes: two dispatch instances, one for Chengxi (630104) and one for Chengbei
 * (630105), each with its own database, on the same NATS stream as intake. Each handles only its own
 * district's orders; while the Chengbei node is down its orders wait on the stream, and it handles
 * them when it comes back.
 */
import { configureServiceApp, loadConfig } from '@app/platform';
import { createTestDatabase } from '@app/platform/testing';
import { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { Client } from 'pg';
import { DispatchConfig } from '../../apps/dispatch/src/dispatch.config';
import { DispatchModule } from '../../apps/dispatch/src/dispatch.module';
import { DEMO_USERS } from '../../scripts/demo-users';
import { agentFor, Order } from './dispatch-helpers';
import { bootPlatform, eventually, Platform } from './platform';

jest.setTimeout(180_000);

type Db = Awaited<ReturnType<typeof createTestDatabase>>;
let p: Platform;
const dbs: Record<string, Db> = {};
const nodes: Record<string, INestApplication | undefined> = {};

async function bootNode(district: string): Promise<INestApplication> {
  const config = loadConfig(DispatchConfig, { ...p.env, DATABASE_URL: dbs[district].url, SERVE_DISTRICTS: district });
  const ref = await Test.createTestingModule({ imports: [DispatchModule.forRoot(config)] }).compile();
  const app = ref.createNestApplication({ logger: ['error', 'warn'] });
  configureServiceApp(app, config, { service: 'dispatch', title: 'dispatch', description: `dispatch node ${district}` });
  await app.startAllMicroservices();
  await app.init();
  return app;
}

beforeAll(async () => {
  p = await bootPlatform({ only: ['intake'] });
  for (const d of ['630104', '630105']) {
    dbs[d] = await createTestDatabase(process.env.JIESU_E2E_TEMPLATE);
    nodes[d] = await bootNode(d);
  }
});
afterAll(async () => {
  for (const d of Object.keys(nodes)) await nodes[d]?.close().catch(() => undefined);
  await p?.close();
  for (const db of Object.values(dbs)) await db.drop();
});

let phone = 0;
async function submit(districtCode: string): Promise<string> {
  phone += 1;
  const res = await p
    .as('operator', 'intake')
    .post('/tickets', {
      channel: 'phone_12345',
      requestType: 'complaint',
      categoryCode: 'lift',
      content: '电梯经常停运',
      citizen: { name: '李四', phone: `139710${String(phone).padStart(5, '0')}` },
      location: { address: districtCode === '630104' ? '西宁市城西区一小区' : '西宁市城北区一小区', districtCode },
    })
    .expect(201);
  return (res.body as { id: string }).id;
}

const city = (d: string) => agentFor(nodes[d]!, DEMO_USERS.cityDispatcher);
const dispatched = (d: string, id: string) =>
  eventually<Order>(
    () => city(d).get(`/orders/${id}`),
    (o) => o.state === 'dispatched',
    `order ${id} dispatched by node ${d}`,
  );

async function districtsHeld(d: string): Promise<string[]> {
  const c = new Client({ connectionString: dbs[d].url });
  await c.connect();
  const r = await c.query<{ district_code: string }>('SELECT DISTINCT district_code FROM dispatch.work_order ORDER BY 1');
  await c.end();
  return r.rows.map((x) => x.district_code);
}

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

  nodes['630105'] = await bootNode('630105');
  for (const id of waiting) expect((await dispatched('630105', id)).districtCode).toBe('630105');
  expect(await districtsHeld('630105')).toEqual(['630105']);
  expect(await districtsHeld('630104')).toEqual(['630104']);
});
