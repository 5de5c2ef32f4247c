/**
 * 派/办 across the real services, over HTTP: direct dispatch to the street and down to a community,
 * the routing admin and the rule shown with the suggestion, manual dispatch of an unrouted order,
 * a resident desk assigning two inspectors, returns (accepted and re-dispatched, refused, too late,
 * 首接负责), the head's sign-off, rework sent back by review, joint handling, an extension, reopen
 * after the callback and by the dispatcher, and 双交办. Everything runs on one ManualClock from
 * Monday 9 March 2026, 10:00 in Xining.
 */
import { DEMO_USERS } from '../../scripts/demo-users';
import { Order, U, USERS } from './dispatch-helpers';
import { addMembers, agentFor, bootPlatform, callBack, eventually, Platform, publishRaw, submitTicket } from './platform';
import { randomUUID } from 'node:crypto';

jest.setTimeout(180_000);

const T0 = new Date('2026-03-09T10:00:00+08:00');
let p: Platform;

beforeAll(async () => {
  p = await bootPlatform({ start: T0, allOnManualClock: true });
  await addMembers(p, [USERS.inspector2]);
});
afterAll(async () => {
  await p?.close();
});

/** A demo user (scripts/demo-users.ts) or one minted for these suites (dispatch-helpers.ts), by key. */
type UserKey = string;
const as = (user: UserKey) => agentFor(p.apps.dispatch, user in USERS ? USERS[user as keyof typeof USERS] : DEMO_USERS[user]);
const order = (id: string) => () => as('dispatcher').get(`/orders/${id}`);
const until = (id: string, state: string) => eventually<Order>(order(id), (o) => o.state === state, `order in state ${state}`);
const actions = (o: Order) => o.timeline.map((t) => t.action);

let caller = 0;
async function submit(body: {
  categoryCode: string;
  content: string;
  streetCode?: string;
  urgency?: string;
  requestType?: string;
  address?: string;
}): Promise<string> {
  caller += 1; // a different citizen each time, so intake never flags these as repeats
  const t = await submitTicket(p, {
    requestType: body.requestType ?? 'complaint',
    categoryCode: body.categoryCode,
    ...(body.urgency ? { urgency: body.urgency } : {}),
    content: body.content,
    citizen: { name: '刘晓梅', phone: `138970${String(caller).padStart(5, '0')}` },
    location: {
      address: body.address ?? '西宁市城西区胜利路12号',
      districtCode: '630104',
      ...(body.streetCode ? { streetCode: body.streetCode } : {}),
    },
  });
  return t.id;
}

async function signContact(user: UserKey, id: string): Promise<void> {
  await as(user).post(`/orders/${id}/sign`).expect(200);
  await as(user).post(`/orders/${id}/contact`, { method: 'phone', note: '已电话联系诉求人' }).expect(200);
}

const reply = (text: string, extra: object = {}) => ({ outcome: 'resolved', replyText: text, ...extra });

describe('routing: direct dispatch, the rule shown, the rule sets, manual dispatch', () => {
  it('sends a known street’s noise complaint straight to the street, shows the rule, and the street passes it to a community', async () => {
    const id = await submit({ categoryCode: 'noise', content: '楼下台球室每晚营业到凌晨，噪音扰民', streetCode: '630104004' });
    const o = await until(id, 'dispatched');
    expect(o.unitId).toBe(U.shengli);
    expect(o.ruleId).toBe(o.suggestedRuleId);
    const s = (await as('dispatcher').get(`/orders/${id}/suggestion`).expect(200)).body as {
      current: { rule: { id: string; note: string; priority: number }; unit: { id: string } };
    };
    expect(s.current.rule).toMatchObject({ id: o.ruleId, priority: 150, note: '噪音扰民（胜利路街道）→ 直派街乡镇' });
    expect(o.timeline[0].note).toContain('噪音扰民（胜利路街道）→ 直派街乡镇');

    // 下派: the street office passes it to the community, whose handler then handles it.
    await as('handlerCommunity').get(`/orders/${id}`).expect(404);
    const bad = await as('handlerStreet').post(`/orders/${id}/assign`, { subUnitId: U.market }).expect(400);
    expect(bad.body.errors).toEqual([{ field: 'subUnitId', reason: expect.stringContaining('under the handling unit') }]);
    await as('handlerStreet').post(`/orders/${id}/assign`, { subUnitId: U.shengliCommunity }).expect(200);
    const mine = (await as('handlerCommunity').get('/orders').expect(200)).body as Order[];
    expect(mine.map((x) => x.ticketId)).toContain(id);
    await signContact('handlerCommunity', id);
    await as('handlerCommunity')
      .post(
        `/orders/${id}/reply`,
        reply('社区已约谈台球室经营者，晚十点后停止营业', {
          attachments: [{ name: '约谈记录.jpg', url: 'https://files.example.gov.cn/a.jpg' }],
        }),
      )
      .expect(200);
    const done = await until(id, 'replied');
    expect(done.attachments).toEqual([{ name: '约谈记录.jpg', url: 'https://files.example.gov.cn/a.jpg' }]);
    expect(actions(done)).toEqual(['dispatch', 'assign', 'sign', 'contact', 'reply']);
  });

  it('each district manages its own rule set; an order no rule matches waits in the dispatcher’s queue for a manual dispatch', async () => {
    const rules = (await as('dispatcher').get('/routing/rules?districtCode=630104').expect(200)).body as {
      id: string;
      categoryPrefix: string | null;
      streetCode: string | null;
      priority: number;
    }[];
    const fallback = rules.find((r) => r.categoryPrefix === null && r.streetCode === null)!;
    expect(fallback.priority).toBe(0);
    await as('dispatcher').post(`/routing/rules/${fallback.id}/deactivate`).expect(200);

    const id = await submit({ categoryCode: 'parking', content: '小区门口长期有车辆乱停乱放', address: '西宁市城西区一小区门口' });
    const o = await until(id, 'unrouted');
    expect(o.timeline.map((t) => t.note)).toEqual([expect.stringContaining('无匹配派单规则')]);
    const q = (await as('dispatcher').get('/orders/queue').expect(200)).body as Order[];
    expect(q.map((x) => x.ticketId)).toContain(id);
    await as('handlerStreet').post(`/orders/${id}/sign`).expect(404);
    const centre = await as('dispatcher').post(`/orders/${id}/dispatch`, { unitId: U.chengxiCentre }).expect(400);
    expect(centre.body.errors[0].field).toBe('unitId');
    await as('dispatcher').post(`/orders/${id}/dispatch`, { unitId: U.shengli, note: '属胜利路街道辖区' }).expect(200);
    const again = await as('dispatcher').post(`/orders/${id}/dispatch`, { unitId: U.shengli }).expect(409);
    expect(again.body.message).toContain('order that is dispatched');
    const d = await until(id, 'dispatched');
    expect(d.unitId).toBe(U.shengli);
    expect(d.ruleId).toBeNull();
    await eventually(
      () => as('dispatcher').get(`/orders/${id}`),
      (b: Order) => !!b.finishDueAt,
      'sla clocks for a manually dispatched order',
    );

    // The district puts its fallback back, and adds a rule: urgent lift complaints to the resident desk.
    await as('dispatcher')
      .post('/routing/rules', { districtCode: '630104', unitId: U.cityMgmt, priority: 0, note: 'district fallback (again)' })
      .expect(201);
    const bad = await as('dispatcher')
      .post('/routing/rules', { districtCode: '630104', unitId: U.chengbeiMarket, priority: 10 })
      .expect(400);
    expect(bad.body.errors[0].field).toBe('unitId');
    await as('dispatcher')
      .post('/routing/rules', {
        districtCode: '630104',
        categoryPrefix: 'lift',
        urgency: 'urgent',
        unitId: U.desk,
        priority: 200,
        note: '急迫电梯 → 市场监管专席',
      })
      .expect(201);
  });
});

describe('the resident desk (常驻专席) assigns two inspectors', () => {
  it('routes an urgent lift complaint to the desk, which names the bureau’s inspectors; they handle it', async () => {
    const id = await submit({ categoryCode: 'lift', urgency: 'urgent', content: '电梯忽上忽下，很危险', streetCode: '630104004' });
    const o = await until(id, 'dispatched');
    expect(o.unitId).toBe(U.desk);
    await as('handlerMarket').get(`/orders/${id}`).expect(404);
    await as('deskMarket').post(`/orders/${id}/sign`).expect(200);
    await as('deskMarket')
      .post(`/orders/${id}/assign`, { assignees: ['h-630104-market', 'h-630104-market-2'] })
      .expect(200);
    const worklist = (await as('handlerMarket').get('/orders?assignee=me&urgency=urgent').expect(200)).body as Order[];
    expect(worklist.map((x) => x.ticketId)).toEqual([id]);
    await as('inspector2').post(`/orders/${id}/contact`, { method: 'visit', note: '当天到场，停用电梯并通知维保' }).expect(200);
    await as('handlerMarket').post(`/orders/${id}/reply`, reply('已督促维保公司修复电梯并检查其余三部电梯')).expect(200);
    const done = await until(id, 'replied');
    expect(done.timeline.map((t) => [t.action, t.actor])).toEqual([
      ['dispatch', 'system:dispatch'],
      ['sign', 'desk-630104-market'],
      ['assign', 'desk-630104-market'],
      ['contact', 'h-630104-market-2'],
      ['reply', 'h-630104-market'],
    ]);
  });
});

describe('returns (退单)', () => {
  it('accepted: the dispatcher re-dispatches, and the next unit may not return it again (首接负责)', async () => {
    const id = await submit({ categoryCode: 'construction', content: '小区电梯加装施工噪音', streetCode: '630104004' });
    expect((await until(id, 'dispatched')).unitId).toBe(U.housing);
    const short = await as('handlerHousing').post(`/orders/${id}/return`, { reason: '否' }).expect(400);
    expect(short.body.errors[0].field).toBe('reason');
    await as('handlerMarket').post(`/orders/${id}/return`, { reason: '不属本单位职责' }).expect(404);
    await as('handlerHousing').post(`/orders/${id}/return`, { reason: '电梯安全属市场监管部门职责，非本单位' }).expect(200);
    const q = (await as('dispatcher').get('/orders/queue').expect(200)).body as Order[];
    expect(q.find((x) => x.ticketId === id)?.state).toBe('return_requested');
    await as('handlerHousing').post(`/orders/${id}/sign`).expect(409);
    const noUnit = await as('dispatcher').post(`/orders/${id}/return-decision`, { decision: 'accepted', reason: '同意' }).expect(400);
    expect(noUnit.body.errors[0].field).toBe('unitId');
    await as('dispatcher')
      .post(`/orders/${id}/return-decision`, { decision: 'accepted', unitId: U.market, reason: '同意退单，改派区市场监管局' })
      .expect(200);
    const o = await until(id, 'dispatched');
    expect(o).toMatchObject({ unitId: U.market, returnable: false });
    await as('handlerHousing').get(`/orders/${id}`).expect(404);
    const again = await as('handlerMarket').post(`/orders/${id}/return`, { reason: '也不属本单位职责' }).expect(409);
    expect(again.body.message).toContain('首接负责');
    await as('dispatcher').post(`/orders/${id}/return-decision`, { decision: 'accepted', unitId: U.housing, reason: '再改派' }).expect(409);
    expect(actions(await until(id, 'dispatched'))).toEqual(['dispatch', 'return_request', 'return_accept']);
  });

  it('refused: the order stays with the unit, signed for, and cannot be returned again', async () => {
    const id = await submit({ categoryCode: 'food_safety', content: '餐馆后厨卫生差', streetCode: '630104004' });
    await until(id, 'dispatched');
    await as('handlerMarket').post(`/orders/${id}/return`, { reason: '应由卫健部门处理' }).expect(200);
    await as('dispatcher')
      .post(`/orders/${id}/return-decision`, { decision: 'refused', reason: '食品安全属市场监管职责，请按首接负责办理' })
      .expect(200);
    const o = await until(id, 'signed');
    expect(o.unitId).toBe(U.market);
    await as('dispatcher').post(`/orders/${id}/return-decision`, { decision: 'refused', reason: '重复' }).expect(409);
    const again = await as('handlerMarket').post(`/orders/${id}/return`, { reason: '仍应由卫健部门处理' }).expect(409);
    expect(again.body.message).toContain('首接负责');
  });

  it('refuses a return after two working days, and a re-dispatch (转办) moves an order in hand', async () => {
    const id = await submit({ categoryCode: 'consumer_rights', content: '商场拒绝退货', streetCode: '630104004' });
    await until(id, 'dispatched');
    p.slaClock.set(new Date('2026-03-11T10:00:01+08:00')); // two working days and a second later
    const late = await as('handlerMarket').post(`/orders/${id}/return`, { reason: '应由商务部门处理' }).expect(409);
    expect(late.body.message).toContain('2个工作日内');
    await as('dispatcher').post(`/orders/${id}/redispatch`, { unitId: U.market, reason: '同一单位' }).expect(400);
    await as('dispatcher').post(`/orders/${id}/redispatch`, { unitId: U.cityMgmt, reason: '涉及占道经营，转城管局' }).expect(200);
    const o = await until(id, 'dispatched');
    expect(o.unitId).toBe(U.cityMgmt);
    expect(o.returnable).toBe(true);
    p.slaClock.set(new Date('2026-03-11T11:00:00+08:00'));
  });
});

describe('head sign-off (一把手签批) and rework sent back by review (退回重办)', () => {
  it('holds the bureau’s reply for its head, who rejects once and then signs; review sends it back; the head signs again', async () => {
    await as('dispatcher').patch(`/org/units/${U.market}`, { requiresHeadSignoff: true }).expect(403);
    await as('admin').patch(`/org/units/${U.market}`, { requiresHeadSignoff: true }).expect(200);
    const id = await submit({ categoryCode: 'lift', content: '电梯年检标志过期', streetCode: '630104004' });
    await until(id, 'dispatched');
    await as('handlerMarket').post(`/orders/${id}/reply`, reply('已责令物业公司完成电梯年检工作')).expect(409); // reply before sign
    await signContact('handlerMarket', id);
    await as('handlerMarket').post(`/orders/${id}/reply`, reply('已责令物业公司完成电梯年检工作')).expect(200);
    await until(id, 'awaiting_signoff');
    await as('dispatcher').post(`/orders/${id}/review`, { decision: 'approved' }).expect(409);
    await as('handlerMarket').post(`/orders/${id}/signoff`, { decision: 'approved' }).expect(403);
    const noReason = await as('unitHead').post(`/orders/${id}/signoff`, { decision: 'rejected' }).expect(400);
    expect(noReason.body.errors[0].field).toBe('reason');
    await as('unitHead').post(`/orders/${id}/signoff`, { decision: 'rejected', reason: '答复未说明年检完成时间' }).expect(200);
    await until(id, 'signoff_rejected');
    await as('handlerMarket').post(`/orders/${id}/reply`, reply('物业已于3月12日完成电梯年检，标志已更新')).expect(200);
    await as('unitHead').post(`/orders/${id}/signoff`, { decision: 'approved' }).expect(200);
    await as('unitHead').post(`/orders/${id}/signoff`, { decision: 'approved' }).expect(409);
    await until(id, 'replied');
    const clocks = await eventually<{ kind: string; cycle: number; stoppedAt: string | null }[]>(
      () => p.as('supervisor', 'sla').get(`/clocks?ticketId=${id}`),
      (cs) => cs.some((c) => c.kind === 'finish' && c.cycle === 1 && c.stoppedAt !== null),
      'the finish clock stopped by the signed-off reply',
    );
    expect(clocks.length).toBeGreaterThan(0);

    await as('dispatcher').post(`/orders/${id}/review`, { decision: 'sent_back', reason: '答复避重就轻，未回应其余电梯安全' }).expect(200);
    await as('dispatcher').post(`/orders/${id}/review`, { decision: 'approved' }).expect(409); // approve twice / after send-back
    const rework = await until(id, 'rework');
    expect(rework).toMatchObject({ cycle: 2, reworkCount: 1 });
    await as('handlerMarket').post(`/orders/${id}/reply`, reply('已检查其余三部电梯，均运行正常')).expect(200);
    await as('unitHead').post(`/orders/${id}/signoff`, { decision: 'approved' }).expect(200);
    await as('dispatcher').post(`/orders/${id}/review`, { decision: 'approved' }).expect(200);
    const o = await until(id, 'awaiting_callback');
    expect(actions(o)).toEqual([
      'dispatch',
      'sign',
      'contact',
      'submit_signoff',
      'head_reject',
      'submit_signoff',
      'head_approve',
      'send_back',
      'submit_signoff',
      'head_approve',
      'approve',
    ]);
    await as('admin').patch(`/org/units/${U.market}`, { requiresHeadSignoff: false }).expect(200);
  });
});

describe('joint handling (吹哨报到)', () => {
  it('the street calls in two departments; they sign and submit; the street replies for all', async () => {
    const id = await submit({ categoryCode: 'noise', content: '台球室噪音，社区处理后再次反映', streetCode: '630104004' });
    await until(id, 'dispatched');
    await signContact('handlerStreet', id);
    await as('handlerStreet')
      .post(`/orders/${id}/co-units`, { unitIds: [U.ecology] })
      .expect(403); // a handler cannot blow the whistle
    await as('headShengli')
      .post(`/orders/${id}/co-units`, { unitIds: [U.shengli] })
      .expect(400);
    await as('headShengli')
      .post(`/orders/${id}/co-units`, { unitIds: [U.ecology, U.cityMgmt], note: '联合执法' })
      .expect(200);
    await as('headShengli')
      .post(`/orders/${id}/co-units`, { unitIds: [U.ecology] })
      .expect(409);
    await as('handlerEcology').get(`/orders/${id}`).expect(200);
    const blocked = await as('handlerStreet').post(`/orders/${id}/reply`, reply('街道已牵头联合处置完毕')).expect(409);
    expect(blocked.body.message).toContain('协办单位尚未提交');
    await as('handlerEcology').post(`/orders/${id}/co-submit`, { partText: '已检测噪声超标' }).expect(409); // sign first
    await as('handlerEcology').post(`/orders/${id}/co-sign`).expect(200);
    await as('handlerEcology').post(`/orders/${id}/co-submit`, { partText: '已检测噪声超标并责令整改' }).expect(200);
    await as('handlerCityMgmt').post(`/orders/${id}/co-sign`).expect(200);
    await as('handlerCityMgmt').post(`/orders/${id}/co-submit`, { partText: '已查处占道经营' }).expect(200);
    await as('handlerCityMgmt').post(`/orders/${id}/reply`, reply('城管局代主办单位答复内容')).expect(403);
    await as('handlerStreet').post(`/orders/${id}/reply`, reply('街道牵头，生态环境、城管联合执法，台球室已加装隔音')).expect(200);
    const o = await until(id, 'replied');
    expect(o.coUnits.map((c) => c.state)).toEqual(['submitted', 'submitted']);
    await as('handlerEcology').post(`/orders/${id}/co-submit`, { partText: '补充说明处置情况' }).expect(409);
  });
});

describe('extension (延期) and reopen (重办)', () => {
  it('the unit asks for more days; sla’s decision comes back on the timeline and moves the due time', async () => {
    const id = await submit({ categoryCode: 'wage_arrears', content: '工地拖欠工资77508元' });
    const o = await eventually<Order>(order(id), (x) => x.state === 'dispatched' && !!x.finishDueAt, 'dispatched with due times');
    const hr = { id: 'h-630104-hr', roles: ['handler' as const], districts: ['630104'], units: [o.unitId!] };
    // Each step a minute after the last, as in life: dispatch orders due times by their instants.
    // (The clock goes back afterwards: later tests count their limits from the suite's instant.)
    const start = p.slaClock.now();
    p.slaClock.advance(60_000);
    const x = await agentFor(p.apps.dispatch, hr).post(`/orders/${id}/extension`, { days: 2, reason: '需劳动监察立案调查' }).expect(202);
    const requestId = (x.body as { requestId: string }).requestId;
    await eventually(
      () => p.as('supervisor', 'sla').get(`/extensions/${requestId}`),
      (b: { status: string }) => b.status === 'pending',
      'pending in sla',
    );
    p.slaClock.advance(60_000);
    await p.as('supervisor', 'sla').post(`/extensions/${requestId}/decision`, { approve: true, days: 2 }).expect(200);
    const after = await eventually<Order>(order(id), (y) => actions(y).includes('extension_approved'), 'the decision on the timeline');
    expect(Date.parse(after.finishDueAt!)).toBeGreaterThan(Date.parse(o.finishDueAt!));
    p.slaClock.set(start);
  });

  it('an unsatisfied callback reopens to the same unit; a dispatcher reopens a closed order to another unit', async () => {
    const id = await submit({ categoryCode: 'neighbourhood', content: '邻居楼道堆放杂物影响通行', streetCode: '630104004' });
    await until(id, 'dispatched');
    await signContact('handlerStreet', id);
    await as('handlerStreet').post(`/orders/${id}/reply`, reply('社区已督促清理楼道杂物')).expect(200);
    await as('dispatcher').post(`/orders/${id}/reopen`, { reason: '诉求人来电' }).expect(409); // not yet awaiting callback
    await as('dispatcher').post(`/orders/${id}/review`, { decision: 'approved' }).expect(200);
    await callBack(p, id, 1, { resolved: false, satisfaction: 'unsatisfied' });
    const r = await until(id, 'reopened');
    expect(r).toMatchObject({ cycle: 2, reworkCount: 1, unitId: U.shengli });
    await as('handlerStreet').post(`/orders/${id}/reply`, reply('楼道杂物已全部清理，通行正常')).expect(200);
    await as('dispatcher').post(`/orders/${id}/review`, { decision: 'approved' }).expect(200);
    await callBack(p, id, 2, { resolved: true, satisfaction: 'satisfied' });
    await until(id, 'closed');

    await as('dispatcher')
      .post(`/orders/${id}/reopen`, { reason: '诉求人再次来电：杂物系占道经营者堆放，属城管职责', unitId: U.cityMgmt })
      .expect(200);
    const o = await until(id, 'dispatched');
    expect(o).toMatchObject({ cycle: 3, reworkCount: 2, unitId: U.cityMgmt });
    await as('handlerStreet').get(`/orders/${id}`).expect(404);
    await eventually<{ kind: string; cycle: number }[]>(
      () => p.as('supervisor', 'sla').get(`/clocks?ticketId=${id}`),
      (cs) => cs.some((c) => c.kind === 'finish' && c.cycle === 3),
      'a cycle-3 finish clock in sla',
    );
    expect(actions(o).slice(-2)).toEqual(['close', 'reopen_to']);
    // A later cycle has no respond clock: once sla's cycle-3 due times are in, cycle 1's respond due
    // time no longer makes the order overdue, even a day after it.
    const due = await eventually<Order & { dueCycle: number; respondDueAt: string | null }>(
      order(id),
      (x) => x.dueCycle === 3,
      'cycle 3’s due times in dispatch',
    );
    expect(due.respondDueAt).toBeNull();
    const then = p.slaClock.now();
    p.slaClock.set(new Date(then.getTime() + 25 * 3600_000));
    try {
      const list = (overdue: boolean) =>
        as('dispatcher')
          .get(`/orders?overdue=${overdue}&unitId=${U.cityMgmt}`)
          .expect(200)
          .then((r) => (r.body as Order[]).map((x) => x.ticketId));
      expect(await list(true)).not.toContain(id);
      expect(await list(false)).toContain(id);
    } finally {
      p.slaClock.set(then);
    }
  });
});

describe('双交办: the district leader signs off before dispatch, and the stricter limit applies', () => {
  it('holds a repeat complaint for the leader, who dispatches it to the suggested unit', async () => {
    await as('admin').patch(`/org/units/${U.market}`, { dualSignoffRequired: true }).expect(400);
    await as('admin').patch(`/org/units/${U.chengxiCentre}`, { dualSignoffRequired: true }).expect(200);
    const id = randomUUID();
    const now = p.slaClock.now();
    await publishRaw(p.env, {
      type: 'ticket.accepted.v1',
      district: '630104',
      ticketId: id,
      occurredAt: now,
      data: {
        orderNo: '20260311-009001',
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
    const held = await until(id, 'awaiting_leader');
    expect(held).toMatchObject({ unitId: null, suggestedUnitId: U.market });
    const flagged = (await as('dispatcher').get('/orders?flag=repeat&state=awaiting_leader').expect(200)).body as Order[];
    expect(flagged.map((x) => x.ticketId)).toEqual([id]);
    await as('dispatcher').post(`/orders/${id}/dispatch`, { unitId: U.market }).expect(409);
    await as('unitHead').post(`/orders/${id}/leader-dispatch`, {}).expect(404); // a bureau head does not even see it
    const s = (await as('districtLeader').get(`/orders/${id}/suggestion`).expect(200)).body as { current: { rule: { note: string } } };
    expect(s.current.rule.note).toBe('电梯 → 城西区市场监督管理局');
    await as('districtLeader').post(`/orders/${id}/leader-dispatch`, { note: '限3个工作日办结' }).expect(200);
    const o = await until(id, 'dispatched');
    expect(o.unitId).toBe(U.market);
    expect(o.ruleId).toBe(held.suggestedRuleId);
    const clocks = await eventually<{ kind: string; startedAt: string; dueAt: string }[]>(
      () => p.as('supervisor', 'sla').get(`/clocks?ticketId=${id}`),
      (cs) => cs.some((c) => c.kind === 'finish'),
      'clocks of the 双交办 order',
    );
    const finish = clocks.find((c) => c.kind === 'finish')!;
    // Repeat policy: 3 working days (ordinary orders get 5), from the leader's dispatch on Wednesday.
    expect(finish.dueAt).toBe(new Date('2026-03-16T11:00:00+08:00').toISOString());
    expect(actions(o)).toEqual(['hold_for_leader', 'leader_dispatch']);
    await as('admin').patch(`/org/units/${U.chengxiCentre}`, { dualSignoffRequired: false }).expect(200);
  });
});
