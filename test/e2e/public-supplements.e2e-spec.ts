/**
 * 补充诉求 by the citizen, end to end: intake, dispatch, callback, notify and the console (which
 * announces the staff to notify) on the real Postgres and NATS. A citizen submits on the public form,
 * the order goes to the street office, and the citizen adds to it with the order number and status
 * token (`POST /public/requests/:orderNo/supplements`): it is on dispatch's timeline for the unit and
 * in its handler's inbox. A wrong token is the unknown order's 404, an empty text a 400 naming `text`,
 * a retry with the same Idempotency-Key adds nothing, and a closed order is a 409 in the citizen's words.
 */
import { Principal } from '@app/platform';
import { waitFor } from '@app/platform/testing';
import { randomUUID } from 'node:crypto';
import { AccountsService } from '../../apps/console/src/accounts/accounts.service';
import { DEMO_USERS } from '../../scripts/demo-users';
import { agentFor, bootPlatform, callBack, eventually, handleAndApprove, Platform } from './platform';

jest.setTimeout(180_000);

const RATE_LIMIT = 12;
let p: Platform;
/** The street office's handler as a console account (so notify knows them), standing for handlerStreet. */
const handler: Principal = { ...DEMO_USERS.handlerStreet, id: randomUUID(), name: '胜利路街道承办人' };
let orderNo = '';
let token = '';
let ticketId = '';

interface Note {
  kind: string;
  orderNo: string | null;
  body: string;
}
interface TimelineEntry {
  action: string;
  actor: string;
  at: string;
  data: { remark?: string };
}

beforeAll(async () => {
  p = await bootPlatform({
    // the console last: it calls dispatch about units, and announces its accounts to notify
    only: ['intake', 'dispatch', 'callback', 'notify', 'console'],
    extraEnv: {
      intake: { PUBLIC_RATE_LIMIT_PER_MINUTE: String(RATE_LIMIT) },
      // sla is not booted, so notify's 派单 notice waits for a deadline that never comes: with this
      // backoff for a minute (2 + 4 + 8 + 16 + 32 s), long past this file's end, so the supplement
      // below is made while it waits.
      notify: { BUS_BACKOFF_BASE_MS: '2000' },
    },
  });
  const created = await p.apps.console.get(AccountsService).create('system', {
    loginName: 'supp.handler',
    displayName: handler.name!,
    unitId: handler.units[0],
    roles: handler.roles,
    districts: handler.districts,
  });
  handler.id = created.id;
  await eventually<{ personId: string }>(
    () => agentFor(p.apps.notify, handler).get('/preferences/me'),
    (b) => b.personId === handler.id,
    'notify knows the street handler',
  );
});
afterAll(async () => {
  await p?.close();
});

const intake = () => p.http('intake');
const supplement = (no: string, body: object, key?: string) => {
  const r = intake().post(`/public/requests/${no}/supplements`);
  if (key) void r.set('Idempotency-Key', key);
  return r.send(body);
};
const wrongToken = (t: string) => `${t.slice(0, -1)}${t.endsWith('A') ? 'B' : 'A'}`;

describe('补充诉求 from the citizen’s status page', () => {
  it('a citizen submits on the web form, and the order goes to the street office', async () => {
    const res = await intake()
      .post('/public/requests')
      .send({
        content: '楼下商铺夜间噪声扰民，音响开到很晚',
        categoryCode: 'noise',
        citizen: { name: '钱进', phone: '13897004004' },
        location: { address: '西宁市城西区胜利路20号' },
      })
      .expect(201);
    ({ orderNo, token } = res.body as { orderNo: string; token: string });
    const row = await p.db.query<{ id: string }>(`SELECT id FROM intake.ticket WHERE order_no = $1`, [orderNo]);
    ticketId = row.rows[0].id;
    await eventually<{ state: string; unitId: string }>(
      () => p.as('handlerStreet', 'dispatch').get(`/orders/${ticketId}`),
      (o) => o.state === 'dispatched' && o.unitId === handler.units[0],
      'the order dispatched to the street office',
    );
    // notify's 派单 notice waits for the deadline (see extraEnv), but the order's unit is recorded at
    // once: a supplement made meanwhile must reach the unit's handler. (The unit once rolled back with
    // the waiting notice, and a CI run's supplement gave up waiting for it before the notice went out.)
    await waitFor(
      async () =>
        (await p.db.query<{ unit_id: string | null }>(`SELECT unit_id FROM notify.order_info WHERE ticket_id = $1`, [ticketId])).rows,
      (rows) => rows[0]?.unit_id === handler.units[0],
      { timeoutMs: 8_000, what: "notify's record of the order's unit" },
    );
    const waiting = (await agentFor(p.apps.notify, handler).get('/inbox?limit=100').expect(200)).body as { items: Note[] };
    expect(waiting.items.filter((n) => n.orderNo === orderNo && n.kind === 'dispatched')).toEqual([]);
    const status = await intake().post('/public/status').send({ orderNo, token }).expect(200);
    expect(status.body).toMatchObject({ canSupplement: true, supplementedAt: [] });
  });

  it('the citizen adds to it with the token: on dispatch’s timeline and in the handler’s inbox; a retry adds nothing', async () => {
    const text = '更严重了，现在凌晨两点还在放音乐，楼道里也能听到';
    const key = randomUUID();
    const res = await supplement(orderNo, { token, text }, key).expect(201);
    expect(res.body).toEqual({ orderNo, supplementedAt: expect.any(String) });
    const again = await supplement(orderNo, { token, text }, key).expect(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toEqual(res.body);

    const stored = await p.db.query<{ created_by: string; text: string }>(
      `SELECT created_by, text FROM intake.supplement WHERE ticket_id = $1`,
      [ticketId],
    );
    expect(stored.rows).toEqual([{ created_by: 'citizen', text }]);

    // dispatch: on the order's timeline (诉求人补充诉求 on the order page), the words in the remark
    const order = await eventually<{ timeline: TimelineEntry[] }>(
      () => p.as('handlerStreet', 'dispatch').get(`/orders/${ticketId}`),
      (o) => (o.timeline ?? []).some((e) => e.action === 'supplemented'),
      'the supplement on the order timeline in dispatch',
    );
    const entries = order.timeline.filter((e) => e.action === 'supplemented');
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ actor: 'system:intake', data: { remark: text } });
    expect(new Date(entries[0].at).toISOString()).toBe((res.body as { supplementedAt: string }).supplementedAt);

    // notify: the street's handler is told that the citizen added something, not what
    const inbox = await eventually<{ items: Note[] }>(
      () => agentFor(p.apps.notify, handler).get('/inbox?limit=100'),
      (b) => b.items.some((n) => n.orderNo === orderNo && n.kind === 'supplemented'),
      'the street handler hears of the supplement',
    );
    const note = inbox.items.find((n) => n.orderNo === orderNo && n.kind === 'supplemented')!;
    expect(note.body).toContain('诉求人补充诉求');
    expect(note.body).not.toContain('凌晨两点');

    // the status page learns when, never the words
    const status = await intake().post('/public/status').send({ orderNo, token }).expect(200);
    expect(status.body.supplementedAt).toEqual([(res.body as { supplementedAt: string }).supplementedAt]);
    expect(JSON.stringify(status.body)).not.toContain('凌晨两点');
  });

  it('a wrong token is the same 404 as an unknown order; an empty text is a 400 naming text; nothing is stored', async () => {
    const wrong = await supplement(orderNo, { token: wrongToken(token), text: '补充' }).expect(404);
    const unknown = await supplement('20200101-000001', { token, text: '补充' }).expect(404);
    expect(wrong.body).toEqual(unknown.body);
    expect(JSON.stringify(wrong.body)).not.toContain(orderNo);

    for (const body of [{ token, text: '' }, { token, text: '   ' }, { token }]) {
      const bad = await supplement(orderNo, body).expect(400);
      expect(new Set((bad.body as { errors: { field: string }[] }).errors.map((e) => e.field))).toEqual(new Set(['text']));
    }
    const long = await supplement(orderNo, { token, text: '长'.repeat(4001) }).expect(400);
    expect((long.body as { errors: { field: string; reason: string }[] }).errors).toEqual([
      { field: 'text', reason: expect.stringContaining('4000') },
    ]);
    const n = await p.db.query(`SELECT 1 FROM intake.supplement WHERE ticket_id = $1`, [ticketId]);
    expect(n.rowCount).toBe(1);
  });

  it('a closed order is refused with a 409 in the citizen’s words, and the status view stops offering the form', async () => {
    await handleAndApprove(p, 'handlerStreet', ticketId, '已约谈商铺，晚十点后不再放音乐。');
    await callBack(p, ticketId, 1, { resolved: true, satisfaction: 'satisfied' });
    await eventually<{ status: string }>(
      () => intake().post('/public/status').send({ orderNo, token }),
      (s) => s.status === 'closed',
      'intake to learn that the order is closed',
    );
    const res = await supplement(orderNo, { token, text: '又开始吵了' }).expect(409);
    expect(res.body).toMatchObject({ statusCode: 409, code: 'supplement_closed' });
    expect((res.body as { message: string }).message).toMatch(/^工单已办结，不能再补充/);
    const status = await intake().post('/public/status').send({ orderNo, token }).expect(200);
    expect(status.body.canSupplement).toBe(false);
    const n = await p.db.query(`SELECT 1 FROM intake.outbox WHERE type = 'ticket.supplemented.v1' AND envelope->>'ticketId' = $1`, [
      ticketId,
    ]);
    expect(n.rowCount).toBe(1);
  });

  it('is under the public rate limit like the other public endpoints', async () => {
    let status = 0;
    for (let i = 0; i <= RATE_LIMIT && status !== 429; i++) status = (await supplement(orderNo, { token, text: '' })).status;
    expect(status).toBe(429);
  });
});
