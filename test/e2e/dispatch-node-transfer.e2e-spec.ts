/**
 * 转区 between dispatch nodes: the city's node (630100: orders intake could not place) and Chengbei's
 * (630105), each with its own database made as a node's is (only its district and the city tier),
 * on one NATS stream. The city hands an order to Chengbei: it
 * leaves the city node (kept there as `transferred`) and Chengbei's node takes it over from the bus
 * and routes it. Chengbei sends a returned order back: the city node wakes its row up again.
 */
import { INestApplication } from '@nestjs/common';
import { Client } from 'pg';
import { unitIdFor } from '../../apps/dispatch/src/org/unit-id';
import { unitCodes } from '../../scripts/demo/xining.seed';
import { DEMO_USERS } from '../../scripts/demo-users';
import { bootDispatchNode, createNodeDatabase, NodeDatabase, Order, USERS } from './dispatch-helpers';
import { agentFor, bootPlatform, eventually, Platform, submitTicket } from './platform';

jest.setTimeout(180_000);

type Db = NodeDatabase;
let p: Platform;
const dbs: Record<string, Db> = {};
const nodes: Record<string, INestApplication> = {};

beforeAll(async () => {
  p = await bootPlatform({ only: ['intake'] });
  for (const d of ['630100', '630105']) {
    dbs[d] = await createNodeDatabase(p.env, d);
    nodes[d] = await bootDispatchNode(p.env, dbs[d].url, d);
  }
});
afterAll(async () => {
  for (const n of Object.values(nodes)) await n.close().catch(() => undefined);
  await p?.close();
  for (const db of Object.values(dbs)) await db.drop();
});

const XIAOQIAO = unitIdFor(unitCodes.street('630105002'));
const city = (d: string) => agentFor(nodes[d], DEMO_USERS.cityDispatcher);
const chengbei = () => agentFor(nodes['630105'], DEMO_USERS.dispatcherChengbei);
const street = () => agentFor(nodes['630105'], USERS.bStreet);
const until = (d: string, id: string, state: string) =>
  eventually<Order & { transferredTo: string | null }>(
    () => city(d).get(`/orders/${id}`),
    (o) => o.state === state,
    `order ${id} ${state} on node ${d}`,
  );

async function rows(d: string, id: string): Promise<{ district_code: string; state: string }[]> {
  const c = new Client({ connectionString: dbs[d].url });
  await c.connect();
  const r = await c.query<{ district_code: string; state: string }>(
    'SELECT district_code, state FROM dispatch.work_order WHERE ticket_id = $1',
    [id],
  );
  await c.end();
  return r.rows;
}

let id: string;

it('the city node hands an order to Chengbei’s node, which takes it over from the bus and routes it', async () => {
  ({ id } = await submitTicket(p, {
    categoryCode: 'noise',
    content: '附近工地夜间施工',
    citizen: { name: '马晓燕', phone: '13997012345' },
    location: { address: '我家附近的工地' },
  }));
  await until('630100', id, 'unrouted');
  expect(await rows('630105', id)).toEqual([]);

  const moved = await city('630100')
    .post(`/orders/${id}/transfer-district`, { districtCode: '630105', streetCode: '630105002', reason: '来电人补充地址：城北区小桥大街' })
    .expect(200);
  expect(moved.body).toMatchObject({ state: 'transferred', districtCode: '630100', transferredTo: '630105', unitId: null });

  const o = await until('630105', id, 'dispatched');
  expect(o).toMatchObject({ districtCode: '630105', unitId: XIAOQIAO, cycle: 1 });
  expect(o.timeline.map((t) => t.action)).toEqual(['receive_district', 'dispatch']);
  expect(o.timeline[0]).toMatchObject({ actor: 'system:dispatch', fromState: 'transferred', toState: 'unrouted' });
  expect(o.timeline[0].note).toContain('630100');
  // Each node's database holds the order under its own district only.
  expect(await rows('630100', id)).toEqual([{ district_code: '630100', state: 'transferred' }]);
  expect(await rows('630105', id)).toEqual([{ district_code: '630105', state: 'dispatched' }]);
  // The transferred order is out of the city dispatcher's queue.
  const queue = (await city('630100').get('/orders/queue').expect(200)).body as Order[];
  expect(queue.map((x) => x.ticketId)).not.toContain(id);
  // intake moved it too: Chengbei's dispatcher may reveal the citizen.
  await eventually(
    () => p.as('dispatcherChengbei', 'intake').post(`/tickets/${id}/reveal`, { purpose: '核实地址' }),
    (b: { name?: string }) => b.name === '马晓燕',
    'intake moved the order to Chengbei',
  );
});

it('Chengbei sends the returned order back to the city; the city node wakes its row up, unrouted', async () => {
  await street().post(`/orders/${id}/sign`).expect(200);
  await street().post(`/orders/${id}/return`, { reason: '现场核实工地在城中区' }).expect(200);
  const back = await chengbei()
    .post(`/orders/${id}/transfer-district`, { districtCode: '630100', reason: '退回市中心：不属本区' })
    .expect(200);
  expect(back.body).toMatchObject({ state: 'transferred', districtCode: '630105', transferredTo: '630100' });

  const o = await until('630100', id, 'unrouted');
  expect(o).toMatchObject({ districtCode: '630100', transferredTo: null, returnable: false, unitId: null });
  expect(o.timeline.map((t) => t.action)).toEqual(['unrouted', 'transfer_district', 'receive_district', 'unrouted']);
  const queue = (await city('630100').get('/orders/queue').expect(200)).body as Order[];
  expect(queue.map((x) => x.ticketId)).toContain(id);
  expect(await rows('630105', id)).toEqual([{ district_code: '630105', state: 'transferred' }]);
  // Chengbei's dispatcher no longer acts on it on the city node, nor on its own (it rests as transferred).
  await agentFor(nodes['630100'], DEMO_USERS.dispatcherChengbei).get(`/orders/${id}`).expect(404);
  await chengbei().post(`/orders/${id}/dispatch`, { unitId: XIAOQIAO }).expect(409);
});
