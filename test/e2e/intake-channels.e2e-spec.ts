/**
 * Intake over HTTP against the five real services: every channel, anonymity, the public form and
 * its rate limit, idempotent retries, order numbers under concurrency, suggestions, duplicates and
 * merges with the repeat and concentrated flags, first-contact answers from the knowledge base,
 * refusals, the citizen's status lookup, masking and the audited reveal.
 */
import { waitFor } from '@app/platform/testing';
import { randomUUID } from 'node:crypto';
import { bootPlatform, consumersSettled, eventually, handleAndApprove, Platform } from './platform';

jest.setTimeout(120_000);

let p: Platform;

beforeAll(async () => {
  p = await bootPlatform({ extraEnv: { intake: { CONCENTRATED_MIN_CITIZENS: '3', PUBLIC_RATE_LIMIT_PER_MINUTE: '25' } } });
});

afterAll(async () => {
  await p?.close();
});

interface Ticket {
  id: string;
  orderNo: string;
  channel: string;
  categoryCode: string;
  requestType: string;
  urgency: string;
  flags: string[];
  proactive: boolean;
  anonymous: boolean;
  citizen: { name: string; phone: string } | null;
  disposition: string;
  citizenCount: number;
  progress: string;
  publicAnswer: string | null;
  acceptedAt: string;
  location: { districtCode: string; streetCode: string | null; source: string };
  statusToken: string;
}

const op = () => p.as('operator', 'intake');
const base = (over: object = {}) => ({
  channel: 'phone_12345',
  requestType: 'complaint',
  categoryCode: 'heating',
  content: '家里暖气不热，室温只有十二度',
  citizen: { name: '张桂兰', phone: '13997001111' },
  location: { address: '西宁市城东区八一路5号', districtCode: '630102', streetCode: '630102006' },
  ...over,
});

async function create(body: object): Promise<Ticket> {
  const res = await op().post('/tickets', body).expect(201);
  return res.body as Ticket;
}

async function events(ticketId: string): Promise<{ type: string; data: Record<string, unknown> }[]> {
  const r = await p.db.query<{ envelope: { type: string; data: Record<string, unknown> } }>(
    `SELECT envelope FROM intake.outbox WHERE envelope->>'ticketId' = $1 ORDER BY seq`,
    [ticketId],
  );
  return r.rows.map((x) => x.envelope);
}

/** Callback's copy of an order's flags (callback_ticket), sorted; null before callback has the order. */
async function callbackFlags(ticketId: string): Promise<string[] | null> {
  const r = await p.db.query<{ flags: string[] }>(`SELECT flags FROM callback.callback_ticket WHERE ticket_id = $1`, [ticketId]);
  return r.rows[0] ? [...r.rows[0].flags].sort() : null;
}

async function rowCount(): Promise<number> {
  return Number((await p.db.query<{ n: string }>('SELECT count(*) AS n FROM intake.ticket')).rows[0].n);
}

const lookup = (orderNo: string, token: string) => p.http('intake').post('/public/status').send({ orderNo, token });

describe('channels and anonymity', () => {
  it.each([
    ['phone_12345', {}],
    ['mayor_mailbox', { anonymous: true, citizen: undefined }],
    ['online_opinion', {}],
    ['media', {}],
    ['problem_wall', { anonymous: true, citizen: undefined }],
    ['walk_in', { identityHidden: true }],
    ['web', {}],
  ])('records a %s request and keeps the channel', async (channel, extra) => {
    const t = await create(base({ channel, content: `${channel} 渠道反映：小区路灯不亮`, categoryCode: 'street_light', ...extra }));
    expect(t).toMatchObject({ channel, proactive: false, disposition: 'dispatch' });
    const [accepted] = await events(t.id);
    expect(accepted).toMatchObject({ type: 'ticket.accepted.v1', data: { channel } });
  });

  it('keeps an order off the public wall when the operator ticks 不上问题墙 (publicWallOptOut), and says so on ticket.accepted.v1', async () => {
    const off = await create(base({ publicWallOptOut: true, content: '楼道灯坏了，请不要公开我的诉求' }));
    const [accepted] = await events(off.id);
    expect(accepted).toMatchObject({ type: 'ticket.accepted.v1', data: { publicWallOptOut: true } });
    // not asked: absent from the event (the identity's protection decides on the wall)
    const asked = await create(base({ content: '楼道灯坏了好几天' }));
    const [plain] = await events(asked.id);
    expect(plain.data).not.toHaveProperty('publicWallOptOut');
    await op()
      .post('/tickets', base({ publicWallOptOut: 'yes' }))
      .expect(400)
      .expect((r) => expect(JSON.stringify(r.body)).toContain('publicWallOptOut'));
  });

  it.each(['grid_worker', 'video_patrol'])('opens a proactive %s order with no citizen (未诉先办)', async (channel) => {
    const t = await create(base({ channel, citizen: undefined, categoryCode: 'water', content: '巡查发现供水主管道爆裂，水漫到马路上' }));
    expect(t).toMatchObject({ channel, proactive: true, citizen: null, citizenCount: 0 });
    await eventually(
      () => p.as('cityDispatcher', 'dispatch').get(`/orders/${t.id}`),
      (o: { state?: string }) => o.state === 'dispatched',
      'the proactive order dispatched',
    );
  });

  it('keeps an anonymous mailbox letter without any identity, and refuses anonymity on the phone', async () => {
    const t = await create(base({ channel: 'mayor_mailbox', anonymous: true, citizen: undefined }));
    expect(t).toMatchObject({ anonymous: true, citizen: null });
    const before = await rowCount();
    const res = await op()
      .post('/tickets', base({ anonymous: true, citizen: undefined }))
      .expect(400);
    expect(res.body.errors[0].field).toBe('anonymous');
    expect(res.body.errors[0].reason).toContain('identityHidden');
    const both = await op()
      .post('/tickets', base({ channel: 'web', anonymous: true }))
      .expect(400);
    expect(both.body.errors[0].field).toBe('citizen');
    expect(await rowCount()).toBe(before);
  });
});

describe('the public web form', () => {
  it('takes a request without login, suggests the category and places the address', async () => {
    const res = await p
      .http('intake')
      .post('/public/requests')
      .send({
        content: '小区天然气已经停了两天了，做不了饭',
        citizen: { name: '马丽', phone: '0971-8123456' },
        location: { address: '城北区朝阳街道某小区' },
      })
      .expect(201);
    expect(Object.keys(res.body as object).sort()).toEqual(['orderNo', 'status', 'statusLabel', 'token']);
    const { orderNo } = res.body as { orderNo: string };
    const stored = (
      await p.db.query(
        `SELECT id, category_code, district_code, street_code, location_source, channel FROM intake.ticket WHERE order_no = $1`,
        [orderNo],
      )
    ).rows[0];
    expect(stored).toMatchObject({ district_code: '630105', street_code: '630105001', location_source: 'gazetteer', channel: 'web' });
    expect(stored.category_code).toMatch(/^gas/);
  });

  it('sends an address it cannot place to the city’s triage queue', async () => {
    const res = await p
      .http('intake')
      .post('/public/requests')
      .send({ content: '路边垃圾堆了很多天没人清运', anonymous: true, location: { address: '我家楼下' } })
      .expect(201);
    const row = (
      await p.db.query(`SELECT district_code, location_source, anonymous FROM intake.ticket WHERE order_no = $1`, [res.body.orderNo])
    ).rows[0];
    expect(row).toEqual({ district_code: '630100', location_source: 'triage', anonymous: true });
  });

  it('names every bad field and stores nothing; refuses oversized text with the limit', async () => {
    const before = await rowCount();
    const res = await p
      .http('intake')
      .post('/public/requests')
      .send({ content: '', citizen: { name: '李', phone: '123' }, location: {}, categoryCode: 'Heating!' })
      .expect(400);
    expect((res.body.errors as { field: string }[]).map((e) => e.field)).toEqual(
      expect.arrayContaining(['content', 'citizen.phone', 'location.address', 'categoryCode']),
    );
    const long = await p
      .http('intake')
      .post('/public/requests')
      .send({ content: '吵'.repeat(4001), anonymous: true, location: { address: '城西区' } })
      .expect(400);
    expect(long.body.errors).toEqual([{ field: 'content', reason: 'content is 4001 characters; the limit is 4000' }]);
    expect(await rowCount()).toBe(before);
  });
});

describe('idempotency and order numbers', () => {
  it('returns the same order for a retried submission, and refuses the key with another body', async () => {
    const key = randomUUID();
    const body = base({ content: '重试测试：暖气片冰凉', citizen: { name: '赵四', phone: '13600000001' } });
    const first = await op().post('/tickets', body).set('Idempotency-Key', key).expect(201);
    const again = await op().post('/tickets', body).set('Idempotency-Key', key).expect(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toEqual(first.body);
    expect(await events((first.body as Ticket).id)).toHaveLength(1);
    const other = await op()
      .post('/tickets', { ...body, content: '另一件事' })
      .set('Idempotency-Key', key)
      .expect(409);
    expect(other.body.message).toContain('different request');
    await op().post('/tickets', body).set('Idempotency-Key', 'has space').expect(400);
  });

  it('gives concurrent retries one order, and concurrent orders distinct numbers', async () => {
    const key = randomUUID();
    const body = base({ content: '并发重试：暖气不热', citizen: { name: '钱五', phone: '13600000002' } });
    const same = await Promise.all([1, 2, 3, 4].map(() => op().post('/tickets', body).set('Idempotency-Key', key)));
    expect(same.map((r) => r.status)).toEqual([201, 201, 201, 201]);
    expect(new Set(same.map((r) => (r.body as Ticket).id)).size).toBe(1);
    const many = await Promise.all(
      [...Array(8).keys()].map((i) =>
        op().post(
          '/tickets',
          base({ content: `并发编号${i}：路灯不亮`, categoryCode: 'street_light', citizen: { name: '孙六', phone: `1360000010${i}` } }),
        ),
      ),
    );
    const numbers = many.map((r) => (r.body as Ticket).orderNo);
    expect(new Set(numbers).size).toBe(8);
    numbers.forEach((n) => expect(n).toMatch(/^\d{8}-\d{6}$/));
  });
});

describe('suggestions, duplicates, merges and flags', () => {
  const lift = (name: string, phone: string, over: object = {}) =>
    base({
      categoryCode: 'lift',
      content: '胜利路20号3号楼的电梯忽上忽下，很危险',
      citizen: { name, phone },
      location: { address: '西宁市城西区胜利路20号3号楼', districtCode: '630104' },
      ...over,
    });
  let first: Ticket;

  it('suggests category, type and urgency, and offers the open order on the same matter', async () => {
    first = await create(lift('刘晓梅', '13897001234'));
    expect(first.location).toMatchObject({ streetCode: '630104004', source: 'given' });
    const res = await op()
      .post('/tickets/assist', { content: '3号楼电梯忽上忽下，太危险了', address: '城西区胜利路20号', phone: '13897001234' })
      .expect(200);
    const a = res.body as {
      classification: { categories: { code: string }[]; urgency: string };
      location: { districtCode: string };
      duplicates: { id: string; similarity: number }[];
      repeatOf: { id: string }[];
    };
    expect(a.classification.categories[0].code).toMatch(/^lift/);
    expect(a.classification.urgency).toBe('urgent');
    expect(a.location.districtCode).toBe('630104');
    expect(a.duplicates[0].id).toBe(first.id);
    expect(a.repeatOf.map((r) => r.id)).toContain(first.id);
  });

  it('merges another citizen into the order, which counts them and publishes ticket.merged.v1', async () => {
    const c = await create(lift('王建国', '13897005678', { mergeInto: first.id, channel: 'web' }));
    expect(c).toMatchObject({ disposition: 'merged', progress: 'merged' });
    const order = (await op().get(`/tickets/${first.id}`).expect(200)).body as Ticket;
    expect(order.citizenCount).toBe(2);
    expect(order.flags).toEqual([]);
    const merged = (await events(first.id)).filter((e) => e.type === 'ticket.merged.v1');
    expect(merged).toHaveLength(1);
    expect(merged[0].data).toMatchObject({ contactId: c.id, channel: 'web', citizenCount: 2, flags: [] });
    expect(await events(c.id)).toEqual([]); // the contact itself is never dispatched
  });

  it('flags repeat when the same citizen merges again, concentrated at the third citizen (双交办)', async () => {
    await create(lift('刘晓梅', '13897001234', { mergeInto: first.id }));
    let order = (await op().get(`/tickets/${first.id}`).expect(200)).body as Ticket;
    expect(order).toMatchObject({ citizenCount: 2, flags: ['repeat'] });
    await create(lift('周海燕', '13897009999', { mergeInto: first.id }));
    order = (await op().get(`/tickets/${first.id}`).expect(200)).body as Ticket;
    expect(order.citizenCount).toBe(3);
    expect(order.flags.sort()).toEqual(['concentrated', 'repeat']);
    const last = (await events(first.id)).filter((e) => e.type === 'ticket.merged.v1').pop()!;
    expect(last.data).toMatchObject({ citizenCount: 3 });
    // dispatch learns the flags a merge brings, and puts every merge on the order's timeline
    const inDispatch = await eventually<{ flags: string[]; timeline: { action: string; data: Record<string, unknown> }[] }>(
      () => p.as('dispatcher', 'dispatch').get(`/orders/${first.id}`),
      // the order and its timeline are two reads: wait for both to show the third merge
      (o) => (o.timeline ?? []).filter((e) => e.action === 'merged').length === 3 && !!o.flags?.includes('concentrated'),
      'the three merges on the order timeline in dispatch, and the concentrated flag',
    );
    expect([...inDispatch.flags].sort()).toEqual(['concentrated', 'repeat']);
    const merges = inDispatch.timeline.filter((e) => e.action === 'merged').map((e) => e.data);
    expect(merges.map((m) => m.citizenCount)).toEqual([2, 2, 3]);
    expect(merges.map((m) => m.addedFlags)).toEqual(['', 'repeat', 'concentrated']);
    // so does callback: its copy of the order's flags, which the order's callback tasks read
    await waitFor(
      () => callbackFlags(first.id),
      (f) => f?.join() === 'concentrated,repeat',
      {
        what: 'both flags on the order in callback',
      },
    );
  });

  it('marks the callback task of an order a repeat call (重复件) when the same citizen is merged into it', async () => {
    const gate = (over: object = {}) =>
      lift('马兰英', '13897004321', {
        content: '五四大街8号院小区的电梯门关不上，已经夹伤过老人',
        location: { address: '西宁市城西区五四大街8号院', districtCode: '630104' },
        ...over,
      });
    const order = await create(gate());
    expect(order.flags).toEqual([]);
    await eventually<{ state: string }>(
      () => p.as('dispatcher', 'dispatch').get(`/orders/${order.id}`),
      (o) => o.state === 'dispatched',
      'the order dispatched',
    );
    await handleAndApprove(p, 'handlerMarket', order.id, '已责令维保单位更换电梯门机，现运行正常');
    const tasks = () => p.as('callbackAgent', 'callback').get(`/tasks?ticketId=${order.id}`);
    const [task] = await eventually<{ id: string; repeatCall: boolean }[]>(tasks, (ts) => ts.length === 1, 'the callback task');
    expect(task.repeatCall).toBe(false);
    // The citizen calls again before the callback: the operator merges the call into the order.
    await create(gate({ mergeInto: order.id, content: '五四大街8号院电梯门还是关不上' }));
    const [marked] = await eventually<{ id: string; repeatCall: boolean }[]>(
      tasks,
      (ts) => ts[0]?.repeatCall === true,
      'the callback task marked a repeat call',
    );
    expect(marked.id).toBe(task.id);
    const repeats = (await p.as('callbackAgent', 'callback').get('/tasks?repeatCall=true').expect(200)).body as { id: string }[];
    expect(repeats.map((t) => t.id)).toContain(task.id);
    expect(await callbackFlags(order.id)).toEqual(['repeat']);
  });

  it('puts an order a unit is handling on the supervision list (双交办) once when a merge makes it a repeat call', async () => {
    const leak = (over: object = {}) =>
      lift('韩玉珍', '13897006543', {
        categoryCode: 'water',
        content: '文汇路3号院楼顶水箱漏水，顺着墙往下流',
        location: { address: '西宁市城西区文汇路3号院', districtCode: '630104' },
        ...over,
      });
    const order = await create(leak());
    expect(order.flags).toEqual([]);
    const sla = () => p.as('supervisor', 'sla');
    await eventually<{ kind: string }[]>(
      () => sla().get(`/clocks?ticketId=${order.id}`),
      (cs) => cs.some((c) => c.kind === 'finish'),
      'the order’s clocks in sla',
    );
    const items = async () =>
      ((await sla().get('/supervision?reason=repeat&status=open').expect(200)).body as { ticketId: string; level: string }[]).filter(
        (i) => i.ticketId === order.id,
      );
    expect(await items()).toEqual([]);
    await create(leak({ mergeInto: order.id, content: '文汇路3号院水箱还在漏' }));
    await waitFor(items, (is) => is.length > 0, { what: 'the order on the supervision list' });
    await create(leak({ mergeInto: order.id, content: '文汇路3号院水箱漏水第三次反映' }));
    await consumersSettled(p, 'sla'); // the second merge applied too: still one item
    const opened = await p.db.query(`SELECT 1 FROM sla.outbox WHERE envelope->>'ticketId' = $1 AND type = 'sla.supervision-opened.v1'`, [
      order.id,
    ]);
    expect(opened.rowCount).toBe(1);
    expect(await items()).toMatchObject([{ ticketId: order.id, level: 'district' }]);
  });

  it('flags a new order of the same caller on the same matter as repeat on ticket.accepted.v1, and dispatch sees it', async () => {
    const again = await create(lift('刘晓梅', '13897001234', { content: '胜利路20号3号楼电梯又忽上忽下了，上次反映还没修好' }));
    expect(again.flags).toContain('repeat');
    const [accepted] = await events(again.id);
    expect(accepted.data.flags).toContain('repeat');
    await eventually(
      () => p.as('dispatcher', 'dispatch').get(`/orders/${again.id}`),
      (o: { flags?: string[] }) => !!o.flags?.includes('repeat'),
      'the repeat flag in dispatch',
    );
  });

  it('refuses a merge into an order that does not exist or is not open', async () => {
    await op()
      .post('/tickets', lift('甲', '13600000003', { mergeInto: randomUUID() }))
      .expect(404);
    const refused = await create(
      base({ disposition: 'not_accepted', notAcceptedReason: 'litigation', citizen: { name: '乙', phone: '13600000004' } }),
    );
    await op()
      .post('/tickets', lift('丙', '13600000005', { mergeInto: refused.id }))
      .expect(409);
  });
});

describe('first-contact answers and refusals', () => {
  let articleId: string;

  it('answers an inquiry from the knowledge base on the spot; the order is never dispatched', async () => {
    const art = await p
      .as('supervisor', 'intake')
      .post('/kb/articles', {
        title: '供暖期和采暖费缴纳',
        body: '西宁市城区供暖期为每年10月15日至次年4月15日。采暖费可在供热公司营业厅或网上缴纳。',
        categoryCodes: ['heating.fee'],
        validFrom: '2020-01-01',
      })
      .expect(201);
    articleId = (art.body as { id: string }).id;
    const found = await op()
      .get(`/kb/articles?q=${encodeURIComponent('请问供暖从哪天开始')}`)
      .expect(200);
    expect((found.body as { id: string }[])[0].id).toBe(articleId);
    await p
      .as('supervisor', 'intake')
      .post('/kb/articles', { title: '过期', body: '旧的供暖通知', validFrom: '2020-01-01', validTo: '2020-12-31' })
      .expect(201);
    const valid = (
      await op()
        .get(`/kb/articles?q=${encodeURIComponent('供暖通知')}`)
        .expect(200)
    ).body as { title: string }[];
    expect(valid.map((a) => a.title)).not.toContain('过期');

    const t = await create(
      base({ requestType: 'inquiry', categoryCode: 'heating.fee', content: '请问今年供暖从哪天开始', disposition: 'answered', articleId }),
    );
    expect(t).toMatchObject({ disposition: 'answered', progress: 'answered' });
    expect(t.publicAnswer).toContain('10月15日');
    const evs = await events(t.id);
    expect(evs.map((e) => e.type)).toEqual(['ticket.answered.v1']);
    expect(evs[0].data).toMatchObject({ articleId, orderNo: t.orderNo });
    const status = await lookup(t.orderNo, t.statusToken).expect(200);
    expect(status.body).toMatchObject({ status: 'answered', reply: expect.stringContaining('10月15日') });
  });

  it('records a matter the statutes exclude with the reason, tells the citizen where to go, publishes ticket.not-accepted.v1 for the counts only', async () => {
    const t = await create(
      base({
        content: '劳动争议已经申请仲裁，想让热线催一下',
        categoryCode: 'wage_arrears',
        disposition: 'not_accepted',
        notAcceptedReason: 'arbitration',
      }),
    );
    expect(t).toMatchObject({ disposition: 'not_accepted', notAcceptedReason: 'arbitration', progress: 'not_accepted' });
    expect(t.publicAnswer).toContain('仲裁');
    const evs = await events(t.id);
    expect(evs.map((e) => e.type)).toEqual(['ticket.not-accepted.v1']);
    // No citizen, no words, no address: the order's number, kind, place (street) and the reason.
    expect(evs[0].data).toEqual({
      orderNo: t.orderNo,
      channel: 'phone_12345',
      requestType: 'complaint',
      categoryCode: 'wage_arrears',
      reason: 'arbitration',
      streetCode: '630102006',
      notAcceptedAt: t.acceptedAt,
    });
    const status = await lookup(t.orderNo, t.statusToken).expect(200);
    expect(status.body.statusLabel).toContain('不予受理');
  });

  it('refuses an inconsistent disposition with the field and the reason', async () => {
    const r1 = await op()
      .post('/tickets', base({ disposition: 'answered' }))
      .expect(400);
    expect(r1.body.errors[0].field).toBe('answer');
    const r2 = await op()
      .post('/tickets', base({ disposition: 'not_accepted' }))
      .expect(400);
    expect(r2.body.errors[0].field).toBe('notAcceptedReason');
    const r3 = await op()
      .post('/tickets', base({ categoryCode: 'no_such_thing' }))
      .expect(400);
    expect(r3.body.errors[0]).toMatchObject({ field: 'categoryCode' });
    await op()
      .post('/tickets', base({ disposition: 'answered', articleId: randomUUID(), requestType: 'inquiry' }))
      .expect(400);
  });
});

describe('status lookup, masking and the reveal', () => {
  let t: Ticket;

  it('shows the citizen the progress, the unit and the public reply, and nothing personal', async () => {
    t = await create(
      base({
        categoryCode: 'lift',
        content: '12号楼电梯门夹人，维保公司不管',
        citizen: { name: '韩梅梅', phone: '13912345678' },
        location: { address: '西宁市城西区胜利路12号', districtCode: '630104', streetCode: '630104004' },
      }),
    );
    expect(t.citizen).toEqual({ name: '韩**', phone: '139****5678' });
    await lookup(t.orderNo, 'A'.repeat(22)).expect(404);
    const dispatched = await eventually<{ status: string; unitName: string }>(
      () => lookup(t.orderNo, t.statusToken),
      (b) => b.status === 'processing',
      'the lookup shows the order being handled',
    );
    expect(dispatched.unitName).toContain('市场监督管理局');
    const h = p.as('handlerMarket', 'dispatch');
    await h.post(`/orders/${t.id}/sign`).expect(200);
    await h.post(`/orders/${t.id}/contact`, { method: 'phone', note: '已联系' }).expect(200);
    await h.post(`/orders/${t.id}/reply`, { outcome: 'resolved', replyText: '已责令维保公司更换门机，电梯恢复正常' }).expect(200);
    const replied = await eventually<Record<string, unknown>>(
      () => lookup(t.orderNo, t.statusToken),
      (b) => b.status === 'replied',
      'the reply in the lookup',
    );
    expect(replied.reply).toBe('已责令维保公司更换门机，电梯恢复正常');
    const text = JSON.stringify(replied);
    for (const secret of ['韩', '13912345678', '5678', '门夹人']) expect(text).not.toContain(secret);
  });

  it('reveals the contact to the handling unit and the dispatcher, audited; not to another unit (its refused try audited too)', async () => {
    const mine = await p.as('handlerMarket', 'intake').post(`/tickets/${t.id}/reveal`, { purpose: '电话联系诉求人' }).expect(200);
    expect(mine.body).toEqual({ name: '韩梅梅', phone: '13912345678' });
    await p.as('handlerStreet', 'intake').post(`/tickets/${t.id}/reveal`, { purpose: '想看看' }).expect(403);
    await p.as('dispatcher', 'intake').post(`/tickets/${t.id}/reveal`, { purpose: '核实' }).expect(200);
    await p.as('operator', 'intake').post(`/tickets/${t.id}/reveal`, { purpose: '好奇' }).expect(403);
    await p.as('dispatcher', 'intake').post(`/tickets/${t.id}/reveal`, {}).expect(400);
    const audit = (await p.as('supervisor', 'intake').get(`/tickets/${t.id}/reveals`).expect(200)).body as {
      requestedBy: string;
      granted: boolean;
    }[];
    expect(audit.map((a) => [a.requestedBy, a.granted])).toEqual([
      ['h-630104-market', true],
      ['h-630104004', false],
      ['disp-630104', true],
    ]);
    const stored = (await p.db.query(`SELECT citizen_phone_enc, citizen_name_enc FROM intake.ticket WHERE id = $1`, [t.id]))
      .rows[0] as Record<string, string>;
    expect(JSON.stringify(stored)).not.toContain('13912345678');
  });

  it('refuses, with its reason, a contact copied from another order (bound to its order and field), audited as refused', async () => {
    const other = await create(
      base({
        categoryCode: 'noise',
        content: '楼下烧烤店油烟直排，窗户不敢开',
        citizen: { name: '王芳', phone: '13911112222' },
        location: { address: '西宁市城西区胜利路14号', districtCode: '630104' },
      }),
    );
    const copied = await create(
      base({
        categoryCode: 'road',
        content: '小区门口井盖松动，晚上有人踩空',
        citizen: { name: '赵强', phone: '13933334444' },
        location: { address: '西宁市城西区胜利路16号', districtCode: '630104' },
      }),
    );
    // Someone with database access moves one citizen's ciphertext onto another order.
    await p.db.query(
      `UPDATE intake.ticket SET citizen_phone_enc = (SELECT citizen_phone_enc FROM intake.ticket WHERE id = $1) WHERE id = $2`,
      [other.id, copied.id],
    );
    const refused = await p.as('dispatcher', 'intake').post(`/tickets/${copied.id}/reveal`, { purpose: '核实' }).expect(409);
    expect(JSON.stringify(refused.body)).toContain('完整性校验');
    expect(JSON.stringify(refused.body)).not.toContain('13911112222');
    await p.as('dispatcher', 'intake').post(`/tickets/${other.id}/reveal`, { purpose: '核实' }).expect(200);
    const audit = (await p.as('supervisor', 'intake').get(`/tickets/${copied.id}/reveals`).expect(200)).body as { granted: boolean }[];
    expect(audit.map((a) => a.granted)).toEqual([false]);
  });

  it('keeps a hidden identity from the unit and another district’s orders from a district dispatcher', async () => {
    const hidden = await create(
      base({
        categoryCode: 'lift',
        content: '电梯异响，年检过期',
        identityHidden: true,
        citizen: { name: '李雷', phone: '13912340000' },
        location: { address: '西宁市城西区胜利路30号', districtCode: '630104' },
      }),
    );
    await eventually(
      () => lookup(hidden.orderNo, hidden.statusToken),
      (b: { status?: string }) => b.status === 'processing',
      'the hidden order dispatched',
    );
    await p.as('handlerMarket', 'intake').post(`/tickets/${hidden.id}/reveal`, { purpose: '联系' }).expect(403);
    const chengdong = await create(base({ citizen: { name: '某', phone: '13600000009' } }));
    await p.as('dispatcher', 'intake').get(`/tickets/${chengdong.id}`).expect(404);
    await p.as('dispatcher', 'intake').post(`/tickets/${chengdong.id}/reveal`, { purpose: '核实' }).expect(404);
  });
});

describe('the public rate limit', () => {
  it('answers 429 with the limit once an address exceeds it', async () => {
    let last = 200;
    for (let i = 0; i < 30 && last !== 429; i++) {
      last = (
        await p
          .http('intake')
          .post('/public/status')
          .send({ orderNo: '20260101-000001', token: 'A'.repeat(22) })
      ).status;
    }
    expect(last).toBe(429);
    const res = await p
      .http('intake')
      .post('/public/status')
      .send({ orderNo: '20260101-000001', token: 'A'.repeat(22) })
      .expect(429);
    expect(res.body.message).toContain('25 a minute');
  });
});
