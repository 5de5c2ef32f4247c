/**
 * 转区 across the real services, over HTTP: the city centre hands an order intake could not place to
 * the district it belongs to; a district centre sends a mis-placed, returned order back to the city,
 * which passes it on. Every service follows the move: dispatch (queues, scope, routing by the new
 * district's rules), intake (who may reveal the citizen), sla (the clocks' district), callback (the
 * task's district) and analytics (the district figures). Also: a proactive order (未诉先办) closes on
 * approval, with no callback task.
 */
import { DEMO_USERS } from '../../scripts/demo-users';
import { unitIdFor } from '../../apps/dispatch/src/org/unit-id';
import { unitCodes } from '../../scripts/demo/xining.seed';
import { Order, U, USERS } from './dispatch-helpers';
import { agentFor, bootPlatform, eventually, Platform, submitTicket } from './platform';

jest.setTimeout(180_000);

let p: Platform;
beforeAll(async () => {
  p = await bootPlatform();
});
afterAll(async () => {
  await p?.close();
});

const XIAOQIAO = unitIdFor(unitCodes.street('630105002'));
const CHENGBEI_MARKET = unitIdFor(unitCodes.department('630105', 'market_regulation'));
const as = (user: keyof typeof DEMO_USERS) => p.as(user, 'dispatch');
const order = (id: string) => () => as('cityDispatcher').get(`/orders/${id}`);
const until = (id: string, state: string, what = `order in state ${state}`) => eventually<Order>(order(id), (o) => o.state === state, what);
const actions = (o: Order) => o.timeline.map((t) => t.action);
const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());

let caller = 0;
async function submit(body: {
  categoryCode: string;
  content: string;
  location: object;
  channel?: string;
  citizen?: boolean;
}): Promise<string> {
  caller += 1;
  const t = await submitTicket(p, {
    channel: body.channel ?? 'phone_12345',
    categoryCode: body.categoryCode,
    content: body.content,
    citizen: body.citizen === false ? undefined : { name: '马晓燕', phone: `139970${String(caller).padStart(5, '0')}` },
    location: body.location,
  });
  return t.id;
}

describe('the city centre hands an order of unknown district to its district centre', () => {
  let id: string;

  it('an order intake could not place waits in the city dispatcher’s queue, seen by no district', async () => {
    id = await submit({ categoryCode: 'noise', content: '附近工地夜间施工，噪音很大', location: { address: '我家附近的工地' } });
    const o = await until(id, 'unrouted', 'the order in the city queue');
    expect(o.districtCode).toBe('630100');
    const queue = (await as('cityDispatcher').get('/orders/queue').expect(200)).body as Order[];
    expect(queue.map((x) => x.ticketId)).toContain(id);
    await as('dispatcherChengbei').get(`/orders/${id}`).expect(404);
    await p.as('dispatcherChengbei', 'intake').post(`/tickets/${id}/reveal`, { purpose: '核实地址' }).expect(404);
  });

  it('refuses a bad transfer with the field and the reason, and a district dispatcher cannot reach the order', async () => {
    const bad = async (body: object, field: string) => {
      const res = await as('cityDispatcher').post(`/orders/${id}/transfer-district`, body).expect(400);
      expect((res.body as { errors: { field: string }[] }).errors.map((e) => e.field)).toContain(field);
    };
    await bad({ districtCode: '630100', reason: '转回本级' }, 'districtCode'); // already the city's
    await bad({ districtCode: '110101', reason: '北京东城区' }, 'districtCode'); // another city
    await bad({ districtCode: '6301', reason: '位数不对' }, 'districtCode');
    await bad({ districtCode: '630105', streetCode: '630104004', reason: '街道不在城北区' }, 'streetCode');
    await bad({ districtCode: '630105' }, 'reason');
    await as('dispatcherChengbei').post(`/orders/${id}/transfer-district`, { districtCode: '630105', reason: '本区的' }).expect(404);
    await as('handlerStreet').post(`/orders/${id}/transfer-district`, { districtCode: '630105', reason: '不是派单员' }).expect(403);
    expect((await order(id)().expect(200)).body).toMatchObject({ state: 'unrouted', districtCode: '630100' });
  });

  it('transferred to Chengbei with the street, the district’s rules send it straight to the street office', async () => {
    const res = await as('cityDispatcher')
      .post(`/orders/${id}/transfer-district`, {
        districtCode: '630105',
        streetCode: '630105002',
        reason: '来电人补充地址：城北区小桥大街',
      })
      .expect(200);
    expect(res.body).toMatchObject({ districtCode: '630105', state: 'dispatched', unitId: XIAOQIAO });
    const o = await until(id, 'dispatched');
    expect(actions(o)).toEqual(['unrouted', 'transfer_district', 'receive_district', 'dispatch']);
    expect(o.timeline[1]).toMatchObject({ actor: DEMO_USERS.cityDispatcher.id, fromState: 'unrouted', toState: 'transferred' });
    expect(o.timeline[1].note).toContain('来电人补充地址');
    // The district now sees and acts on it; the city's queue no longer holds it; Chengxi never sees it.
    expect(((await as('dispatcherChengbei').get(`/orders/${id}`).expect(200)).body as Order).unitId).toBe(XIAOQIAO);
    await as('dispatcher').get(`/orders/${id}`).expect(404);
    const queue = (await as('cityDispatcher').get('/orders/queue').expect(200)).body as Order[];
    expect(queue.map((x) => x.ticketId)).not.toContain(id);
  });

  it('intake, sla and analytics follow the order to Chengbei', async () => {
    // intake: Chengbei's dispatcher may now reveal the citizen; Chengxi's may not.
    await eventually(
      () => p.as('dispatcherChengbei', 'intake').post(`/tickets/${id}/reveal`, { purpose: '核实地址' }),
      (b: { name?: string }) => b.name === '马晓燕',
      'intake moved the order to Chengbei',
    );
    await p.as('dispatcher', 'intake').post(`/tickets/${id}/reveal`, { purpose: '核实' }).expect(404);
    const ticket = (await p.as('operator', 'intake').get(`/tickets/${id}`).expect(200)).body as { location: Record<string, string> };
    expect(ticket.location).toMatchObject({ districtCode: '630105', streetCode: '630105002', source: 'dispatcher' });
    // sla: the clocks started by the Chengbei dispatch are Chengbei's.
    const clocks = await eventually<{ districtCode: string; unitId: string }[]>(
      () => p.as('dispatcherChengbei', 'sla').get(`/clocks?ticketId=${id}`),
      (c) => c.length === 2,
      'the order’s clocks',
    );
    expect(clocks.every((c) => c.districtCode === '630105' && c.unitId === XIAOQIAO)).toBe(true);
    // analytics: the order counts for Chengbei, not for the city's own figures.
    const volumes = (district: string) => p.as('analyst', 'analytics').get(`/rates?from=${today}&to=${today}&districtCode=${district}`);
    const chengbei = await eventually<{ volumes: Record<string, number> }>(
      () => volumes('630105'),
      (r) => r.volumes.accepted >= 1 && r.volumes.dispatched >= 1,
      'the order in Chengbei’s figures',
    );
    expect(chengbei.volumes.accepted).toBe(1);
    const city = (await volumes('630100').expect(200)).body as { volumes: Record<string, number> };
    expect(city.volumes.accepted).toBe(0);
  });

  it('handled to the end in Chengbei: its callback task is Chengbei’s', async () => {
    const street = agentFor(p.apps.dispatch, USERS.bStreet);
    await street.post(`/orders/${id}/sign`).expect(200);
    await street.post(`/orders/${id}/contact`, { method: 'phone' }).expect(200);
    await street.post(`/orders/${id}/reply`, { outcome: 'resolved', replyText: '已责令工地停止夜间施工' }).expect(200);
    await as('dispatcherChengbei').post(`/orders/${id}/review`, { decision: 'approved' }).expect(200);
    await until(id, 'awaiting_callback');
    const tasks = await eventually<{ ticketId: string; districtCode: string }[]>(
      () => p.as('callbackAgent', 'callback').get('/tasks?state=pending&limit=200'),
      (t) => t.some((x) => x.ticketId === id),
      'the callback task',
    );
    expect(tasks.find((x) => x.ticketId === id)!.districtCode).toBe('630105');
  });
});

describe('a district centre sends a mis-placed order back to the city, which passes it on', () => {
  let id: string;

  it('the unit asks to return it; Chengxi may send it back to the city but not straight to Chengbei', async () => {
    id = await submit({
      categoryCode: 'food_safety',
      content: '小区门口的餐馆后厨卫生很差',
      location: { address: '西宁市城西区某小区门口', districtCode: '630104' },
    });
    const o = await until(id, 'dispatched');
    expect(o.unitId).toBe(unitIdFor(unitCodes.department('630104', 'market_regulation')));
    await as('handlerMarket').post(`/orders/${id}/sign`).expect(200);
    // A co-unit called in before the return (吹哨报到) is released by the transfer.
    await as('dispatcher')
      .post(`/orders/${id}/co-units`, { unitIds: [U.housing] })
      .expect(200);
    await as('handlerMarket').post(`/orders/${id}/return`, { reason: '经核实该餐馆位于城北区，非本区管辖' }).expect(200);
    const direct = await as('dispatcher')
      .post(`/orders/${id}/transfer-district`, { districtCode: '630105', reason: '城北区的' })
      .expect(403);
    expect((direct.body as { message: string }).message).toContain('city centre');
    const back = await as('dispatcher')
      .post(`/orders/${id}/transfer-district`, { districtCode: '630100', reason: '退回市中心：不属本区' })
      .expect(200);
    expect(back.body).toMatchObject({ districtCode: '630100', state: 'unrouted', unitId: null, returnable: false });
    await as('dispatcher').get(`/orders/${id}`).expect(404);
    await as('handlerMarket').get(`/orders/${id}`).expect(404);
  });

  it('the city passes it to Chengbei, whose market regulator gets it and may not return it again (首接负责)', async () => {
    await as('cityDispatcher').post(`/orders/${id}/transfer-district`, { districtCode: '630105', reason: '城北区餐馆' }).expect(200);
    const o = await until(id, 'dispatched');
    expect(o).toMatchObject({ districtCode: '630105', unitId: CHENGBEI_MARKET, returnable: false, cycle: 1 });
    expect(actions(o)).toEqual([
      'dispatch',
      'sign',
      'co_units_added',
      'return_request',
      'transfer_district',
      'receive_district',
      'unrouted',
      'transfer_district',
      'receive_district',
      'dispatch',
    ]);
    const bHandler = agentFor(p.apps.dispatch, USERS.bHandler);
    await bHandler.post(`/orders/${id}/sign`).expect(200);
    const again = await bHandler.post(`/orders/${id}/return`, { reason: '也不是我们的' }).expect(409);
    expect((again.body as { message: string }).message).toMatch(/首接负责|return/);
    // Chengxi's co-unit is gone with the move, so Chengbei's lead replies without waiting for it.
    expect(o.coUnits).toEqual([]);
    await bHandler.post(`/orders/${id}/contact`, { method: 'phone' }).expect(200);
    await bHandler.post(`/orders/${id}/reply`, { outcome: 'resolved', replyText: '已对该餐馆后厨开展检查并责令整改' }).expect(200);
    // The clocks of the first dispatch moved with it: Chengbei sees them, Chengxi no longer does.
    await eventually<{ districtCode: string }[]>(
      () => p.as('dispatcherChengbei', 'sla').get(`/clocks?ticketId=${id}`),
      (c) => c.length === 2 && c.every((x) => x.districtCode === '630105'),
      'the clocks moved to Chengbei',
    );
    const chengxi = (await p.as('dispatcher', 'sla').get(`/clocks?ticketId=${id}`).expect(200)).body as unknown[];
    expect(chengxi).toEqual([]);
  });

  it('refuses to transfer an order a unit is handling (only unrouted or returned orders move)', async () => {
    const res = await as('cityDispatcher').post(`/orders/${id}/transfer-district`, { districtCode: '630104', reason: '再转' }).expect(409);
    expect((res.body as { message: string }).message).toContain('transfer');
  });
});

describe('未诉先办: a proactive order closes on approval, with no callback', () => {
  it('a grid worker’s order is handled, approved and closed; callback opens no task for it', async () => {
    const shengli = { districtCode: '630104', streetCode: '630104004' };
    const proactive = await submit({
      channel: 'grid_worker',
      citizen: false,
      categoryCode: 'noise',
      content: '网格员巡查发现：夜市摊点音响噪音扰民',
      location: { address: '西宁市城西区胜利路夜市', ...shengli },
    });
    const citizens = await submit({
      categoryCode: 'noise',
      content: '楼下夜市音响太吵',
      location: { address: '西宁市城西区胜利路20号', ...shengli },
    });
    for (const id of [proactive, citizens]) {
      await until(id, 'dispatched');
      await as('handlerStreet').post(`/orders/${id}/sign`).expect(200);
      await as('handlerStreet').post(`/orders/${id}/contact`, { method: 'visit' }).expect(200);
      await as('handlerStreet').post(`/orders/${id}/reply`, { outcome: 'resolved', replyText: '已要求摊点降低音量并限时经营' }).expect(200);
      await as('dispatcher').post(`/orders/${id}/review`, { decision: 'approved' }).expect(200);
    }
    const o = await until(proactive, 'closed');
    expect(actions(o).slice(-2)).toEqual(['approve', 'close']);
    expect(o.timeline[o.timeline.length - 1].note).toContain('未诉先办');
    await until(citizens, 'awaiting_callback');
    await eventually<{ progress?: string }>(
      () => p.as('operator', 'intake').get(`/tickets/${proactive}`),
      (t) => t.progress === 'closed',
      'intake shows the proactive order closed',
    );
    // The citizen's order, approved after the proactive one, has its task: callback is past both approvals.
    const tasks = await eventually<{ ticketId: string }[]>(
      () => p.as('callbackAgent', 'callback').get('/tasks?limit=500'),
      (t) => t.some((x) => x.ticketId === citizens),
      'the citizen’s callback task',
    );
    expect(tasks.filter((t) => t.ticketId === proactive)).toEqual([]);
  });
});
