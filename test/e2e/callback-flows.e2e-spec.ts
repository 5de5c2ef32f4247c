/**
 * Callback (访/评) across the five real services over HTTP: the agent path for a citizen hidden from
 * the unit; the SMS-link path with its one-time, expiring link; bad answers refused with nothing
 * recorded; unsatisfied → reopened → replied again → satisfied → closed; unreachable after attempts
 * spread over days; a supervisors' spot check kept apart from the first callback; first-contact
 * answers and repeat flags (published straight to JetStream: intake does not publish them yet); and
 * analytics receiving every outcome. Every service runs on one ManualClock.
 */
import { createServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { randomBytes, randomUUID } from 'node:crypto';
import { unitIdFor } from '../../apps/dispatch/src/org/unit-id';
import { waitFor } from '@app/platform/testing';
import { bootPlatform, eventually, handleAndApprove, Platform, publishRaw, submitTicket } from './platform';

jest.setTimeout(180_000);

const START = new Date('2026-03-10T01:00:00Z'); // Tuesday 09:00 in Xining
const HOUR = 3_600_000;
const CENTRE = unitIdFor('630100-centre');
const period = 'from=2026-03-09&to=2026-03-20&districtCode=630104';

interface Task {
  id: string;
  ticketId: string;
  kind: string;
  state: string;
  cycle: number;
  dueAt: string;
  unitId: string;
  attempts: number;
  claimedBy: string | null;
  contacted: boolean | null;
  resolved: boolean | null;
  satisfaction: string | null;
  channel: string | null;
  repeatCall: boolean;
  identityHidden: boolean;
  checkedTaskId: string | null;
}
interface Order {
  state: string;
  cycle: number;
  timeline: { action: string }[];
}

let p: Platform;
let sms: Server;
const texts: { to: string; text: string; reference: string }[] = [];

beforeAll(async () => {
  sms = createServer((req: IncomingMessage, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString()));
    req.on('end', () => {
      texts.push(JSON.parse(raw));
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
  });
  await new Promise<void>((r) => sms.listen(0, '127.0.0.1', r));
  p = await bootPlatform({
    start: START,
    allOnManualClock: true,
    extraEnv: {
      callback: {
        CALLBACK_LINK_KEYS: `e2e:${randomBytes(32).toString('base64')}`,
        CALLBACK_LINK_TTL_HOURS: '48',
        CALLBACK_SURVEY_BASE_URL: 'https://12345.example.cn/callback',
        CALLBACK_SMS_ADAPTER: 'http',
        CALLBACK_SMS_HTTP_URL: `http://127.0.0.1:${(sms.address() as AddressInfo).port}/sms`,
        CALLBACK_MAX_ATTEMPTS: '3',
        CALLBACK_ATTEMPT_DAYS: '2',
        CALLBACK_ATTEMPT_GAP_MINUTES: '120',
        CALLBACK_SPOT_CHECK_PERCENT: '100',
        CALLBACK_FIRST_CONTACT_PERCENT: '100',
      },
    },
  });
});

afterAll(async () => {
  await p?.close();
  sms?.closeAllConnections();
  await new Promise((r) => sms?.close(r));
});

const agent = () => p.as('callbackAgent', 'callback');
const order = (id: string) => () => p.as('dispatcher', 'dispatch').get(`/orders/${id}`);

const submit = (name: string, phone: string, extra: object = {}) =>
  submitTicket(p, {
    content: '小区电梯经常停运，老人上下楼困难',
    citizen: { name, phone },
    location: { address: '西宁市城西区胜利路20号', districtCode: '630104', streetCode: '630104004' },
    ...extra,
  });

/** The market-regulation bureau signs (first: once dispatched), contacts, replies; the dispatcher approves. */
async function handle(id: string, replyText: string, first = true): Promise<void> {
  if (first) await eventually<Order>(order(id), (o) => o.state === 'dispatched', 'the order dispatched');
  await handleAndApprove(p, 'handlerMarket', id, replyText, { sign: first });
}

async function taskOf(ticketId: string, kind = 'reply', cycle = 1): Promise<Task> {
  const tasks = await eventually<Task[]>(
    () => p.as('supervisor', 'callback').get(`/tasks?ticketId=${ticketId}&kind=${kind}`),
    (ts) => ts.some((t) => t.cycle === cycle),
    `a ${kind} task for cycle ${cycle}`,
  );
  return tasks.find((t) => t.cycle === cycle)!;
}

const task = async (id: string) => (await p.as('supervisor', 'callback').get(`/tasks/${id}`).expect(200)).body as Task;

/** As intake would publish it (for a test: an event out of its order, or one intake does not publish yet), at the platform's time. */
const publishFromIntake = (type: 'ticket.answered.v1' | 'ticket.accepted.v1' | 'ticket.merged.v1', ticketId: string, data: object) =>
  publishRaw(p.env, { type, district: '630104', ticketId, occurredAt: p.slaClock.now(), data });

async function callbackEvents(): Promise<{ type: string; data: Record<string, unknown> }[]> {
  const rows = await p.db.query<{ envelope: { type: string; data: Record<string, unknown> } }>(
    `SELECT envelope FROM callback.outbox ORDER BY seq`,
  );
  return rows.rows.map((r) => r.envelope);
}

const token = (text: string) => /\/s\/([A-Za-z0-9_.-]+)/.exec(text)![1];

const ids: Record<'a' | 'b' | 'c' | 'd', { id: string; orderNo: string }> = {} as never;
let aTask: Task;
let bSpotToken = '';

describe('callback', () => {
  it('agent path: a citizen hidden from the unit is called back; the unit never learns who they are', async () => {
    ids.a = await submit('赵秀英', '13897002222', { identityHidden: true });
    await handle(ids.a.id, '已责令物业联系维保单位更换电梯主板，现已恢复运行');
    aTask = await taskOf(ids.a.id);
    expect(aTask).toMatchObject({ state: 'pending', identityHidden: true, repeatCall: false });
    // Reviewed on a Tuesday morning: due the next working day at the same time.
    expect(aTask.dueAt).toBe(new Date(START.getTime() + 24 * HOUR).toISOString());

    await agent().post(`/tasks/${aTask.id}/claim`).expect(200);
    const held = await p.as('admin', 'callback').post(`/tasks/${aTask.id}/claim`).expect(409);
    expect(held.body.message).toContain('held by another agent');
    await p.as('supervisor', 'callback').post(`/tasks/${aTask.id}/claim`).expect(403);
    const contact = await agent().get(`/tasks/${aTask.id}/contact`).expect(200);
    expect(contact.body).toEqual({ name: '赵秀英', phone: '13897002222' });

    // Answers outside the allowed values: 400 with the fields, nothing recorded.
    const bad = await agent().post(`/tasks/${aTask.id}/complete`, { contacted: 'yes', resolved: true, satisfaction: 'meh' }).expect(400);
    expect((bad.body as { errors: { field: string }[] }).errors.map((e) => e.field).sort()).toEqual(['contacted', 'satisfaction']);
    expect(await task(aTask.id)).toMatchObject({ state: 'claimed', satisfaction: null, resolved: null });

    await agent().post(`/tasks/${aTask.id}/complete`, { contacted: true, resolved: true, satisfaction: 'basically_satisfied' }).expect(200);
    await eventually<Order>(order(ids.a.id), (o) => o.state === 'closed', 'order A closed');

    // The unit sees the order but not the citizen; only the callback side ever asked intake.
    const unitView = await p.as('handlerMarket', 'dispatch').get(`/orders/${ids.a.id}`).expect(200);
    expect(JSON.stringify(unitView.body)).not.toMatch(/赵|13897002222/);
    const reveals = (await p.as('supervisor', 'intake').get(`/tickets/${ids.a.id}/reveals`).expect(200)).body as { role: string }[];
    expect(reveals.map((r) => r.role)).toEqual(['callback_agent']);
  });

  it('SMS-link path: a signed one-time link, answered on a zh-CN page; bad answers and reuse refused', async () => {
    ids.b = await submit('孙立军', '13997003333');
    await handle(ids.b.id, '已更换电梯门机，维保单位承诺每周巡检一次');
    const t = await taskOf(ids.b.id);
    await agent().post(`/tasks/${t.id}/sms`).expect(409); // claim first
    await agent().post(`/tasks/${t.id}/claim`).expect(200);
    const sent = await agent().post(`/tasks/${t.id}/sms`).expect(200);
    expect(sent.body).toMatchObject({ channel: 'sms', sentTo: '139****3333' });
    expect(JSON.stringify(sent.body)).not.toContain('/s/');
    const msg = texts.at(-1)!;
    expect(msg.to).toBe('13997003333');
    expect(msg.text).toContain(ids.b.orderNo);
    expect(msg.text).toContain('https://12345.example.cn/callback/s/');
    const link = token(msg.text);

    const pageRes = await p.http('callback').get(`/s/${link}`).set('Accept', 'text/html').expect(200);
    expect(pageRes.headers['content-type']).toContain('text/html');
    expect(pageRes.text).toContain('lang="zh-CN"');
    expect(pageRes.text).toContain(ids.b.orderNo);
    expect(pageRes.text).toContain('已更换电梯门机');
    expect(pageRes.text).not.toMatch(/孙|13997003333|3333/);
    await p
      .http('callback')
      .get(`/s/${link.slice(0, -3)}AAA`)
      .expect(404);

    // Bad answers: 400 with the fields; the link and the task are untouched.
    const bad = await p
      .http('callback')
      .post(`/s/${link}`)
      .type('form')
      .send('contacted=maybe&resolved=true&satisfaction=delighted')
      .expect(400);
    expect((bad.body as { errors: { field: string }[] }).errors.map((e) => e.field).sort()).toEqual(['contacted', 'satisfaction']);
    const unknown = await p
      .http('callback')
      .post(`/s/${link}`)
      .send({ contacted: true, resolved: true, satisfaction: 'satisfied', name: 'x' })
      .expect(400);
    expect(unknown.body.errors).toEqual([{ field: 'name', reason: 'property name should not exist' }]);
    expect(await task(t.id)).toMatchObject({ state: 'claimed', satisfaction: null });

    const thanks = await p
      .http('callback')
      .post(`/s/${link}`)
      .set('Accept', 'text/html')
      .type('form')
      .send('contacted=true&resolved=true&satisfaction=satisfied&comment=%E7%94%B5%E6%A2%AF%E5%A5%BD%E4%BA%86')
      .expect(200);
    expect(thanks.text).toContain('感谢您的评价');
    expect(await task(t.id)).toMatchObject({ state: 'completed', channel: 'sms', satisfaction: 'satisfied', claimedBy: null });
    await eventually<Order>(order(ids.b.id), (o) => o.state === 'closed', 'order B closed');

    // Reused: 409, as JSON and as a page.
    const again = await p
      .http('callback')
      .post(`/s/${link}`)
      .send({ contacted: true, resolved: true, satisfaction: 'satisfied' })
      .expect(409);
    expect(again.body.message).toContain('already been used');
    const againPage = await p.http('callback').get(`/s/${link}`).set('Accept', 'text/html').expect(409);
    expect(againPage.text).toContain('此链接已使用');
  });

  it('not satisfied → reopened → a second reply → satisfied → closed', async () => {
    ids.d = await submit('周海燕', '13897004444');
    await handle(ids.d.id, '已通知物业公司对电梯进行检修');
    const first = await taskOf(ids.d.id);
    await agent().post(`/tasks/${first.id}/claim`).expect(200);
    await agent()
      .post(`/tasks/${first.id}/complete`, { contacted: false, resolved: false, satisfaction: 'unsatisfied', comment: '电梯还是经常停' })
      .expect(200);
    await eventually<Order>(order(ids.d.id), (o) => o.state === 'reopened' && o.cycle === 2, 'order D reopened');

    await handle(ids.d.id, '已联合区市场监管局现场检查，责令更换曳引机，已验收合格', false);
    const second = await taskOf(ids.d.id, 'reply', 2);
    await agent().post(`/tasks/${second.id}/claim`).expect(200);
    await agent().post(`/tasks/${second.id}/complete`, { contacted: true, resolved: true, satisfaction: 'satisfied' }).expect(200);
    // the unsatisfied callback put the order on the supervision list (sla, on a consumer of its own, so
    // its entry may land anywhere among the steps)
    const closed = await eventually<Order>(
      order(ids.d.id),
      (o) => o.state === 'closed' && o.timeline.some((x) => x.action === 'sla_supervised'),
      'order D closed, its supervision item on the timeline',
    );
    expect(closed.timeline.filter((x) => x.action === 'sla_supervised')).toHaveLength(1);
    expect(closed.timeline.map((x) => x.action).filter((a) => a !== 'sla_supervised')).toEqual([
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
  });

  it('spot check: the supervisors call a closed order again; the result stays apart from the first callback', async () => {
    const spot = await taskOf(ids.a.id, 'spot_check');
    expect(spot).toMatchObject({ state: 'pending', checkedTaskId: aTask.id, cycle: 1 });
    await agent().post(`/tasks/${spot.id}/claim`).expect(403);
    await p.as('supervisor', 'callback').post(`/tasks/${spot.id}/claim`).expect(200);
    await p.as('supervisor', 'callback').get(`/tasks/${spot.id}/contact`).expect(200);
    await p
      .as('supervisor', 'callback')
      .post(`/tasks/${spot.id}/complete`, { contacted: true, resolved: false, satisfaction: 'unsatisfied', comment: '抽查：电梯仍有异响' })
      .expect(200);
    expect(await task(aTask.id)).toMatchObject({ state: 'completed', resolved: true, satisfaction: 'basically_satisfied' });
    const checked = (await callbackEvents()).filter((e) => e.type === 'callback.spot-checked.v1');
    expect(checked).toHaveLength(1);
    expect(checked[0].data).toMatchObject({ checkedTaskId: aTask.id, outcome: 'answered', agreesWithCallback: false });
    const a = (await order(ids.a.id)().expect(200)).body as Order;
    expect(a.state).toBe('closed');

    // B's spot check goes out by SMS; its link expires unanswered (last test).
    const bSpot = await taskOf(ids.b.id, 'spot_check');
    await p.as('supervisor', 'callback').post(`/tasks/${bSpot.id}/claim`).expect(200);
    await p.as('supervisor', 'callback').post(`/tasks/${bSpot.id}/sms`).expect(200);
    bSpotToken = token(texts.at(-1)!.text);
  });

  it('first-contact answers are sampled and called back, credited to the hotline centre', async () => {
    const ticketId = randomUUID();
    await publishFromIntake('ticket.answered.v1', ticketId, {
      orderNo: '20260310-009001',
      channel: 'phone_12345',
      requestType: 'inquiry',
      categoryCode: 'social_security',
      answer: '社保卡补办可在就近社保服务网点或“青海人社通”办理。',
      answeredAt: p.slaClock.now().toISOString(),
    });
    const t = await taskOf(ticketId, 'first_contact');
    expect(t).toMatchObject({ unitId: CENTRE, state: 'pending' });
    const next = await agent().post('/tasks/next').expect(200);
    expect(next.body.kind).not.toBe('spot_check');
    await agent().post(`/tasks/${next.body.id}/release`).expect(200);
    await agent().post(`/tasks/${t.id}/claim`).expect(200);
    await agent().post(`/tasks/${t.id}/complete`, { contacted: true, resolved: true, satisfaction: 'satisfied' }).expect(200);
    const events = await callbackEvents();
    expect(events.find((e) => e.type === 'callback.completed.v1' && e.data.taskId === t.id)!.data).toMatchObject({
      kind: 'first_contact',
      unitId: CENTRE,
    });
  });

  it('repeat tracking: intake’s repeat flag marks the task and the outcome (最多打一次)', async () => {
    const ticketId = randomUUID();
    await publishFromIntake('ticket.accepted.v1', ticketId, {
      orderNo: '20260310-009002',
      channel: 'phone_12345',
      requestType: 'complaint',
      categoryCode: 'lift',
      urgency: 'ordinary',
      content: '第三次反映：电梯仍未修好',
      location: { address: '西宁市城西区胜利路20号', districtCode: '630104', streetCode: '630104004' },
      identityHidden: false,
      proactive: false,
      flags: ['repeat'],
      acceptedAt: p.slaClock.now().toISOString(),
    });
    await handle(ticketId, '已督促维保单位对电梯彻底维修');
    const t = await taskOf(ticketId);
    expect(t.repeatCall).toBe(true);
    const repeats = (await agent().get('/tasks?repeatCall=true').expect(200)).body as Task[];
    expect(repeats.map((x) => x.id)).toEqual([t.id]);
    await agent().post(`/tasks/${t.id}/claim`).expect(200);
    await agent().post(`/tasks/${t.id}/complete`, { contacted: true, resolved: true, satisfaction: 'satisfied' }).expect(200);
    const events = await callbackEvents();
    expect(events.find((e) => e.type === 'callback.completed.v1' && e.data.taskId === t.id)!.data).toMatchObject({
      kind: 'reply',
      repeatCall: true,
    });
  });

  it('repeat tracking: a merge that arrives before its order’s acceptance is kept, and the task made later is a repeat call', async () => {
    const ticketId = randomUUID();
    // The same citizen called again and was merged into the order (重复件, and by now 集中件); callback
    // hears of the merge before the acceptance, which knew of no flag.
    await publishFromIntake('ticket.merged.v1', ticketId, {
      contactId: randomUUID(),
      channel: 'phone_12345',
      citizenCount: 3,
      flags: ['repeat', 'concentrated'],
      mergedAt: p.slaClock.now().toISOString(),
    });
    const flags = async () =>
      (await p.db.query<{ flags: string[] }>(`SELECT flags FROM callback.callback_ticket WHERE ticket_id = $1`, [ticketId])).rows[0]?.flags;
    await waitFor(flags, (f) => f?.length === 2, { what: 'the merge’s flags kept on the order in callback' });
    await publishFromIntake('ticket.accepted.v1', ticketId, {
      orderNo: '20260310-009003',
      channel: 'phone_12345',
      requestType: 'complaint',
      categoryCode: 'lift',
      urgency: 'ordinary',
      content: '电梯按钮失灵，多次反映',
      location: { address: '西宁市城西区胜利路20号', districtCode: '630104', streetCode: '630104004' },
      identityHidden: false,
      proactive: false,
      flags: [],
      acceptedAt: p.slaClock.now().toISOString(),
    });
    await handle(ticketId, '已督促维保单位更换电梯按钮面板');
    const t = await taskOf(ticketId);
    expect(t.repeatCall).toBe(true);
    // The acceptance joined its flags (none) to the merge's: none was removed.
    expect([...((await flags()) ?? [])].sort()).toEqual(['concentrated', 'repeat']);
  });

  it('unreachable: attempts at least two hours apart, over two days, then callback failed and the order closed', async () => {
    ids.c = await submit('钱国强', '13897005555');
    await handle(ids.c.id, '已督促维保单位修复电梯，运行正常');
    const t = await taskOf(ids.c.id);
    await agent().post(`/tasks/${t.id}/claim`).expect(200);
    const bad = await agent().post(`/tasks/${t.id}/attempts`, { result: 'asleep' }).expect(400);
    expect(bad.body.errors[0].field).toBe('result');
    expect(await task(t.id)).toMatchObject({ attempts: 0 });

    await agent().post(`/tasks/${t.id}/attempts`, { result: 'no_answer' }).expect(200);
    expect(await task(t.id)).toMatchObject({ state: 'pending', attempts: 1, claimedBy: null });
    const soon = await agent().post(`/tasks/${t.id}/claim`).expect(409);
    expect(soon.body.message).toContain('call again from');
    // The queue says when the task comes back, and the task its attempts, with the order's number and reply.
    const back = (await task(t.id)) as Task & { callableFrom: string; attemptLog: { result: string; agent: string }[]; orderNo: string };
    expect(new Date(back.callableFrom).getTime()).toBe(p.slaClock.now().getTime() + 2 * HOUR);
    expect(back.attemptLog).toEqual([expect.objectContaining({ result: 'no_answer', agent: 'cb-001' })]);
    expect(back).toMatchObject({ orderNo: ids.c.orderNo, publicReply: '已督促维保单位修复电梯，运行正常', overdue: false });
    const listed = (await agent().get(`/tasks?ticketId=${ids.c.id}`).expect(200)).body as (Task & { callableFrom: string | null })[];
    expect(listed.map((x) => x.callableFrom)).toEqual([back.callableFrom]);
    expect((await agent().get(`/tasks?mine=true&ticketId=${ids.c.id}`).expect(200)).body).toEqual([]);
    expect((await agent().get(`/tasks?overdue=true&ticketId=${ids.c.id}`).expect(200)).body).toEqual([]);
    await agent().get('/tasks?overdue=perhaps').expect(400);

    p.slaClock.advance(2 * HOUR);
    await agent().post(`/tasks/${t.id}/claim`).expect(200);
    await agent().post(`/tasks/${t.id}/attempts`, { result: 'busy' }).expect(200);
    p.slaClock.advance(3 * HOUR);
    await agent().post(`/tasks/${t.id}/claim`).expect(200);
    await agent().post(`/tasks/${t.id}/attempts`, { result: 'no_answer' }).expect(200);
    // Three attempts, all on one day: not yet unreachable.
    expect(await task(t.id)).toMatchObject({ state: 'pending', attempts: 3 });

    p.slaClock.advance(20 * HOUR); // the next morning
    await agent().post(`/tasks/${t.id}/claim`).expect(200);
    await agent().post(`/tasks/${t.id}/attempts`, { result: 'no_answer' }).expect(200);
    expect(await task(t.id)).toMatchObject({ state: 'failed', attempts: 4 });
    const closed = await eventually<Order>(order(ids.c.id), (o) => o.state === 'closed', 'order C closed as unreachable');
    expect(closed.timeline.at(-1)!.action).toBe('close');
  });

  it('an expired survey link is refused with 410 and records nothing', async () => {
    p.slaClock.advance(30 * HOUR); // B's spot-check link was valid for 48 h
    const gone = await p
      .http('callback')
      .post(`/s/${bSpotToken}`)
      .send({ contacted: true, resolved: true, satisfaction: 'satisfied' })
      .expect(410);
    expect(gone.body.message).toContain('expired');
    await p.http('callback').get(`/s/${bSpotToken}`).set('Accept', 'text/html').expect(410);
    const bSpot = await taskOf(ids.b.id, 'spot_check');
    expect(bSpot).toMatchObject({ state: 'claimed', satisfaction: null });
  });

  it('analytics receives every outcome', async () => {
    const r = await eventually<{ events: Record<string, number> }>(
      () => p.as('analyst', 'analytics').get(`/rates?${period}`),
      (x) => x.events['callback.spot-checked.v1'] === 1 && x.events['callback.failed.v1'] === 1 && x.events['callback.completed.v1'] === 6,
      'every callback outcome in analytics',
    );
    expect(r.events).toMatchObject({ 'callback.completed.v1': 6, 'callback.failed.v1': 1, 'callback.spot-checked.v1': 1 });
  });
});
