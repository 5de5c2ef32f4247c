/**
 * The whole life of an order across the five real services (Postgres + NATS JetStream), driven over
 * HTTP: one order closed satisfied at the first callback; one reopened after an unsatisfied callback,
 * replied again, then closed. Asserts what each service shows and the rates after each round.
 */
import { DateTime } from 'luxon';
import { unitIdFor } from '../../apps/dispatch/src/org/unit-id';
import { bootPlatform, eventually, handleAndApprove, pendingCallbackTask, Platform, settled } from './platform';

jest.setTimeout(180_000);

let p: Platform;
const ids = { a: '', b: '' };
const today = DateTime.now().setZone('Asia/Shanghai');
const period = `from=${today.minus({ days: 1 }).toISODate()}&to=${today.plus({ days: 1 }).toISODate()}&districtCode=630104`;
const MARKET = unitIdFor('630104-dept-market_regulation');
const SHENGLI_STREET = unitIdFor('630104004');

interface Order {
  state: string;
  unitId: string;
  cycle: number;
  finishDueAt: string | null;
  respondDueAt: string | null;
  respondWarnAt: string | null;
  finishWarnAt: string | null;
  timeline: { action: string; toState: string; actor: string }[];
}

beforeAll(async () => {
  p = await bootPlatform();
});

afterAll(async () => {
  await p?.close();
});

async function submit(body: object): Promise<{ id: string; orderNo: string; citizen: { name: string; phone: string } }> {
  const res = await p.as('operator', 'intake').post('/tickets', body).expect(201);
  return res.body as { id: string; orderNo: string; citizen: { name: string; phone: string } };
}

const order = (id: string) => () => p.as('dispatcher', 'dispatch').get(`/orders/${id}`);
const rates = () => p.as('analyst', 'analytics').get(`/rates?${period}`);

async function callBack(id: string, cycle: number, answers: { resolved: boolean; satisfaction: string }): Promise<void> {
  const task = await pendingCallbackTask(p, id, cycle);
  await p.as('callbackAgent', 'callback').post(`/tasks/${task.id}/claim`).expect(200);
  await p.as('callbackAgent', 'callback').post(`/tasks/${task.id}/claim`).expect(200); // the holder may claim again
  if (id === ids.a) {
    const contact = await p.as('callbackAgent', 'callback').get(`/tasks/${task.id}/contact`).expect(200);
    expect(contact.body).toEqual({ name: '刘晓梅', phone: '13897001234' });
    await p.as('supervisor', 'callback').get(`/tasks/${task.id}/contact`).expect(403);
  }
  await p
    .as('callbackAgent', 'callback')
    .post(`/tasks/${task.id}/complete`, { contacted: true, ...answers })
    .expect(200);
  await p
    .as('callbackAgent', 'callback')
    .post(`/tasks/${task.id}/complete`, { contacted: true, ...answers })
    .expect(409);
}

describe('an order from the call to the close', () => {
  let a: { id: string; orderNo: string; citizen: { name: string; phone: string } };
  let b: { id: string; orderNo: string; citizen: { name: string; phone: string } };

  it('intake records both orders, masks the citizens, and numbers them by day', async () => {
    a = await submit({
      channel: 'phone_12345',
      requestType: 'complaint',
      categoryCode: 'lift',
      urgency: 'urgent',
      content: '楼里的电梯忽上忽下，很危险，请尽快处理',
      citizen: { name: '刘晓梅', phone: '13897001234' },
      location: { address: '西宁市城西区胜利路12号3号楼', districtCode: '630104', streetCode: '630104004' },
    });
    b = await submit({
      channel: 'web',
      requestType: 'complaint',
      categoryCode: 'noise',
      content: '楼下台球室每晚营业到凌晨，噪音扰民',
      citizen: { name: '王建国', phone: '0971-6123456' },
      location: { address: '西宁市城西区胜利路88号', districtCode: '630104', streetCode: '630104004' },
    });
    ids.a = a.id;
    ids.b = b.id;
    expect(a.orderNo).toMatch(new RegExp(`^${today.toFormat('yyyyLLdd')}-\\d{6}$`));
    // Same day, consecutive orders, but not consecutive numbers: one order's number does not give away the next one's.
    expect(b.orderNo.slice(0, 8)).toBe(a.orderNo.slice(0, 8));
    expect(Number(b.orderNo.slice(-6)) - Number(a.orderNo.slice(-6))).not.toBe(1);
    expect(a.citizen).toEqual({ name: '刘**', phone: '138****1234' });
    expect(b.citizen).toEqual({ name: '王**', phone: '0971-****456' });
    const stored = await p.as('operator', 'intake').get(`/tickets/${a.id}`).expect(200);
    expect(JSON.stringify(stored.body)).not.toContain('13897001234');
  });

  it('dispatch routes each by its rule: the lift to market regulation, the noise to the street office', async () => {
    const oa = await eventually<Order>(
      order(a.id),
      (o) => o.state === 'dispatched' && !!o.finishDueAt,
      'order A dispatched with due times',
    );
    const ob = await eventually<Order>(
      order(b.id),
      (o) => o.state === 'dispatched' && !!o.finishDueAt,
      'order B dispatched with due times',
    );
    expect(oa.unitId).toBe(MARKET);
    expect(ob.unitId).toBe(SHENGLI_STREET);
    expect(oa.timeline.map((t) => t.action)).toEqual(['dispatch']);
  });

  it('sla starts both clocks from the policy: urgent 2 h / 24 h, ordinary 24 h / 5 working days', async () => {
    const clocks = await p.as('dispatcher', 'sla').get(`/clocks?ticketId=${a.id}`).expect(200);
    const byKind = Object.fromEntries((clocks.body as { kind: string; startedAt: string; dueAt: string }[]).map((c) => [c.kind, c]));
    const hours = (c: { startedAt: string; dueAt: string }) => (Date.parse(c.dueAt) - Date.parse(c.startedAt)) / 3_600_000;
    expect(hours(byKind.respond)).toBe(2);
    expect(hours(byKind.finish)).toBe(24);
    const cb = await p.as('dispatcher', 'sla').get(`/clocks?ticketId=${b.id}`).expect(200);
    const finishB = (cb.body as { kind: string; startedAt: string; dueAt: string }[]).find((c) => c.kind === 'finish')!;
    expect(hours(finishB)).toBeGreaterThanOrEqual(5 * 24); // five working days: at least five calendar days
  });

  it("dispatch's order carries sla's warning points (75 % of the urgent policy's 2 h and 24 h), for the worklists' yellow", async () => {
    const o = await eventually<Order>(order(a.id), (x) => !!x.finishWarnAt && !!x.respondWarnAt, 'order A with warning points');
    const before = (due: string | null, warn: string | null) => (Date.parse(due!) - Date.parse(warn!)) / 60_000;
    expect(before(o.respondDueAt, o.respondWarnAt)).toBe(30);
    expect(before(o.finishDueAt, o.finishWarnAt)).toBe(6 * 60);
  });

  it('lists the orders a screen names in one call (ticketIds), and refuses ids that are not ids', async () => {
    const both = await p.as('supervisor', 'dispatch').get(`/orders?ticketIds=${a.id},${b.id}`).expect(200);
    expect((both.body as { ticketId: string }[]).map((o) => o.ticketId).sort()).toEqual([a.id, b.id].sort());
    const one = await p.as('supervisor', 'dispatch').get(`/orders?ticketIds=${b.id}`).expect(200);
    expect((one.body as { orderNo: string }[]).map((o) => o.orderNo)).toEqual([b.orderNo]);
    const bad = await p.as('supervisor', 'dispatch').get(`/orders?ticketIds=${a.id},20261205-000001`).expect(400);
    expect(bad.body.errors).toEqual([{ field: 'ticketIds', reason: expect.stringContaining('ticketIds must be order ids') }]);
  });

  it('refuses steps out of order and steps by another unit', async () => {
    const early = await p
      .as('handlerMarket', 'dispatch')
      .post(`/orders/${a.id}/reply`, { outcome: 'resolved', replyText: '已处理完毕，电梯运行正常' })
      .expect(409);
    expect(early.body.message).toContain('order that is dispatched');
    await p.as('handlerStreet', 'dispatch').post(`/orders/${a.id}/sign`).expect(404);
    const bad = await p.as('handlerMarket', 'dispatch').post(`/orders/${a.id}/contact`, { method: 'pigeon' }).expect(400);
    expect(bad.body.errors).toEqual([{ field: 'method', reason: expect.stringContaining('method must be one of') }]);
  });

  it('first round: A is satisfied and closes; B is not and reopens to the same street office', async () => {
    await handleAndApprove(p, 'handlerMarket', a.id, '已联系维保公司维修电梯，并检查其余三部电梯，运行正常');
    await handleAndApprove(p, 'handlerStreet', b.id, '已约谈台球室经营者，要求晚十点后停止营业');
    await callBack(a.id, 1, { resolved: true, satisfaction: 'satisfied' });
    await callBack(b.id, 1, { resolved: false, satisfaction: 'unsatisfied' });

    const oa = await eventually<Order>(order(a.id), (o) => o.state === 'closed', 'order A closed');
    expect(oa.timeline.map((t) => t.action)).toEqual(['dispatch', 'sign', 'contact', 'reply', 'approve', 'close']);
    const ob = await eventually<Order>(order(b.id), (o) => o.state === 'reopened', 'order B reopened');
    expect(ob.cycle).toBe(2);
    expect(ob.unitId).toBe(SHENGLI_STREET);

    const r = await settled<{ rates: Record<string, { percent: number | null }>; volumes: Record<string, number> }>(
      p,
      rates,
      // Each event type is its own consumer (and analytics lets a batch linger): wait for all of them.
      (x) => x.volumes.callbacks === 2 && x.volumes.closed === 1,
      'two callbacks and a close in analytics',
    );
    expect(r.rates.resolution.percent).toBe(50);
    expect(r.rates.satisfaction.percent).toBe(50);
    expect(r.rates.response.percent).toBe(100);
    expect(r.volumes).toMatchObject({ accepted: 2, dispatched: 2, closed: 1 });
  });

  it('sla opens a new finish cycle for the reopened order', async () => {
    const clocks = await eventually<{ kind: string; cycle: number; stoppedAt: string | null }[]>(
      () => p.as('dispatcher', 'sla').get(`/clocks?ticketId=${b.id}`),
      (cs) => cs.some((c) => c.kind === 'finish' && c.cycle === 2),
      'a cycle-2 finish clock',
    );
    expect(clocks.find((c) => c.kind === 'finish' && c.cycle === 1)?.stoppedAt).not.toBeNull();
    expect(clocks.find((c) => c.kind === 'finish' && c.cycle === 2)?.stoppedAt).toBeNull();
  });

  it('reveals the citizen’s phone to the callback agent holding the task, and intake audits it', async () => {
    await p.as('handlerMarket', 'dispatch').get(`/orders/${b.id}`).expect(404);
    const reveals = (await p.as('supervisor', 'intake').get(`/tickets/${a.id}/reveals`).expect(200)).body as {
      role: string;
      granted: boolean;
    }[];
    expect(reveals).toEqual([expect.objectContaining({ role: 'callback_agent', granted: true, requestedBy: 'cb-001' })]);
  });

  it('second round: B is replied again, called back satisfied, and closes', async () => {
    await handleAndApprove(p, 'handlerStreet', b.id, '联合区生态环境局、城管局现场执法，台球室已加装隔音并调整营业时间', { sign: false });
    await callBack(b.id, 2, { resolved: true, satisfaction: 'satisfied' });
    // the unsatisfied callback put the order on the supervision list (sla, on a consumer of its own, so
    // its entry may land anywhere among the steps)
    const ob = await eventually<Order>(
      order(b.id),
      (o) => o.state === 'closed' && o.timeline.some((t) => t.action === 'sla_supervised'),
      'order B closed, its supervision item on the timeline',
    );
    expect(ob.timeline.filter((t) => t.action === 'sla_supervised')).toHaveLength(1);
    expect(ob.timeline.map((t) => t.action).filter((a) => a !== 'sla_supervised')).toEqual([
      'dispatch',
      'sign',
      'contact',
      'reply',
      'approve',
      'reopen',
      'reply',
      'approve',
      'close',
    ]);

    const r = await settled<{
      rates: Record<string, { percent: number | null; numerator: number; denominator: number }>;
      volumes: Record<string, number>;
    }>(p, rates, (x) => x.volumes.callbacks === 3 && x.volumes.closed === 2, 'three callbacks and two closed orders in analytics');
    expect(r.rates.resolution).toEqual({ numerator: 2, denominator: 3, percent: 66.67 });
    expect(r.rates.satisfaction.percent).toBe(66.67);
    expect(r.rates.rework).toEqual({ numerator: 1, denominator: 2, percent: 50 });
    expect(r.rates.onTime.percent).toBe(100);
    // Analytics consumed every kind of event the life of these orders produced.
    expect((r as unknown as { events: Record<string, number> }).events).toMatchObject({
      'ticket.accepted.v1': 2,
      'ticket.dispatched.v1': 2,
      'ticket.signed.v1': 2,
      'ticket.contacted.v1': 2,
      'ticket.replied.v1': 3,
      'ticket.reviewed.v1': 3,
      'ticket.reopened.v1': 1,
      'ticket.closed.v1': 2,
      'callback.completed.v1': 3,
    });
  });
});
