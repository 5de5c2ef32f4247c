/**
 * 双交办 after dispatch, across the real services: a contact intake merges into an order a unit
 * already has makes it a repeat complaint (ticket.merged.v1). sla moves the order's running clocks to
 * the 双交办 limits counted from the dispatch and puts it on the supervision list; dispatch's due
 * times follow sla.clocks-set.v1; the district (which asks for 双交办 sign-off) leaves the order with
 * the unit and holds its reply until the district leader signs it off. And a merge that reaches sla
 * before the dispatch (dispatch had not applied it yet, so its dispatch carries no flag) still gives
 * the dispatch the 双交办 policy and item. One ManualClock from Monday 9 March 2026, 10:00 in Xining.
 */
import { randomUUID } from 'node:crypto';
import { DEMO_USERS } from '../../scripts/demo-users';
import { Order, U } from './dispatch-helpers';
import { waitFor } from '@app/platform/testing';
import { agentFor, bootPlatform, eventually, Platform, publishRaw, submitTicket } from './platform';

jest.setTimeout(180_000);

const T0 = new Date('2026-03-09T10:00:00+08:00');
const L = (local: string) => new Date(`${local}+08:00`).toISOString();
const REPEAT_POLICY = '6b0f2a8e-0d3c-4c1e-9a51-000000000006'; // 双交办 repeat: 12 h / 3 working days
const DEFAULT_POLICY = '6b0f2a8e-0d3c-4c1e-9a51-000000000001'; // 24 h / 5 working days

let p: Platform;
beforeAll(async () => {
  p = await bootPlatform({ start: T0, allOnManualClock: true });
  // Chengxi's centre asks for its leader's sign-off of 双交办 orders.
  await as('admin').patch(`/org/units/${U.chengxiCentre}`, { dualSignoffRequired: true }).expect(200);
});
afterAll(async () => {
  await p?.close();
});

interface ClockRow {
  kind: string;
  cycle: number;
  policyId: string;
  startedAt: string;
  dueAt: string;
  stoppedAt: string | null;
}
interface Item {
  ticketId: string;
  reason: string;
  level: string;
  status: string;
  unitId: string;
  cycle: number;
}
type Held = Order & { flags: string[]; leaderHoldAt: string | null; finishWarnAt: string | null; respondDueAt: string | null };

const as = (user: keyof typeof DEMO_USERS) => agentFor(p.apps.dispatch, DEMO_USERS[user]);
const order = (id: string) => as('dispatcher').get(`/orders/${id}`);
const clocks = (id: string) => p.as('supervisor', 'sla').get(`/clocks?ticketId=${id}`);
const clock = (cs: ClockRow[], kind: string) => cs.find((c) => c.kind === kind && c.cycle === 1);
const repeatItems = async (id: string) =>
  ((await p.as('supervisor', 'sla').get('/supervision?reason=repeat&status=open&limit=500').expect(200)).body as Item[]).filter(
    (i) => i.ticketId === id,
  );

const liftComplaint = (phone: string, over: object = {}) => ({
  categoryCode: 'lift',
  content: '胜利路20号3号楼的电梯忽上忽下，很危险',
  citizen: { name: '马兰英', phone },
  location: { address: '西宁市城西区胜利路20号3号楼', districtCode: '630104' },
  ...over,
});

describe('a repeat complaint merged into an order the market bureau already has', () => {
  let id: string;

  it('is dispatched on the ordinary limits first', async () => {
    id = (await submitTicket(p, liftComplaint('13897006001'))).id;
    const o = await eventually<Held>(
      () => order(id),
      (b) => b.state === 'dispatched' && !!b.finishDueAt,
      'dispatched with its due times',
    );
    expect(o).toMatchObject({ unitId: U.market, flags: [], leaderHoldAt: null });
    // 24 hours; 5 working days: Monday 16 March.
    expect(o.respondDueAt).toBe(L('2026-03-10T10:00:00'));
    expect(o.finishDueAt).toBe(L('2026-03-16T10:00:00'));
    const cs = (await clocks(id).expect(200)).body as ClockRow[];
    expect(clock(cs, 'finish')).toMatchObject({ policyId: DEFAULT_POLICY, startedAt: L('2026-03-09T10:00:00') });
  });

  it('moves the running clocks to the 双交办 limits from the dispatch, and dispatch shows the new due times', async () => {
    p.slaClock.set(new Date(L('2026-03-09T11:00:00')));
    // The same citizen calls again an hour later: the operator merges the call into the order (重复件).
    const merged = await p
      .as('operator', 'intake')
      .post('/tickets', { channel: 'phone_12345', requestType: 'complaint', ...liftComplaint('13897006001', { mergeInto: id }) })
      .expect(201);
    expect(merged.body).toMatchObject({ disposition: 'merged' });
    const cs = await eventually<ClockRow[]>(
      () => clocks(id),
      (b) => clock(b, 'finish')?.policyId === REPEAT_POLICY,
      'the finish clock on the 双交办 policy',
    );
    // From the dispatch at 10:00, not from the merge: 12 hours; 3 working days (Thursday 12 March).
    expect(clock(cs, 'respond')).toMatchObject({ policyId: REPEAT_POLICY, dueAt: L('2026-03-09T22:00:00'), stoppedAt: null });
    expect(clock(cs, 'finish')).toMatchObject({ dueAt: L('2026-03-12T10:00:00'), startedAt: L('2026-03-09T10:00:00') });
    const o = await eventually<Held>(
      () => order(id),
      (b) => b.finishDueAt === L('2026-03-12T10:00:00'),
      'the new due times in dispatch',
    );
    expect(o.respondDueAt).toBe(L('2026-03-09T22:00:00'));
    // The worklists' yellow point moved with it: 75 % of the 72 hours from the dispatch.
    expect(o.finishWarnAt).toBe(L('2026-03-11T16:00:00'));
  });

  it('puts the order on the supervision list at the district level, and on its timeline', async () => {
    const items = await waitForItems(id);
    expect(items).toMatchObject([{ reason: 'repeat', level: 'district', status: 'open', unitId: U.market, cycle: 1 }]);
    await eventually<Held>(
      () => order(id),
      (b) => b.timeline.some((t) => t.action === 'sla_supervised'),
      'the item on the order’s timeline',
    );
  });

  it('leaves the order with the unit and holds its reply until the district leader signs it off', async () => {
    const o = await eventually<Held>(
      () => order(id),
      (b) => b.leaderHoldAt !== null,
      'the reply held for the leader',
    );
    expect(o).toMatchObject({ state: 'dispatched', unitId: U.market, flags: ['repeat'] });
    expect(o.timeline.map((t) => t.action)).toEqual(expect.arrayContaining(['dispatch', 'merged', 'leader_hold']));
    const queue = (await as('dispatcher').get('/orders/queue?queue=leader').expect(200)).body as Order[];
    expect(queue.map((x) => x.ticketId)).toContain(id);
    const leaders = (await as('districtLeader').get('/orders?awaitingLeader=true').expect(200)).body as Order[];
    expect(leaders.map((x) => x.ticketId)).toContain(id);

    // The unit goes on: signs, contacts; its reply waits for the leader.
    await as('handlerMarket').post(`/orders/${id}/sign`).expect(200);
    await as('handlerMarket').post(`/orders/${id}/contact`, { method: 'phone', note: '已电话联系诉求人' }).expect(200);
    const reply = { outcome: 'resolved', replyText: '已责令维保单位更换曳引机，电梯运行正常' };
    const refused = await as('handlerMarket').post(`/orders/${id}/reply`, reply).expect(409);
    expect(JSON.stringify(refused.body)).toContain('须经区领导签批');
    await as('dispatcher').post(`/orders/${id}/leader-signoff`, {}).expect(403);
    await as('unitHead').post(`/orders/${id}/leader-signoff`, {}).expect(403);
    const signed = (await as('districtLeader').post(`/orders/${id}/leader-signoff`, { note: '限3个工作日办结' }).expect(200)).body as Held;
    expect(signed).toMatchObject({ state: 'contacted', unitId: U.market, leaderHoldAt: null });
    await as('handlerMarket').post(`/orders/${id}/reply`, reply).expect(200);
    const cs = await eventually<ClockRow[]>(
      () => clocks(id),
      (b) => clock(b, 'finish')?.stoppedAt != null,
      'the finish clock stopped',
    );
    expect(clock(cs, 'finish')?.policyId).toBe(REPEAT_POLICY);
    const done = (await order(id).expect(200)).body as Held;
    expect(done.timeline.map((t) => t.action).slice(-3)).toEqual(['contact', 'leader_signoff', 'reply']);
  });
});

describe('a merge that reaches sla before the dispatch', () => {
  it('gives the dispatch the 双交办 policy and the supervision item, though the dispatch carries no flag', async () => {
    const id = randomUUID();
    const now = p.slaClock.now();
    // intake merged a second call into the order; sla hears of it before dispatch has the order at all.
    await publishRaw(p.env, {
      type: 'ticket.merged.v1',
      district: '630104',
      ticketId: id,
      occurredAt: now,
      data: { contactId: randomUUID(), channel: 'phone_12345', citizenCount: 1, flags: ['repeat'], mergedAt: now.toISOString() },
    });
    await waitFor(
      async () => (await p.db.query(`SELECT 1 FROM sla.sla_order WHERE ticket_id = $1 AND 'repeat' = ANY(flags)`, [id])).rows.length,
      (n) => n > 0,
      { what: 'sla keeping the merge’s flags' },
    );
    await publishRaw(p.env, {
      type: 'ticket.accepted.v1',
      district: '630104',
      ticketId: id,
      occurredAt: now,
      data: {
        orderNo: '20260309-009101',
        channel: 'phone_12345',
        requestType: 'complaint',
        categoryCode: 'lift',
        urgency: 'ordinary',
        content: '五四大街8号院电梯门关不上',
        location: { address: '西宁市城西区五四大街8号院', districtCode: '630104' },
        identityHidden: false,
        proactive: false,
        flags: [],
        acceptedAt: now.toISOString(),
      },
    });
    const cs = await eventually<ClockRow[]>(
      () => clocks(id),
      (b) => !!clock(b, 'finish'),
      'the clocks of the dispatch',
    );
    expect(clock(cs, 'finish')).toMatchObject({ policyId: REPEAT_POLICY });
    expect(await waitForItems(id)).toMatchObject([{ reason: 'repeat', level: 'district', status: 'open' }]);
    // The dispatch left without the flag; dispatch applies the merge once it has the order.
    const first = (
      await p.db.query<{ flags: string[] }>(
        `SELECT envelope->'data'->'flags' AS flags FROM dispatch.outbox WHERE envelope->>'ticketId' = $1 AND type = 'ticket.dispatched.v1'`,
        [id],
      )
    ).rows;
    expect(first).toEqual([{ flags: [] }]);
    await eventually<Held>(
      () => order(id),
      (b) => b.flags?.includes('repeat') && b.leaderHoldAt !== null,
      'dispatch applying the merge',
    );
  });
});

/** The order's open repeat items, once there is one. */
const waitForItems = (id: string): Promise<Item[]> =>
  waitFor(
    () => repeatItems(id),
    (xs) => xs.length > 0,
    { what: `the repeat item of ${id}` },
  );
