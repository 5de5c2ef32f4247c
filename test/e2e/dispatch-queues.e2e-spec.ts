/**
 * The dispatcher's queues as the console shows them, over HTTP against the real services: one queue at
 * a time (待派, 退单申请, 双交办, 待审核, 市级分拨) with its count, paged; dispatching several selected
 * orders to one unit with a result per order; and the scope of all of it (a district sees its own, the
 * city its triage queue, a handler none of it).
 */
import { DEMO_USERS } from '../../scripts/demo-users';
import { Order, U, USERS } from './dispatch-helpers';
import { agentFor, bootPlatform, eventually, Platform, publishRaw, submitTicket } from './platform';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { testSigner } from './test-tokens';
import { waitFor } from '@app/platform/testing';

jest.setTimeout(180_000);

let p: Platform;
beforeAll(async () => {
  p = await bootPlatform();
});
afterAll(async () => {
  await p?.close();
});

type UserKey = string;
const as = (user: UserKey) => agentFor(p.apps.dispatch, user in USERS ? USERS[user as keyof typeof USERS] : DEMO_USERS[user]);
const until = (id: string, state: string) =>
  eventually<Order>(
    () => as('cityDispatcher').get(`/orders/${id}`),
    (o) => o.state === state,
    `order in state ${state}`,
  );
const ids = (os: Order[]) => os.map((o) => o.ticketId);

interface Counts {
  unrouted: number;
  returned: number;
  leader: number;
  review: number;
  city: number;
}
const counts = async (user: UserKey): Promise<Counts> => (await as(user).get('/orders/queue/counts').expect(200)).body as Counts;
const queue = async (user: UserKey, q: string): Promise<Order[]> => (await as(user).get(`/orders/queue?${q}`).expect(200)).body as Order[];

let caller = 0;
async function submit(content: string, location: object = { address: '西宁市城西区一小区门口', districtCode: '630104' }): Promise<string> {
  caller += 1;
  const t = await submitTicket(p, {
    categoryCode: 'parking',
    content,
    citizen: { name: '王建国', phone: `137970${String(caller).padStart(5, '0')}` },
    location,
  });
  return t.id;
}

describe('the dispatcher’s queues', () => {
  const unrouted: string[] = [];
  let cityOrder: string;

  beforeAll(async () => {
    // No fallback rule in Chengxi: parking orders wait for a manual dispatch.
    const rules = (await as('dispatcher').get('/routing/rules?districtCode=630104').expect(200)).body as {
      id: string;
      categoryPrefix: string | null;
      streetCode: string | null;
    }[];
    for (const r of rules.filter((x) => x.categoryPrefix === null && x.streetCode === null)) {
      await as('dispatcher').post(`/routing/rules/${r.id}/deactivate`).expect(200);
    }
    for (const n of [1, 2, 3, 4]) unrouted.push(await submit(`小区门口车辆乱停乱放，第${n}处`));
    for (const id of unrouted) await until(id, 'unrouted');
    cityOrder = await submit('附近工地夜间施工噪音扰民', { address: '我家附近的工地' });
    await until(cityOrder, 'unrouted');
  });

  it('counts each queue in the caller’s districts; the city triage queue is the city dispatcher’s', async () => {
    const chengxi = await counts('dispatcher');
    expect(chengxi).toEqual({ unrouted: 4, returned: 0, leader: 0, review: 0, city: 0 });
    const city = await counts('cityDispatcher');
    expect(city).toEqual({ unrouted: 4, returned: 0, leader: 0, review: 0, city: 1 });
    expect(await counts('bDispatcher')).toEqual({ unrouted: 0, returned: 0, leader: 0, review: 0, city: 0 });

    expect(ids(await queue('dispatcher', 'queue=unrouted')).sort()).toEqual([...unrouted].sort());
    expect(ids(await queue('cityDispatcher', 'queue=city'))).toEqual([cityOrder]);
    expect(ids(await queue('cityDispatcher', 'queue=unrouted'))).not.toContain(cityOrder);
    expect(await queue('bDispatcher', 'queue=unrouted')).toEqual([]);
  });

  it('pages a queue in a stable order', async () => {
    const all = ids(await queue('dispatcher', 'queue=unrouted'));
    const pages = [
      ...ids(await queue('dispatcher', 'queue=unrouted&limit=3&offset=0')),
      ...ids(await queue('dispatcher', 'queue=unrouted&limit=3&offset=3')),
    ];
    expect(pages).toEqual(all);
    const bad = await as('dispatcher').get('/orders/queue?queue=later&offset=-1').expect(400);
    expect((bad.body as { errors: { field: string }[] }).errors.map((e) => e.field).sort()).toEqual(['offset', 'queue']);
  });

  it('only dispatchers see the queues', async () => {
    await as('handlerStreet').get('/orders/queue/counts').expect(403);
    await as('handlerStreet').get('/orders/queue?queue=unrouted').expect(403);
    await as('operator')
      .post('/orders/bulk-dispatch', { ticketIds: [unrouted[0]], unitId: U.shengli })
      .expect(403);
  });

  it('dispatches several selected orders to one unit, with a result per order', async () => {
    const [a, b, c] = unrouted;
    await as('dispatcher').post(`/orders/${c}/dispatch`, { unitId: U.shengli }).expect(200);
    const stranger = randomUUID();
    const res = await as('dispatcher')
      .post('/orders/bulk-dispatch', { ticketIds: [a, b, c, stranger, cityOrder], unitId: U.shengli, note: '均属胜利路街道辖区' })
      .expect(200);
    const body = res.body as {
      dispatched: number;
      refused: number;
      results: { ticketId: string; ok: boolean; status?: number; message?: string }[];
    };
    expect(body.dispatched).toBe(2);
    expect(body.refused).toBe(3);
    expect(body.results).toEqual([
      { ticketId: a, ok: true, state: 'dispatched' },
      { ticketId: b, ok: true, state: 'dispatched' },
      { ticketId: c, ok: false, status: 409, message: expect.stringContaining('order that is dispatched') },
      { ticketId: stranger, ok: false, status: 404, message: `no order ${stranger}` },
      // The city's order is outside a Chengxi dispatcher's view.
      { ticketId: cityOrder, ok: false, status: 404, message: `no order ${cityOrder}` },
    ]);
    for (const id of [a, b]) {
      const o = await until(id, 'dispatched');
      expect(o.unitId).toBe(U.shengli);
      expect(o.timeline.at(-1)!.note).toContain('均属胜利路街道辖区');
    }
    expect((await counts('dispatcher')).unrouted).toBe(1);

    const empty = await as('dispatcher').post('/orders/bulk-dispatch', { ticketIds: [], unitId: U.shengli }).expect(400);
    expect((empty.body as { errors: { field: string }[] }).errors[0].field).toBe('ticketIds');
    const notIds = await as('dispatcher')
      .post('/orders/bulk-dispatch', { ticketIds: ['20260309-000001'], unitId: U.shengli })
      .expect(400);
    expect((notIds.body as { errors: { field: string }[] }).errors[0].field).toMatch(/^ticketIds/);
  });

  it('a return request waits in 退单申请, a reply in 待审核', async () => {
    const [a, b] = unrouted;
    await as('handlerStreet').post(`/orders/${a}/sign`).expect(200);
    await as('handlerStreet').post(`/orders/${a}/return`, { reason: '该路段停车管理属城管部门职责' }).expect(200);
    await as('handlerStreet').post(`/orders/${b}/sign`).expect(200);
    await as('handlerStreet').post(`/orders/${b}/contact`, { method: 'phone', note: '已电话联系' }).expect(200);
    await as('handlerStreet')
      .post(`/orders/${b}/reply`, { outcome: 'resolved', replyText: '已联系交警部门清理乱停车辆，并设置禁停标识。' })
      .expect(200);
    expect(ids(await queue('dispatcher', 'queue=returned'))).toEqual([a]);
    expect(ids(await queue('dispatcher', 'queue=review'))).toEqual([b]);
    expect(await counts('dispatcher')).toMatchObject({ unrouted: 1, returned: 1, review: 1 });
  });

  it('a repeat complaint held for the district leader waits in 双交办', async () => {
    await as('admin').patch(`/org/units/${U.chengxiCentre}`, { dualSignoffRequired: true }).expect(200);
    const id = randomUUID();
    const now = new Date();
    await publishRaw(p.env, {
      type: 'ticket.accepted.v1',
      district: '630104',
      ticketId: id,
      occurredAt: now,
      data: {
        orderNo: '20260311-009101',
        channel: 'phone_12345',
        requestType: 'complaint',
        categoryCode: 'lift',
        urgency: 'ordinary',
        content: '第三次反映：电梯仍未修好',
        location: { address: '西宁市城西区胜利路20号', districtCode: '630104', streetCode: '630104004' },
        identityHidden: false,
        proactive: false,
        flags: ['repeat'],
        acceptedAt: now.toISOString(),
      },
    });
    await until(id, 'awaiting_leader');
    expect(ids(await queue('dispatcher', 'queue=leader'))).toEqual([id]);
    expect((await counts('dispatcher')).leader).toBe(1);
    await as('districtLeader').post(`/orders/${id}/leader-dispatch`, {}).expect(200);
    expect((await counts('dispatcher')).leader).toBe(0);
  });
});

describe('显示号码 for the handlers a resident desk assigned', () => {
  it('an assigned inspector reveals the citizen’s contact through dispatch (audited by intake) and attaches evidence', async () => {
    const id = await submit('商场自动扶梯运行时有异响');
    await until(id, 'unrouted');
    await as('dispatcher').post(`/orders/${id}/dispatch`, { unitId: U.desk }).expect(200);
    await as('handlerMarket').post(`/orders/${id}/reveal`, { purpose: '联系诉求人' }).expect(404); // not assigned yet
    await as('deskMarket').post(`/orders/${id}/sign`).expect(200);
    await as('deskMarket')
      .post(`/orders/${id}/assign`, { assignees: ['h-630104-market'] })
      .expect(200);
    // intake learns of the assignment from ticket.assigned.v1 on the bus: until then it refuses (audited as refused)
    const contact = await waitFor(
      async () => await as('handlerMarket').post(`/orders/${id}/reveal`, { purpose: '电话联系诉求人' }),
      (r) => r.status === 200,
      { what: 'the reveal once intake knows the assignment', timeoutMs: 20_000 },
    );
    expect(contact.body).toEqual({ name: '王建国', phone: expect.stringMatching(/^137970\d{5}$/) });
    await as('handlerEcology').post(`/orders/${id}/reveal`, { purpose: '电话联系诉求人' }).expect(404);
    const bad = await as('handlerMarket').post(`/orders/${id}/reveal`, {}).expect(400);
    expect((bad.body as { errors: { field: string }[] }).errors[0].field).toBe('purpose');
    const audit = await eventually<{ requestedBy: string; role: string; granted: boolean }[]>(
      () => p.as('supervisor', 'intake').get(`/tickets/${id}/reveals`),
      (rs) => rs.length > 0,
      'the reveal in intake’s audit log',
    );
    expect(audit.filter((r) => r.granted)).toEqual([
      expect.objectContaining({ requestedBy: 'h-630104-market', role: 'handler', granted: true, purpose: '电话联系诉求人' }),
    ]);
    const photo = await request(p.apps.intake.getHttpServer())
      .post(`/tickets/${id}/attachments?fileName=${encodeURIComponent('现场照片.png')}`)
      .set('Authorization', `Bearer ${testSigner.mint(DEMO_USERS.handlerMarket, 'intake')}`)
      .set('Content-Type', 'image/png')
      .send(Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex'));
    expect(photo.status).toBe(201);
  });
});

describe('the handler’s worklist', () => {
  it('pages the unit’s orders and keeps the overdue filter', async () => {
    // Once sla's due times have arrived the order (finish due, accepted, id) is fixed.
    const mine = await eventually<Order[]>(
      () => as('handlerStreet').get('/orders?limit=500'),
      (os) => os.length >= 3 && os.every((o) => o.finishDueAt !== null),
      'due times on the street’s worklist',
    );
    const first = (await as('handlerStreet').get('/orders?limit=2&offset=0').expect(200)).body as Order[];
    const rest = (await as('handlerStreet').get(`/orders?limit=500&offset=2`).expect(200)).body as Order[];
    expect([...ids(first), ...ids(rest)]).toEqual(ids(mine));
    // Nothing here is late yet (real clock, due times days ahead).
    expect((await as('handlerStreet').get('/orders?overdue=true').expect(200)).body).toEqual([]);
    await as('handlerStreet').get('/orders?offset=10001').expect(400);
  });
});
