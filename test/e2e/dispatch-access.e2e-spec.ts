/**
 * District scope on every dispatch endpoint: a user of Chengbei (630105), with the role the endpoint
 * asks for, can neither read nor act on a Chengxi (630104) order, rule or unit. Reads and actions on
 * an order answer 404 (another district's order is indistinguishable from a missing one); creating
 * in another district answers 403.
 */
import { Principal } from '@app/platform';
import { DEMO_USERS } from '../../scripts/demo-users';
import { Order, U, USERS } from './dispatch-helpers';
import { agentFor, bootPlatform, eventually, Platform, submitTicket } from './platform';

jest.setTimeout(120_000);

let p: Platform;
let id: string;
let chengbeiId: string;

beforeAll(async () => {
  p = await bootPlatform({ only: ['intake', 'dispatch'] });
  const submit = async (districtCode: string, address: string) =>
    (
      await submitTicket(p, {
        citizen: { name: '张三', phone: districtCode === '630104' ? '13897002001' : '13897002002' },
        location: { address, districtCode },
      })
    ).id;
  id = await submit('630104', '西宁市城西区一小区');
  chengbeiId = await submit('630105', '西宁市城北区一小区');
  await eventually<Order>(
    () => p.as('cityDispatcher', 'dispatch').get(`/orders/${id}`),
    (o) => o.state === 'dispatched',
    'the Chengxi order dispatched',
  );
  await eventually<Order>(
    () => p.as('cityDispatcher', 'dispatch').get(`/orders/${chengbeiId}`),
    (o) => o.state === 'dispatched',
    'the Chengbei order dispatched',
  );
});
afterAll(async () => {
  await p?.close();
});

const as = (u: Principal) => agentFor(p.apps.dispatch, u);
const B = USERS;

type Case = [string, 'get' | 'post' | 'patch', () => string, Principal, object | undefined, number];

const cases: Case[] = [
  ['GET /orders/:id', 'get', () => `/orders/${id}`, B.bDispatcher, undefined, 404],
  ['GET /orders/:id (supervisor)', 'get', () => `/orders/${id}`, B.bSupervisor, undefined, 404],
  ['GET /orders/:id (handler)', 'get', () => `/orders/${id}`, B.bHandler, undefined, 404],
  ['GET /orders/:id/timeline', 'get', () => `/orders/${id}/timeline`, B.bDispatcher, undefined, 404],
  ['GET /orders/:id/suggestion', 'get', () => `/orders/${id}/suggestion`, B.bDispatcher, undefined, 404],
  ['GET /orders/:id/suggestion (leader)', 'get', () => `/orders/${id}/suggestion`, B.bLeader, undefined, 404],
  ['POST sign', 'post', () => `/orders/${id}/sign`, B.bHandler, {}, 404],
  ['POST contact', 'post', () => `/orders/${id}/contact`, B.bHandler, { method: 'phone' }, 404],
  ['POST reply', 'post', () => `/orders/${id}/reply`, B.bHandler, { outcome: 'resolved', replyText: '已处理完毕，电梯运行正常' }, 404],
  ['POST signoff', 'post', () => `/orders/${id}/signoff`, B.bHead, { decision: 'approved' }, 404],
  ['POST extension', 'post', () => `/orders/${id}/extension`, B.bHandler, { days: 2, reason: '需要更多时间' }, 404],
  ['POST return', 'post', () => `/orders/${id}/return`, B.bHandler, { reason: '不属本单位职责' }, 404],
  ['POST assign', 'post', () => `/orders/${id}/assign`, B.bHead, { assignees: ['h-630105-market'] }, 404],
  ['POST dispatch', 'post', () => `/orders/${id}/dispatch`, B.bDispatcher, { unitId: U.chengbeiMarket }, 404],
  ['POST leader-dispatch', 'post', () => `/orders/${id}/leader-dispatch`, B.bLeader, {}, 404],
  ['POST leader-signoff', 'post', () => `/orders/${id}/leader-signoff`, B.bLeader, {}, 404],
  ['POST redispatch', 'post', () => `/orders/${id}/redispatch`, B.bDispatcher, { unitId: U.chengbeiMarket, reason: '转办' }, 404],
  ['POST return-decision', 'post', () => `/orders/${id}/return-decision`, B.bDispatcher, { decision: 'refused', reason: '不同意' }, 404],
  ['POST review', 'post', () => `/orders/${id}/review`, B.bDispatcher, { decision: 'approved' }, 404],
  ['POST reopen', 'post', () => `/orders/${id}/reopen`, B.bDispatcher, { reason: '再次来电' }, 404],
  ['POST co-units', 'post', () => `/orders/${id}/co-units`, B.bDispatcher, { unitIds: [U.chengbeiMarket] }, 404],
  ['POST co-sign', 'post', () => `/orders/${id}/co-sign`, B.bHandler, {}, 404],
  ['POST co-submit', 'post', () => `/orders/${id}/co-submit`, B.bHandler, { partText: '已协助处理完毕' }, 404],
  [
    'POST /routing/rules in district A',
    'post',
    () => '/routing/rules',
    B.bDispatcher,
    { districtCode: '630104', unitId: U.market, priority: 1 },
    403,
  ],
  ['POST /routing/rules/:id/deactivate of district A', 'post', () => `/routing/rules/${chengxiRule}/deactivate`, B.bDispatcher, {}, 404],
  ['GET /org/units/:id of district A', 'get', () => `/org/units/${U.market}`, B.bDispatcher, undefined, 404],
  ['PATCH /org/units/:id of district A', 'patch', () => `/org/units/${U.market}`, B.bAdmin, { requiresHeadSignoff: true }, 404],
  [
    'POST /org/units in district A',
    'post',
    () => '/org/units',
    B.bAdmin,
    { code: '630104004-c09', nameZh: '测试社区', nameEn: 'Test Community', kind: 'community', districtCode: '630104' },
    403,
  ],
];

let chengxiRule: string;

describe('a Chengbei user cannot read or act on Chengxi', () => {
  beforeAll(async () => {
    const rules = (await as(DEMO_USERS.dispatcher).get('/routing/rules?districtCode=630104').expect(200)).body as { id: string }[];
    chengxiRule = rules[0].id;
  });

  it.each(cases)('%s', async (_name, method, path, user, body, status) => {
    const a = as(user);
    const res = await (method === 'get' ? a.get(path()) : a[method](path(), body)).expect(status);
    if (status === 404) expect(res.body.message).not.toContain('630104');
  });

  it('leaves the order untouched', async () => {
    const o = (await as(DEMO_USERS.dispatcher).get(`/orders/${id}`).expect(200)).body as Order;
    expect(o).toMatchObject({ state: 'dispatched', unitId: U.market, assignees: [], coUnits: [] });
    expect(o.timeline.map((t) => t.action)).toEqual(['dispatch']);
    const market = (await as(DEMO_USERS.admin).get(`/org/units/${U.market}`).expect(200)).body as { requiresHeadSignoff: boolean };
    expect(market.requiresHeadSignoff).toBe(false);
  });

  it('lists and queues show only the caller’s districts', async () => {
    for (const [user, path] of [
      [B.bDispatcher, '/orders'],
      [B.bDispatcher, '/orders/queue?limit=500'],
      [B.bSupervisor, '/orders'],
      [B.bHandler, '/orders'],
      [B.bLeader, '/orders'],
    ] as const) {
      const list = (await as(user).get(path).expect(200)).body as Order[];
      expect(list.every((o) => o.districtCode === '630105')).toBe(true);
    }
    const mine = (await as(B.bDispatcher).get('/orders').expect(200)).body as Order[];
    expect(mine.map((o) => o.ticketId)).toContain(chengbeiId);
    expect((await as(B.bDispatcher).get('/routing/rules?districtCode=630104').expect(200)).body).toEqual([]);
    expect((await as(B.bDispatcher).get('/org/units?districtCode=630104').expect(200)).body).toEqual([]);
  });

  it('and the other way round: Chengxi’s dispatcher cannot see a Chengbei order', async () => {
    await as(DEMO_USERS.dispatcher).get(`/orders/${chengbeiId}`).expect(404);
    await as(DEMO_USERS.dispatcher).post(`/orders/${chengbeiId}/review`, { decision: 'approved' }).expect(404);
    await as(DEMO_USERS.dispatcherChengbei).get(`/orders/${chengbeiId}`).expect(200);
  });

  it('roles are checked before scope: an operator or analyst cannot act at all', async () => {
    await as(DEMO_USERS.operator).post(`/orders/${id}/sign`).expect(403);
    await as(DEMO_USERS.analyst).post(`/orders/${id}/dispatch`, { unitId: U.market }).expect(403);
    await as(DEMO_USERS.handlerMarket).post(`/orders/${id}/review`, { decision: 'approved' }).expect(403);
    await as(DEMO_USERS.handlerMarket).post('/routing/rules', { districtCode: '630104', unitId: U.market, priority: 1 }).expect(403);
    await as(DEMO_USERS.dispatcher).post('/org/units', {}).expect(403);
  });
});
