/**
 * 督: time limits, warnings, breaches, the escalation ladder, extensions, a reopen's new cycle, a
 * calendar edit and the supervision list, with the five services on one ManualClock and time moved
 * by hand. Orders are dispatched on Friday 26 September 2025, the Friday before the National Day
 * holiday (1–8 October off; Sunday 28 September and Saturday 11 October are working days).
 */
import { USERS } from './dispatch-helpers';
import { agentFor, bootPlatform, callBack, eventually, Platform, submitTicket } from './platform';

jest.setTimeout(120_000);

const T0 = new Date('2025-09-26T10:00:00+08:00');
const L = (local: string) => new Date(`${local}+08:00`).toISOString();

let p: Platform;
beforeAll(async () => {
  p = await bootPlatform({ start: T0, allOnManualClock: true });
});
afterAll(async () => {
  await p?.close();
});

interface ClockRow {
  id: string;
  kind: string;
  cycle: number;
  policyId: string;
  dueAt: string;
  stoppedAt: string | null;
  pausedAt: string | null;
  fired: string[];
  remainingMinutes: number | null;
  remainingWorkingMinutes: number | null;
}
interface Order {
  state: string;
  cycle: number;
  finishDueAt: string | null;
  dueCycle: number;
  timeline: { action: string; note: string | null; data: Record<string, unknown> }[];
  flags: string[];
}
interface Item {
  id: string;
  ticketId: string;
  unitId: string;
  reason: string;
  level: string;
  status: string;
  summary: string;
  urgeCount: number;
  actions: { action: string; label: string; note: string | null; actor: string }[];
}
interface Extension {
  id: string;
  ticketId: string;
  status: string;
  grantedDays: number;
  newDueAt: string | null;
  decisionNote: string | null;
}

const sla = () => p.as('supervisor', 'sla');
const at = async (local: string) => {
  p.slaClock.set(new Date(`${local}+08:00`));
  return (await p.as('admin', 'sla').post('/admin/tick').expect(200)).body as { warnings: number; breaches: number };
};
const clocks = (id: string) => sla().get(`/clocks?ticketId=${id}`);
const finishOf = async (id: string, cycle = 1) =>
  ((await clocks(id).expect(200)).body as ClockRow[]).find((c) => c.kind === 'finish' && c.cycle === cycle)!;
const order = (id: string) => p.as('dispatcher', 'dispatch').get(`/orders/${id}`);

/** What sla published about an order: type, detail, and when (UTC). */
async function published(ticketId: string): Promise<[string, string, string][]> {
  const r = await p.db.query<{ type: string; detail: string | null; at: string }>(
    `SELECT type, coalesce(envelope->'data'->>'rule', envelope->'data'->>'target', envelope->'data'->>'reason') AS detail,
            envelope->>'occurredAt' AS at
       FROM sla.outbox WHERE envelope->>'ticketId' = $1 AND type <> 'sla.clocks-set.v1' ORDER BY seq`,
    [ticketId],
  );
  return r.rows.map((x) => [x.type, x.detail ?? '', x.at]);
}

async function newOrder(content: string): Promise<string> {
  const { id } = await submitTicket(p, { content });
  await eventually<Order>(
    () => order(id),
    (o) => !!o.finishDueAt,
    `order ${content} dispatched with its due time`,
  );
  return id;
}

async function signAndContact(id: string): Promise<void> {
  await p.as('handlerMarket', 'dispatch').post(`/orders/${id}/sign`).expect(200);
  await p.as('handlerMarket', 'dispatch').post(`/orders/${id}/contact`, { method: 'phone', note: '已电话联系诉求人' }).expect(200);
  await eventually<ClockRow[]>(
    () => clocks(id),
    (cs) => cs.find((c) => c.kind === 'respond')?.stoppedAt != null,
    'respond clock stopped',
  );
}

/** A Chengbei (630105) supervisor: sees nothing of Chengxi. */
const asChengbei = (path: string) => agentFor(p.apps.sla, USERS.bSupervisor).get(path);

describe('SLA and supervision over HTTP with a moved clock', () => {
  let policyId: string;
  const ids: Record<'a' | 'b' | 'c' | 'd', string> = { a: '', b: '', c: '', d: '' };

  it('refuses bad policies with the reason and changes nothing', async () => {
    const before = ((await sla().get('/policies').expect(200)).body as unknown[]).length;
    const good = {
      name: '城西区 电梯投诉 5个工作日 (两日前预警)',
      districtCode: '630104',
      requestType: 'complaint',
      categoryPrefix: 'lift',
      respond: { value: 24, unit: 'hours' },
      finish: { value: 5, unit: 'working_days' },
      warnPercent: 75,
      warnWorkingDaysBefore: 2,
      pauseOn: ['extension_pending'],
      priority: 30,
    };
    const bad: [object, string][] = [
      [{ ...good, finish: { value: -5, unit: 'working_days' } }, 'finish.value'],
      [{ ...good, finish: { value: 400, unit: 'working_days' } }, 'finish.value'],
      [{ ...good, categoryPrefix: 'unicorns' }, 'categoryPrefix'],
      [
        {
          ...good,
          escalation: [
            { target: 'city', afterWorkingDays: 0 },
            { target: 'unit', afterWorkingDays: 2 },
          ],
        },
        'escalation.1',
      ],
    ];
    for (const [body, field] of bad) {
      const res = await p.as('admin', 'sla').post('/policies', body).expect(400);
      expect((res.body as { errors: { field: string }[] }).errors.map((e) => e.field)).toContain(field);
    }
    await sla().post('/policies', good).expect(403); // only admin writes policies
    expect(((await sla().get('/policies').expect(200)).body as unknown[]).length).toBe(before);
    policyId = ((await p.as('admin', 'sla').post('/policies', good).expect(201)).body as { id: string; version: number }).id;
  });

  it('gives an order dispatched the Friday before the holiday its due times on the new policy', async () => {
    ids.a = await newOrder('A 电梯忽上忽下');
    ids.b = await newOrder('B 电梯门夹人');
    ids.c = await newOrder('C 电梯异响');
    ids.d = await newOrder('D 电梯停运');
    for (const id of Object.values(ids)) await signAndContact(id);
    const a = await finishOf(ids.a);
    expect(a.policyId).toBe(policyId);
    // Sun 28 Sep (works), Mon 29, Tue 30, Thu 9 Oct, Fri 10 Oct.
    expect(a.dueAt).toBe(L('2025-10-10T10:00:00'));
    expect(a.remainingMinutes).toBe(14 * 24 * 60);
    expect(a.remainingWorkingMinutes).toBe(5 * 24 * 60);
    expect(((await order(ids.a).expect(200)).body as Order).finishDueAt).toBe(a.dueAt);
  });

  it('refuses an extension beyond the maximum by rule, and the deadline stays', async () => {
    const res = await p
      .as('handlerMarket', 'dispatch')
      .post(`/orders/${ids.c}/extension`, { days: 15, reason: '需更换曳引机' })
      .expect(202);
    const requestId = (res.body as { requestId: string }).requestId;
    const x = await eventually<Extension>(
      () => sla().get(`/extensions/${requestId}`),
      (b) => b.status === 'refused',
      'refused by rule',
    );
    expect(x.decisionNote).toContain('maximum of 10 working days');
    const o = await eventually<Order>(
      () => order(ids.c),
      (b) => b.timeline.some((t) => t.action === 'extension_refused'),
      'refusal on the timeline',
    );
    expect(o.finishDueAt).toBe(L('2025-10-10T10:00:00'));
    await p.as('handlerMarket', 'dispatch').post(`/orders/${ids.c}/extension`, { days: 0, reason: 'x' }).expect(400);
    await p.as('dispatcher', 'dispatch').post(`/orders/${ids.c}/extension`, { days: 2, reason: '需更换曳引机' }).expect(403);
  });

  it('pauses the clock while an extension waits; a supervisor refuses one and the deadline does not move', async () => {
    await at('2025-09-29T10:00:00');
    const b = await p
      .as('handlerMarket', 'dispatch')
      .post(`/orders/${ids.b}/extension`, { days: 3, reason: '需厂家更换门机配件' })
      .expect(202);
    const c = await p.as('unitHead', 'dispatch').post(`/orders/${ids.c}/extension`, { days: 2, reason: '需等待检测报告' }).expect(202);
    const [xb, xc] = [b, c].map((r) => (r.body as { requestId: string }).requestId);
    await eventually<ClockRow[]>(
      () => clocks(ids.b),
      (cs) => cs.some((x) => x.kind === 'finish' && x.pausedAt !== null),
      'B paused',
    );
    await eventually<Extension[]>(
      () => sla().get('/extensions?status=pending'),
      (l) => l.length === 2,
      'two pending requests',
    );

    const refuse = await sla().post(`/extensions/${xc}/decision`, { approve: false }).expect(400);
    expect((refuse.body as { errors: { field: string }[] }).errors[0].field).toBe('note');
    await sla().post(`/extensions/${xc}/decision`, { approve: true, days: 5 }).expect(400); // more than asked
    await sla().post(`/extensions/${xc}/decision`, { approve: false, note: '诉求人已多次反映，须按期办结' }).expect(200);
    await sla().post(`/extensions/${xc}/decision`, { approve: true }).expect(409);
    expect((await finishOf(ids.c)).dueAt).toBe(L('2025-10-10T10:00:00'));
    const o = await eventually<Order>(
      () => order(ids.c),
      (x) => x.timeline.filter((t) => t.action === 'extension_refused').length === 2,
      'refusal',
    );
    expect(o.finishDueAt).toBe(L('2025-10-10T10:00:00'));

    // C answers before its deadline; its clock stops.
    await p
      .as('handlerMarket', 'dispatch')
      .post(`/orders/${ids.c}/reply`, { outcome: 'resolved', replyText: '已更换曳引机并经检测合格。' })
      .expect(200);
    await eventually<ClockRow[]>(
      () => clocks(ids.c),
      (cs) => cs.every((x) => x.stoppedAt !== null),
      'C stopped',
    );
    expect(xb).toBeDefined();
  });

  it('warns two working days before the due time, not for the paused order', async () => {
    expect(await at('2025-09-30T09:59:00')).toEqual({ warnings: 0, breaches: 0 });
    expect(await at('2025-09-30T10:00:00')).toEqual({ warnings: 2, breaches: 0 }); // A and D; B stands, C replied
  });

  it('an approved extension moves the deadline by the days granted and the time it stood', async () => {
    const [xb] = (await sla().get(`/extensions?ticketId=${ids.b}&status=pending`).expect(200)).body as Extension[];
    const x = (await sla().post(`/extensions/${xb.id}/decision`, { approve: true, note: '同意延期3个工作日' }).expect(200))
      .body as Extension;
    // 10 Oct + 3 working days (Sat 11, 13, 14) + one working day stood still (29 → 30 Sep).
    expect(x).toMatchObject({ status: 'approved', grantedDays: 3, newDueAt: L('2025-10-15T10:00:00') });
    // The new due time (sla.clocks-set.v1) and the timeline entry (sla.extension-decided.v1) reach
    // dispatch by two consumers, in either order: wait for both.
    const o = await eventually<Order>(
      () => order(ids.b),
      (b) => b.finishDueAt === L('2025-10-15T10:00:00') && b.timeline.some((t) => t.action === 'extension_approved'),
      'new due and the approval in dispatch',
    );
    expect(o.timeline.map((t) => t.action)).toEqual(expect.arrayContaining(['extension_requested', 'extension_approved']));
    expect((await finishOf(ids.b)).pausedAt).toBeNull();
  });

  it('a reopen after an unsatisfied callback starts a new finish cycle and puts the order on the list', async () => {
    p.slaClock.set(new Date('2025-09-30T11:00:00+08:00'));
    await p
      .as('handlerMarket', 'dispatch')
      .post(`/orders/${ids.d}/reply`, { outcome: 'resolved', replyText: '已通知物业恢复电梯运行。' })
      .expect(200);
    await p.as('dispatcher', 'dispatch').post(`/orders/${ids.d}/review`, { decision: 'approved' }).expect(200);
    await callBack(p, ids.d, 1, { resolved: false, satisfaction: 'unsatisfied' });
    const o = await eventually<Order>(
      () => order(ids.d),
      (x) => x.state === 'reopened' && x.dueCycle === 2,
      'reopened with cycle 2 due',
    );
    // 9, 10, Sat 11, 13, 14 October.
    expect(o.finishDueAt).toBe(L('2025-10-14T11:00:00'));
    const cs = (await clocks(ids.d).expect(200)).body as ClockRow[];
    expect(cs.find((c) => c.kind === 'finish' && c.cycle === 1)?.stoppedAt).not.toBeNull();
    expect(cs.find((c) => c.kind === 'finish' && c.cycle === 2)).toMatchObject({ stoppedAt: null, dueAt: L('2025-10-14T11:00:00') });
    const items = await eventually<Item[]>(
      () => sla().get('/supervision?reason=unsatisfied'),
      (l) => l.length === 1,
      'unsatisfied item',
    );
    expect(items[0]).toMatchObject({
      ticketId: ids.d,
      level: 'district',
      status: 'open',
      summary: '回访：未解决、不满意（第1轮） callback: not resolved, unsatisfied (cycle 1)',
    });
  });

  it('fires the percentage warning, the breach and each step of the ladder at its moment', async () => {
    await at('2025-10-06T22:00:00'); // 75 % of A's 14 calendar days
    expect(await at('2025-10-10T09:59:00')).toEqual({ warnings: 0, breaches: 0 });
    expect(await at('2025-10-10T10:00:00')).toEqual({ warnings: 0, breaches: 1 }); // A only: B was extended, C replied
    const [item] = (await sla().get(`/supervision?reason=overdue`).expect(200)).body as Item[];
    expect(item).toMatchObject({ ticketId: ids.a, level: 'unit' });
    // The due time in the city's time (10:00 in Xining), not the stored UTC instant.
    expect(item.summary).toBe('办结超时：应于 10月10日 10:00 前办结（第1轮） finish overdue: due 2025-10-10 10:00 (cycle 1)');
    expect(await at('2025-10-11T09:59:00')).toEqual({ warnings: 2, breaches: 0 }); // B (10 Oct 16:00) and D's cycle 2 (23:00) at 75 %
    expect(((await sla().get(`/supervision/${item.id}`).expect(200)).body as Item).level).toBe('unit');
    await at('2025-10-11T10:00:00'); // one working day later: the adjusted working Saturday
    expect(((await sla().get(`/supervision/${item.id}`).expect(200)).body as Item).level).toBe('district');
    await at('2025-10-16T09:59:00');
    expect(((await sla().get(`/supervision?level=city`).expect(200)).body as Item[]).map((i) => i.ticketId)).not.toContain(ids.a);
    await at('2025-10-16T10:00:00'); // five working days later: 11, 13, 14, 15, 16
    expect(((await sla().get(`/supervision?level=city`).expect(200)).body as Item[]).map((i) => i.ticketId)).toContain(ids.a);

    expect(await published(ids.a)).toEqual([
      ['sla.warning.v1', '2_working_days_before', L('2025-09-30T10:00:00')],
      ['sla.warning.v1', 'elapsed_75pct', L('2025-10-06T22:00:00')],
      ['sla.breached.v1', '', L('2025-10-10T10:00:00')],
      ['sla.supervision-opened.v1', 'overdue', L('2025-10-10T10:00:00')],
      ['sla.escalated.v1', 'unit', L('2025-10-10T10:00:00')],
      ['sla.escalated.v1', 'district', L('2025-10-11T10:00:00')],
      ['sla.escalated.v1', 'city', L('2025-10-16T10:00:00')],
    ]);
    const b = await published(ids.b);
    // B's deadline moved to 15 Oct 10:00: no breach on 10 Oct; the first tick after 15 Oct fires it.
    expect(b.filter(([t]) => t === 'sla.breached.v1').map(([, , when]) => when)).toEqual([L('2025-10-16T09:59:00')]);
  });

  it('dispatch shows the warnings, the breach and the escalations on the order, and the overdue worklist', async () => {
    const ALERTS = ['sla_warning', 'sla_breached', 'sla_escalated'];
    const a = await eventually<Order>(
      () => order(ids.a),
      (o) => o.timeline.filter((t) => ALERTS.includes(t.action)).length === 6 && o.timeline.some((t) => t.action === 'sla_supervised'),
      'two warnings, the breach and three escalations on A’s timeline, and the supervision item opened',
    );
    // Each kind arrives on its own consumer, so their order on the timeline may differ from the firing order.
    const alerts = a.timeline.filter((t) => ALERTS.includes(t.action));
    expect(a.timeline.filter((t) => t.action === 'sla_supervised').map((t) => [t.data.reason, t.data.remark])).toEqual([
      ['overdue', '办结超时：应于 10月10日 10:00 前办结（第1轮） finish overdue: due 2025-10-10 10:00 (cycle 1)'],
    ]);
    expect(alerts.map((t) => t.action).sort()).toEqual([
      'sla_breached',
      'sla_escalated',
      'sla_escalated',
      'sla_escalated',
      'sla_warning',
      'sla_warning',
    ]);
    expect(alerts.find((t) => t.action === 'sla_breached')!.note).toContain('超时 overdue');
    expect(alerts.filter((t) => t.action === 'sla_escalated').map((t) => t.note!.split(' to ')[1].split(':')[0])).toEqual(
      expect.arrayContaining(['承办单位负责人 the unit’s head', '区级督办 the district', '市级督办 the city']),
    );
    // 16 October: A is past its finish limit and unreplied; C replied in time.
    const overdue = (await p.as('dispatcher', 'dispatch').get('/orders?overdue=true').expect(200)).body as { ticketId: string }[];
    expect(overdue.map((o) => o.ticketId)).toContain(ids.a);
    expect(overdue.map((o) => o.ticketId)).not.toContain(ids.c);
    const onTime = (await p.as('dispatcher', 'dispatch').get('/orders?overdue=false').expect(200)).body as { ticketId: string }[];
    expect(onTime.map((o) => o.ticketId)).toContain(ids.c);
    expect(onTime.map((o) => o.ticketId)).not.toContain(ids.a);
    await p.as('dispatcher', 'dispatch').get('/orders?overdue=yes').expect(400);
  });

  it('a supervisor works an item off the list: urge, comment, close', async () => {
    const [item] = (await sla().get(`/supervision?level=city&districtCode=630104&minAgeDays=5`).expect(200)).body as Item[];
    expect(item.ticketId).toBe(ids.a);
    expect(((await sla().get('/supervision?districtCode=630105').expect(200)).body as Item[]).length).toBe(0);
    await asChengbei(`/supervision/${item.id}`).expect(404);
    expect((await asChengbei('/supervision').expect(200)).body).toEqual([]);
    await p.as('dispatcher', 'sla').post(`/supervision/${item.id}/urge`, { note: '请今日答复' }).expect(403);
    await sla().post(`/supervision/${item.id}/urge`, {}).expect(400);

    const urged = (await sla().post(`/supervision/${item.id}/urge`, { note: '请于今日17:00前答复诉求人' }).expect(200)).body as Item;
    expect(urged.urgeCount).toBe(1);
    await sla().post(`/supervision/${item.id}/comment`, { note: '单位已承诺明日上门' }).expect(200);
    const closed = (await sla().post(`/supervision/${item.id}/close`, { note: '已办结' }).expect(200)).body as Item;
    expect(closed.status).toBe('closed');
    expect(closed.actions.map((x) => x.action)).toEqual(['opened', 'escalated', 'escalated', 'escalated', 'urge', 'comment', 'close']);
    expect(closed.actions[4].label).toBe('催办 urged');
    await sla().post(`/supervision/${item.id}/close`, {}).expect(409);
    await sla().post(`/supervision/${item.id}/urge`, { note: '再次催办' }).expect(409);
    expect(((await sla().get('/supervision?reason=overdue').expect(200)).body as Item[]).map((i) => i.id)).not.toContain(item.id);
    const events = (await published(ids.a)).map(([t]) => t);
    expect(events.slice(-2)).toEqual(['sla.urged.v1', 'sla.supervision-closed.v1']);
    // the item's level and unit at its close travel with it (notify tells that unit, with the level)
    const closedEvent = await p.db.query<{ data: Record<string, unknown> }>(
      `SELECT envelope->'data' AS data FROM sla.outbox WHERE envelope->>'ticketId' = $1 AND type = 'sla.supervision-closed.v1'`,
      [ids.a],
    );
    expect(closedEvent.rows.map((r) => r.data)).toEqual([
      expect.objectContaining({ itemId: item.id, reason: 'overdue', level: 'city', unitId: item.unitId }),
    ]);
    // the unit sees it on the order's timeline: put on the list, and closed with the note
    const o = await eventually<Order>(
      () => order(ids.a),
      (x) => x.timeline.some((t) => t.action === 'sla_supervision_closed'),
      'the closed item on the timeline',
    );
    const watched = o.timeline.filter((t) => t.action === 'sla_supervised' || t.action === 'sla_supervision_closed');
    expect(watched.map((t) => [t.action, t.data.itemId, t.data.reason])).toEqual([
      ['sla_supervised', item.id, 'overdue'],
      ['sla_supervision_closed', item.id, 'overdue'],
    ]);
    expect(watched[1].data.remark).toBe('已办结');
  });

  it('asking for an extension after the deadline is refused at once', async () => {
    await p.as('handlerMarket', 'dispatch').post(`/orders/${ids.a}/extension`, { days: 2, reason: '需协调' }).expect(409);
  });

  it('editing the calendar recomputes the running clocks, and a year without data is reported', async () => {
    const e = await newOrder('E 电梯按钮失灵'); // Thu 16 Oct 10:00 → 17, 20, 21, 22, 23 Oct
    expect((await finishOf(e)).dueAt).toBe(L('2025-10-23T10:00:00'));
    await p
      .as('admin', 'sla')
      .post('/calendar/days', { days: [{ day: '2025-13-40', working: false }] })
      .expect(400);
    await sla()
      .post('/calendar/days', { days: [{ day: '2025-10-20', working: false }] })
      .expect(403);
    const edit = await p
      .as('admin', 'sla')
      .post('/calendar/days', { days: [{ day: '2025-10-20', working: false, note: '地方节日' }] })
      .expect(200);
    expect((edit.body as { clocksMoved: number }).clocksMoved).toBeGreaterThanOrEqual(1);
    expect((await finishOf(e)).dueAt).toBe(L('2025-10-24T10:00:00'));
    await eventually<Order>(
      () => order(e),
      (o) => o.finishDueAt === L('2025-10-24T10:00:00'),
      'moved due in dispatch',
    );
    await p.as('admin', 'sla').delete('/calendar/days/2025-10-20').expect(200);
    expect((await finishOf(e)).dueAt).toBe(L('2025-10-23T10:00:00'));
    expect((await sla().get('/calendar/2025').expect(200)).body).toMatchObject({ source: 'library', overrides: [] });
    expect((await sla().get('/calendar/2028').expect(200)).body).toMatchObject({ source: null });
    await sla().post(`/clocks/${e}/pause`, { reason: 'waiting_for_citizen' }).expect(409); // this policy does not pause for it
  });
});

describe('the about-to-breach board (临期看板) and 临期催办', () => {
  it('lists running clocks by the working time they have left, and urges the unit of an order not yet on the list', async () => {
    // Another citizen at another address: the suite's other orders (one caller, one address) make
    // intake flag a repeat, which opens a 双交办 item at dispatch.
    const { id } = await submitTicket(p, {
      content: '楼道声控灯坏了一个多月，晚上上下楼看不见',
      categoryCode: 'lift',
      citizen: { name: '钱文静', phone: '13997005566' },
      location: { address: '西宁市城西区五四大街88号', districtCode: '630104' },
    });
    await eventually<Order>(
      () => order(id),
      (o) => !!o.finishDueAt && o.flags.length === 0,
      'the order dispatched, unflagged, with its due time',
    );
    const f = await finishOf(id);
    const hours = Math.ceil(f.remainingWorkingMinutes! / 60);
    const board = (h: number | string) => sla().get(`/clocks/at-risk?withinWorkingHours=${h}&districtCode=630104`);
    const within = ((await board(hours).expect(200)).body as ClockRow[]).find((c) => c.id === f.id);
    expect(within).toMatchObject({ kind: 'finish', remainingWorkingMinutes: f.remainingWorkingMinutes });
    expect(((await board(hours - 1).expect(200)).body as ClockRow[]).map((c) => c.id)).not.toContain(f.id);
    expect((await asChengbei('/clocks/at-risk?withinWorkingHours=240').expect(200)).body).toEqual([]);
    const bad = await board(0).expect(400);
    expect((bad.body as { errors: { field: string }[] }).errors.map((e) => e.field)).toEqual(['withinWorkingHours']);

    await p.as('dispatcher', 'sla').post('/supervision/urge', { ticketId: id, note: '请加快办理' }).expect(403);
    await sla().post('/supervision/urge', { ticketId: 'nope', note: '请加快办理' }).expect(400);
    await sla().post('/supervision/urge', { ticketId: '00000000-0000-4000-8000-000000000000', note: '请加快办理' }).expect(404);
    await agentFor(p.apps.sla, USERS.bSupervisor).post('/supervision/urge', { ticketId: id, note: '请加快办理' }).expect(404);

    const first = (await sla().post('/supervision/urge', { ticketId: id, note: '即将超时，请今日答复诉求人' }).expect(200)).body as Item;
    expect(first).toMatchObject({ ticketId: id, reason: 'at_risk', level: 'unit', status: 'open', urgeCount: 1 });
    expect(first.actions.map((a) => a.action)).toEqual(['opened', 'urge']);
    const due = new Date(f.dueAt).toLocaleString('sv-SE', { timeZone: 'Asia/Shanghai' }).slice(0, 16); // 2025-10-14 11:00
    const [month, day] = due.slice(5, 10).split('-').map(Number);
    expect(first.summary).toBe(
      `临期督办：应于 ${month}月${day}日 ${due.slice(11)} 前办结（第1轮） about to breach: finish due ${due} (cycle 1)`,
    );
    const again = (await sla().post('/supervision/urge', { ticketId: id, note: '再次催办' }).expect(200)).body as Item;
    expect(again).toMatchObject({ id: first.id, urgeCount: 2 });

    // The urge reaches the unit: on the order's timeline, with the note.
    const o = await eventually<Order>(
      () => order(id),
      (x) => x.timeline.filter((t) => t.action === 'sla_urged').length === 2,
      'both urges on the timeline',
    );
    expect(o.timeline.filter((t) => t.action === 'sla_urged').map((t) => t.note)).toEqual([
      expect.stringContaining('即将超时，请今日答复诉求人'),
      expect.stringContaining('再次催办'),
    ]);
    expect((await published(id)).map(([t, d]) => `${t} ${d}`)).toEqual([
      'sla.supervision-opened.v1 at_risk',
      'sla.urged.v1 ',
      'sla.urged.v1 ',
    ]);
  });
});
