/**
 * 通知 (issue 18), end to end: the six services on the real Postgres and NATS, one ManualClock, and
 * real servers on loopback standing in for the outside: an SMTP server (smtp-server), an HTTP SMS
 * provider, and WeCom / DingTalk group-robot webhooks. The people are staff accounts in the real
 * console, with their work mobile and e-mail encrypted there; the console announces them
 * (staff.membership-changed.v1, which carries no contact) and notify asks it for the address when it
 * sends (the console.staff-contact.v1 query). Each "Done when" bullet of the issue is a test; they run
 * in order on one timeline starting Monday 7 December 2026, 10:00 city time.
 */
import 'reflect-metadata';
import { EventEnvelope, versionOf } from '@app/contracts';
import { Principal } from '@app/platform';
import { waitFor } from '@app/platform/testing';
import { createHmac, randomUUID } from 'node:crypto';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { connect } from 'nats';
import { AccountsService } from '../../apps/console/src/accounts/accounts.service';
import { SMTPServer } from 'smtp-server';
import { DEMO_USERS } from '../../scripts/demo-users';
import { U, USERS } from './dispatch-helpers';
import {
  agentFor,
  bootPlatform,
  callBack,
  consumersSettled,
  eventually,
  handleAndApprove,
  Platform,
  publishRaw,
  submitTicket,
} from './platform';

jest.setTimeout(180_000);

const L = (local: string) => new Date(`${local}+08:00`);
const CITIZEN_NAME = '刘晓梅';
const CITIZEN_PHONE = '13897001234';
const DING_SECRET = 'SECdemo0123456789abcdef0123456789abcdef';

// ---- the outside world, on loopback ---------------------------------------------------------------

interface SmsCall {
  path: string;
  to: string;
  signName: string;
  templateCode: string;
  templateParam: Record<string, string>;
  text: string;
}
interface RobotCall {
  path: string;
  query: URLSearchParams;
  content: string;
  at: number;
}
interface Mail {
  to: string;
  body: string;
}

const sms: SmsCall[] = [];
const robots: RobotCall[] = [];
const mails: Mail[] = [];

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString()));
    req.on('end', () => resolve(raw));
  });
}

/** The SMS provider: Aliyun-like JSON answers; a number ending 0000 is refused as invalid. */
const smsServer: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
  void readBody(req).then((raw) => {
    const body = JSON.parse(raw) as Omit<SmsCall, 'path'>;
    sms.push({ path: req.url ?? '', ...body });
    if (body.to.endsWith('0000')) {
      res.writeHead(400, { 'content-type': 'application/json' }).end('{"code":"isv.MOBILE_NUMBER_ILLEGAL"}');
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(`{"code":"OK","bizId":"${randomUUID()}"}`);
  });
});

/** Group robots: `/wecom/ok` answers like WeCom; `/ding/down` answers 500 after checking DingTalk's signature. */
const robotServer: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
  void readBody(req).then((raw) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const content = (JSON.parse(raw) as { text: { content: string } }).text.content;
    robots.push({ path: url.pathname, query: url.searchParams, content, at: Date.now() });
    if (url.pathname === '/ding/down') {
      const ts = url.searchParams.get('timestamp')!;
      const expected = createHmac('sha256', DING_SECRET).update(`${ts}\n${DING_SECRET}`).digest('base64');
      if (url.searchParams.get('sign') !== expected) {
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"errcode":310000,"errmsg":"sign not match"}');
        return;
      }
      res.writeHead(500, { 'content-type': 'text/plain' }).end('upstream busy');
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"errcode":0,"errmsg":"ok"}');
  });
});

/** Decodes a single-part text mail (nodemailer writes quoted-printable or base64 for Chinese text). */
function decodeMail(raw: string): string {
  const split = raw.indexOf('\r\n\r\n');
  const head = raw.slice(0, split);
  const body = raw.slice(split + 4);
  const enc = /content-transfer-encoding:\s*([\w-]+)/i.exec(head)?.[1]?.toLowerCase();
  if (enc === 'base64') return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (enc === 'quoted-printable') {
    const soft = body.replace(/=\r?\n/g, '');
    const bytes: number[] = [];
    for (let i = 0; i < soft.length; i++) {
      if (soft[i] === '=' && /^[0-9A-F]{2}$/i.test(soft.slice(i + 1, i + 3))) {
        bytes.push(parseInt(soft.slice(i + 1, i + 3), 16));
        i += 2;
      } else bytes.push(...Buffer.from(soft[i], 'utf8'));
    }
    return Buffer.from(bytes).toString('utf8');
  }
  return body;
}

const smtp = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS'],
  logger: false,
  onData(stream, session, callback) {
    let raw = '';
    stream.on('data', (c: Buffer) => (raw += c.toString('binary')));
    stream.on('end', () => {
      const to = session.envelope.rcptTo.map((r) => r.address).join(',');
      mails.push({ to, body: decodeMail(Buffer.from(raw, 'binary').toString('utf8')) });
      callback();
    });
  },
});

const listen = (s: { listen: (port: number, host: string, cb: () => void) => unknown }, addr: () => AddressInfo | string | null) =>
  new Promise<number>((resolve) => s.listen(0, '127.0.0.1', () => resolve((addr() as AddressInfo).port)));

// ---- the people (as the console announces them) -------------------------------------------------

const CITY = '630100';
const CHENGXI = '630104';
const CHENGBEI = '630105';
/** Console accounts have uuids (the `sub` of their tokens); each stands for a demo person of the unit. */
const person = (like: Principal, name: string): Principal => ({ ...like, id: randomUUID(), name });
const P = {
  handler: person(DEMO_USERS.handlerStreet, '胜利路街道承办人'),
  head: person(USERS.headShengli, '胜利路街道负责人'),
  supChengxi: person({ id: '', roles: ['supervisor'], districts: [CHENGXI], units: [] }, '城西区督办员'),
  supCity: person(DEMO_USERS.supervisor, '市督办员'),
  lead: person({ id: '', roles: ['callback_agent', 'unit_head'], districts: [CHENGXI], units: [] }, '城西区回访组长'),
  bStreet: person(USERS.bStreet, '小桥大街街道承办人'),
  market: person(DEMO_USERS.handlerMarket, '城西区市场监管局承办人'),
  // the district leaders: the heads of the districts' hotline centres (双交办 sign-off)
  leader: person({ id: '', roles: ['unit_head'], districts: [CHENGXI], units: [U.chengxiCentre] }, '城西区分管领导'),
  bLeader: person({ id: '', roles: ['unit_head'], districts: [CHENGBEI], units: [U.chengbeiCentre] }, '城北区分管领导'),
};
const PEOPLE: { who: Principal; mobile?: string; email?: string }[] = [
  { who: P.handler, mobile: '13900000001' },
  { who: P.head, mobile: '13900000002' },
  { who: P.supChengxi, mobile: '13900000003', email: 'sup630104@chengxi.example.cn' },
  { who: P.supCity, email: 'city-supervisor@xining.example.cn' },
  { who: P.lead, mobile: '13900000004' },
  { who: P.bStreet, mobile: '13900000005' },
  { who: P.market, mobile: '13900000000' }, // an invalid number: the provider refuses it
  { who: P.leader, mobile: '13900000006' },
  { who: P.bLeader, mobile: '13900000007' },
];

/** The person's staff account in the console (as an administrator creates it); the principal takes its id. */
async function enrol(p: Platform, who: Principal, contact: { mobile?: string; email?: string }, n: number): Promise<void> {
  const created = await p.apps.console.get(AccountsService).create('system', {
    loginName: `n18.person${n}`,
    displayName: who.name ?? `person ${n}`,
    ...(who.units[0] ? { unitId: who.units[0] } : {}),
    roles: who.roles,
    districts: who.districts,
    ...contact,
  });
  who.id = created.id;
}

/** Every staff.membership-changed.v1 the stream holds, as published (read message by message). */
async function membershipEventsInStream(p: Platform): Promise<string[]> {
  const nc = await connect({ servers: p.env.NATS_URL });
  try {
    const jsm = await nc.jetstreamManager();
    const out: string[] = [];
    const { first_seq, last_seq } = (await jsm.streams.info(p.env.BUS_STREAM)).state;
    for (let seq = first_seq; seq <= last_seq; seq++) {
      const m = await jsm.streams.getMessage(p.env.BUS_STREAM, { seq }).catch(() => null);
      if (m?.subject.endsWith('.staff.membership-changed.v1')) out.push(new TextDecoder().decode(m.data));
    }
    return out;
  } finally {
    await nc.close();
  }
}

// ---- helpers -------------------------------------------------------------------------------------

let p: Platform;
const notifyAs = (who: Principal) => agentFor(p.apps.notify, who);
const admin = () => p.as('admin', 'notify');
const run = async () => (await admin().post('/admin/deliveries/run').expect(200)).body as Record<string, number>;
/** Runs the delivery worker until nothing more is due (one run sends at most NOTIFY_BATCH). */
const drain = async () => {
  for (let i = 0; i < 20; i++) if (!Object.values(await run()).some((n) => n > 0)) return;
};
const tick = async () => (await p.as('admin', 'sla').post('/admin/tick').expect(200)).body as { breaches: number };

interface Note {
  id: string;
  kind: string;
  urgent: boolean;
  orderNo: string | null;
  ticketId: string | null;
  title: string;
  body: string;
}
const inbox = async (who: Principal) => ((await notifyAs(who).get('/inbox?limit=100').expect(200)).body as { items: Note[] }).items;
const waitInbox = (who: Principal, ok: (items: Note[]) => boolean, what: string) =>
  eventually<{ items: Note[] }>(
    () => notifyAs(who).get('/inbox?limit=100'),
    (b) => ok(b.items),
    what,
    30_000,
  ).then((b) => b.items);
const smsTo = (mobile: string, orderNo: string) => sms.filter((s) => s.to === mobile && s.text.includes(orderNo));

interface DeliveryRow {
  id: string;
  channel: string;
  state: string;
  kind: string;
  to: string;
  ticketId: string | null;
  attempts: number;
  lastError: string | null;
  lastReason: string | null;
  notBefore: string;
  attemptLog: { at: string; outcome: string; answer: string | null; error: string | null; reason: string | null }[];
}
const deliveries = async (state: string) => (await admin().get(`/admin/deliveries?state=${state}`).expect(200)).body as DeliveryRow[];

async function order(over: object): Promise<{ id: string; orderNo: string }> {
  const t = await submitTicket(p, over);
  await eventually<{ finishDueAt: string | null }>(
    () => p.as('cityDispatcher', 'dispatch').get(`/orders/${t.id}`),
    (o) => !!o.finishDueAt,
    `order ${t.orderNo} dispatched with its due time`,
  );
  return t;
}
const streetNoise = (over: object = {}) =>
  order({
    categoryCode: 'noise',
    content: '楼下商铺夜间噪声扰民',
    location: { address: '西宁市城西区胜利路20号', districtCode: CHENGXI, streetCode: '630104004' },
    ...over,
  });

// ---- the suite -------------------------------------------------------------------------------------

let smsUrl = '';
let robotUrl = '';
let smtpPort = 0;
const orders: Record<'a' | 'chengbei' | 'urgent' | 'normal' | 'lift', { id: string; orderNo: string }> = {} as never;

beforeAll(async () => {
  smsUrl = `http://127.0.0.1:${await listen(smsServer, () => smsServer.address())}`;
  robotUrl = `http://127.0.0.1:${await listen(robotServer, () => robotServer.address())}`;
  smtpPort = await listen(smtp.server, () => smtp.server.address());
  p = await bootPlatform({
    start: L('2026-12-07T10:00:00'),
    allOnManualClock: true,
    // the console last: it calls dispatch about units, and answers notify's staff-contact query
    only: ['intake', 'dispatch', 'sla', 'callback', 'notify', 'console'],
    extraEnv: {
      notify: {
        NOTIFY_SMS_ADAPTER: 'http',
        NOTIFY_SMS_HTTP_URL: `${smsUrl}/notify`,
        NOTIFY_SMS_TEMPLATES: 'default:SMS_100,dispatched:SMS_101,digest:SMS_109',
        NOTIFY_SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
        NOTIFY_MAX_ATTEMPTS: '3',
        NOTIFY_RETRY_BASE_MS: '60000',
        NOTIFY_SEND_TIMEOUT_MS: '3000',
      },
      callback: {
        CALLBACK_SMS_ADAPTER: 'http',
        CALLBACK_SMS_HTTP_URL: `${smsUrl}/callback`,
        CALLBACK_TICK_MS: '300',
      },
    },
  });
  for (const [i, x] of PEOPLE.entries()) await enrol(p, x.who, { mobile: x.mobile, email: x.email }, i);
  await eventually<{ personId: string }>(
    () => notifyAs(P.market).get('/preferences/me'),
    (b) => b.personId === P.market.id,
    'notify knows the staff',
  );
  await admin()
    .post('/robots', { name: '胜利路街道工作群', provider: 'wecom', unitId: U.shengli, webhookUrl: `${robotUrl}/wecom/ok?key=693a91f6` })
    .expect(201);
  await admin()
    .post('/robots', {
      name: '市场监管局钉钉群',
      provider: 'dingtalk',
      unitId: U.market,
      webhookUrl: `${robotUrl}/ding/down?access_token=t0k`,
      secret: DING_SECRET,
    })
    .expect(201);
});

afterAll(async () => {
  await p?.close();
  for (const s of [smsServer, robotServer]) {
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
  await new Promise<void>((r) => smtp.close(() => r()));
});

describe('notifications: people are told at once, and callbacks chase themselves', () => {
  it('a dispatch to a street reaches its handlers by SMS and in the console inbox', async () => {
    orders.a = await streetNoise();
    orders.chengbei = await order({
      categoryCode: 'noise',
      content: '小区广场舞噪声扰民',
      location: { address: '西宁市城北区小桥大街8号', districtCode: CHENGBEI, streetCode: '630105002' },
    });
    const mine = await waitInbox(P.handler, (i) => i.some((n) => n.orderNo === orders.a.orderNo), 'the street handler’s inbox');
    const note = mine.find((n) => n.orderNo === orders.a.orderNo)!;
    expect(note.kind).toBe('dispatched');
    expect(note.body).toContain('类别：噪音扰民'); // the catalogue's name, as the console shows it
    expect(note.body).toContain('地点：城西区胜利路街道');
    expect(note.body).toMatch(/时限：[1-9]\d?月[1-9]\d?日 \d\d:\d\d/); // the city's way: 12月8日 09:05
    await waitInbox(P.head, (i) => i.some((n) => n.orderNo === orders.a.orderNo), 'the street head’s inbox');

    // the live toast: one notification.created.v1 per person, through notify's outbox
    const live = await p.db.query<{ recipient: string }>(
      `SELECT envelope->'data'->>'recipientId' AS recipient FROM notify.outbox WHERE type = 'notification.created.v1' AND envelope->>'ticketId' = $1`,
      [orders.a.id],
    );
    expect(live.rows.map((r) => r.recipient).sort()).toEqual([P.head.id, P.handler.id].sort());

    await run();
    const [toHandler] = smsTo('13900000001', orders.a.orderNo);
    expect(toHandler).toMatchObject({ path: '/notify', signName: '12345热线', templateCode: 'SMS_101' });
    expect(toHandler.templateParam).toMatchObject({ orderNo: orders.a.orderNo, category: '噪音扰民', place: '城西区胜利路街道' });
    expect(toHandler.templateParam.deadline).toMatch(/^12月\d\d日 \d\d:\d\d$/);
    expect(toHandler.text.startsWith('【12345热线】')).toBe(true);
    expect(smsTo('13900000002', orders.a.orderNo)).toHaveLength(1);
    // the street's WeCom group robot
    expect(robots.filter((r) => r.path === '/wecom/ok' && r.content.includes(orders.a.orderNo))).toHaveLength(1);
    // a Chengbei handler hears nothing of a Chengxi order, and the other way round
    // (the Chengbei order is the same citizen's second: it is on the supervision list as a repeat, which its unit hears too)
    expect(new Set((await inbox(P.bStreet)).map((n) => n.orderNo))).toEqual(new Set([orders.chengbei.orderNo]));
    expect((await inbox(P.handler)).some((n) => n.orderNo === orders.chengbei.orderNo)).toBe(false);
    expect(sms.some((s) => s.to === '13900000005' && s.text.includes(orders.a.orderNo))).toBe(false);
  });

  it('a breach reaches the unit head and the district supervisor', async () => {
    p.slaClock.set(L('2026-12-08T10:30:00')); // 24 h respond limit passed, nobody contacted the citizen
    expect((await tick()).breaches).toBeGreaterThanOrEqual(1);
    const breached = (n: Note) => n.kind === 'breached' && n.orderNo === orders.a.orderNo;
    await waitInbox(P.head, (i) => i.some(breached), 'the head hears of the breach');
    await waitInbox(P.supChengxi, (i) => i.some(breached), 'the district supervisor hears of the breach');
    await waitInbox(P.supCity, (i) => i.some(breached), 'the city supervisor too (city-wide)');
    expect((await inbox(P.handler)).some(breached)).toBe(false); // handlers are not on the breach rule
    expect((await inbox(P.bStreet)).some(breached)).toBe(false);

    await run();
    expect(sms.filter((s) => s.to === '13900000002' && s.text.includes('已超时') && s.text.includes(orders.a.orderNo))).toHaveLength(1);
    expect(sms.filter((s) => s.to === '13900000003' && s.text.includes('已超时'))).toHaveLength(1);
    const mail = mails.find(
      (m) => m.to === 'sup630104@chengxi.example.cn' && m.body.includes(orders.a.orderNo) && m.body.includes('已超时'),
    );
    expect(mail?.body).toContain('已超时');
    expect(mail?.body).toContain('城西区胜利路街道');
  });

  it('an urgent order at night rings through quiet hours, while a normal one waits for the morning digest', async () => {
    // the street handler asks for a daily digest; the head keeps the default quiet hours (22:00–07:00)
    await notifyAs(P.handler).put('/preferences/me', { digest: true }).expect(200);
    const bad = await notifyAs(P.handler).put('/preferences/me', { quietStart: '25:00' }).expect(400);
    expect(bad.body.errors).toEqual([expect.objectContaining({ field: 'quietStart' })]);

    p.slaClock.set(L('2026-12-08T23:30:00'));
    // other citizens and matters, so intake flags no repeat (双交办) among the suite's orders
    orders.urgent = await streetNoise({
      urgency: 'urgent',
      categoryCode: 'property',
      content: '小区地下室水管爆裂，积水漫进配电间',
      citizen: { name: '张伟', phone: '13897002001' },
    });
    orders.normal = await streetNoise({
      categoryCode: 'garbage',
      content: '垃圾清运不及时',
      citizen: { name: '李娜', phone: '13897002002' },
    });
    for (const o of [orders.urgent, orders.normal]) {
      await waitInbox(P.handler, (i) => i.some((n) => n.orderNo === o.orderNo), `inbox has ${o.orderNo} at once`);
    }
    await run();
    expect(smsTo('13900000001', orders.urgent.orderNo)).toHaveLength(1);
    expect(smsTo('13900000001', orders.urgent.orderNo)[0].text).toContain('【紧急】');
    expect(smsTo('13900000002', orders.urgent.orderNo)).toHaveLength(1);
    expect(smsTo('13900000001', orders.normal.orderNo)).toHaveLength(0);
    expect(smsTo('13900000002', orders.normal.orderNo)).toHaveLength(0);

    p.slaClock.set(L('2026-12-09T07:30:00')); // the head's quiet hours are over; the digest is at 08:00
    await run();
    expect(smsTo('13900000002', orders.normal.orderNo)).toHaveLength(1);
    expect(smsTo('13900000001', orders.normal.orderNo)).toHaveLength(0);

    p.slaClock.set(L('2026-12-09T08:00:00'));
    await run();
    const digest = smsTo('13900000001', orders.normal.orderNo);
    expect(digest).toHaveLength(1);
    expect(digest[0]).toMatchObject({ templateCode: 'SMS_109' });
    expect(digest[0].text).toContain('每日汇总');
    await notifyAs(P.handler).put('/preferences/me', { digest: false }).expect(200);
  });

  it('a webhook that answers 500 is retried with back-off and then logged as failed', async () => {
    const t0 = L('2026-12-09T09:00:00');
    p.slaClock.set(t0);
    orders.lift = await order({}); // a lift complaint: Chengxi market regulation, whose DingTalk robot is down
    const pending = await eventually<DeliveryRow[]>(
      () => admin().get('/admin/deliveries?state=pending'),
      (b) => b.some((d) => d.channel === 'dingtalk' && d.ticketId === orders.lift.id),
      'the robot delivery queued',
    );
    const id = pending.find((d) => d.channel === 'dingtalk' && d.ticketId === orders.lift.id)!.id;
    const calls = () => robots.filter((r) => r.path === '/ding/down' && r.content.includes(orders.lift.orderNo));

    await run();
    expect(calls()).toHaveLength(1);
    p.slaClock.set(new Date(t0.getTime() + 59_000)); // back-off 60 s: not yet
    await run();
    expect(calls()).toHaveLength(1);
    p.slaClock.set(new Date(t0.getTime() + 60_000));
    await run();
    expect(calls()).toHaveLength(2);
    p.slaClock.set(new Date(t0.getTime() + 60_000 + 119_000)); // then 120 s
    await run();
    expect(calls()).toHaveLength(2);
    p.slaClock.set(new Date(t0.getTime() + 180_000));
    await run();
    expect(calls()).toHaveLength(3);
    p.slaClock.set(new Date(t0.getTime() + 3_600_000));
    await run();
    expect(calls()).toHaveLength(3); // NOTIFY_MAX_ATTEMPTS = 3: no fourth call

    const failed = (await deliveries('failed')).find((d) => d.id === id)!;
    expect(failed).toMatchObject({ state: 'failed', attempts: 3, to: '市场监管局钉钉群', lastError: 'robot webhook answered 500' });
    expect(failed.lastReason).toBe('provider_unavailable');
    expect(failed.attemptLog.map((a) => [a.outcome, a.answer, a.reason, a.at])).toEqual([
      ['retry', 'upstream busy', 'provider_unavailable', t0.toISOString()],
      ['retry', 'upstream busy', 'provider_unavailable', new Date(t0.getTime() + 60_000).toISOString()],
      ['failed', 'upstream busy', 'provider_unavailable', new Date(t0.getTime() + 180_000).toISOString()],
    ]);
    // every call was signed as DingTalk asks (the stand-in refuses a bad signature with errcode 310000)
    expect(calls().every((c) => c.query.get('access_token') === 't0k' && c.query.get('sign'))).toBe(true);
    // a dead end: the provider refused the market handler's number at once, no retry
    const dead = (await deliveries('dead')).find((d) => d.channel === 'sms' && d.ticketId === orders.lift.id)!;
    expect(dead).toMatchObject({ attempts: 1, to: '139****0000', lastReason: 'provider_refused' });
    expect(dead.attemptLog[0]).toMatchObject({
      outcome: 'dead',
      answer: '{"code":"isv.MOBILE_NUMBER_ILLEGAL"}',
      reason: 'provider_refused',
    });
    // only the administrator sees the log
    await notifyAs(P.handler).get('/admin/deliveries').expect(403);
  });

  it('a redelivered event notifies nobody twice', async () => {
    // dispatch's own event for order A, delivered again twice (the same event id), as JetStream does after a lost ack
    const row = await p.db.query<{ envelope: EventEnvelope }>(
      `SELECT envelope FROM dispatch.outbox WHERE type = 'ticket.dispatched.v1' AND envelope->>'ticketId' = $1`,
      [orders.a.id],
    );
    const envelope = row.rows[0].envelope;
    expect(versionOf('ticket.dispatched.v1')).toBe(envelope.version);
    const before = { inbox: (await inbox(P.handler)).length, sms: sms.length, robots: robots.length };
    const nc = await connect({ servers: p.env.NATS_URL });
    try {
      for (let i = 0; i < 2; i++) {
        await nc.jetstream().publish(`${p.env.BUS_PREFIX}.${envelope.district}.ticket.dispatched.v1`, JSON.stringify(envelope));
      }
    } finally {
      await nc.close();
    }
    await waitFor(
      async () =>
        (await p.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM notify.inbox WHERE event_id = $1`, [envelope.id])).rows[0].n,
      (n) => n === 1,
      { what: 'notify handled the event', timeoutMs: 20_000 },
    );
    // both copies have been through notify's consumers
    await consumersSettled(p, 'notify');
    await run();
    const perPerson = await p.db.query<{ person_id: string; n: number }>(
      `SELECT person_id, count(*)::int AS n FROM notify.notification WHERE event_id = $1 GROUP BY person_id ORDER BY person_id`,
      [envelope.id],
    );
    expect(perPerson.rows).toEqual(
      [
        { person_id: P.head.id, n: 1 },
        { person_id: P.handler.id, n: 1 },
      ].sort((x, y) => x.person_id.localeCompare(y.person_id)),
    );
    expect((await inbox(P.handler)).length).toBe(before.inbox);
    expect(sms.length).toBe(before.sms);
    expect(robots.length).toBe(before.robots);
  });

  it('a created callback task sends its survey link by itself', async () => {
    const refused = await streetNoise({
      categoryCode: 'parking',
      content: '小区门口乱停车堵住消防通道',
      citizen: { name: '王建国', phone: '13897005678', smsOptOut: true },
    });
    for (const o of [orders.a, refused]) await handleAndApprove(p, 'handlerStreet', o.id, '已协调商户整改，噪声已消除');
    const got = await waitFor(
      async () => sms.filter((s) => s.path === '/callback' && s.to === CITIZEN_PHONE),
      (b) => b.length === 1,
      { what: 'the survey SMS to the citizen', timeoutMs: 30_000 },
    );
    const survey = got[0];
    expect(survey).toMatchObject({ signName: '12345热线', templateCode: 'SMS_SURVEY' });
    expect(survey.templateParam.orderNo).toBe(orders.a.orderNo);
    const token = /\/s\/([^ ，]+)/.exec(survey.text)![1];
    const page = await p.http('callback').get(`/s/${token}`).set('Accept', 'text/html').expect(200);
    expect(page.text).toContain(orders.a.orderNo);
    // the citizen answers on the page: the callback is done without an agent
    await p.http('callback').post(`/s/${token}`).send({ contacted: true, resolved: true, satisfaction: 'satisfied' }).expect(200);
    const [task] = (await p.as('callbackAgent', 'callback').get(`/tasks?ticketId=${orders.a.id}&kind=reply`).expect(200)).body as {
      state: string;
      channel: string;
    }[];
    expect(task).toMatchObject({ state: 'completed', channel: 'sms' });
    // intake audited the automatic reveal; the citizen who refused SMS got none
    const audit = await p.db.query(`SELECT requested_by, granted FROM intake.reveal_audit WHERE ticket_id = $1`, [orders.a.id]);
    expect(audit.rows).toContainEqual({ requested_by: 'service:callback', granted: true });
    expect(sms.some((s) => s.to === '13897005678')).toBe(false);
  });

  it('an expired time limit triggers the callback a district’s policy asks for', async () => {
    // Chengxi asks for 到期回访 (its policy row, set by a city-scope administrator), Chengbei does not
    const districtAdmin = agentFor(p.apps.callback, {
      id: randomUUID(),
      name: '城西区管理员',
      roles: ['admin'],
      districts: [CHENGXI],
      units: [],
    });
    await districtAdmin.put(`/admin/expiry-policies/${CHENGXI}`, { enabled: true }).expect(403);
    const badDistrict = await p.as('admin', 'callback').put('/admin/expiry-policies/63', { enabled: true }).expect(400);
    expect(badDistrict.body.errors).toEqual([expect.objectContaining({ field: 'district' })]);
    const badBody = await p.as('admin', 'callback').put(`/admin/expiry-policies/${CHENGXI}`, { enabled: 'yes' }).expect(400);
    expect(badBody.body.errors).toEqual([expect.objectContaining({ field: 'enabled' })]);
    await p
      .as('admin', 'callback')
      .put(`/admin/expiry-policies/${CHENGXI}`, { enabled: true, note: '按市政府要求开展到期回访' })
      .expect(200);
    await p.as('admin', 'callback').put(`/admin/expiry-policies/${CHENGBEI}`, { enabled: false }).expect(200);
    const policies = (await p.as('supervisor', 'callback').get('/admin/expiry-policies').expect(200)).body as {
      districtCode: string;
      enabled: boolean;
    }[];
    expect(policies.map((x) => [x.districtCode, x.enabled])).toEqual([
      [CHENGXI, true],
      [CHENGBEI, false],
    ]);
    const log = (await p.as('admin', 'callback').get(`/admin/expiry-policies/changes?district=${CHENGXI}`).expect(200)).body as {
      enabledBefore: boolean | null;
      enabledAfter: boolean;
      changedBy: string;
      note: string;
    }[];
    expect(log).toEqual([
      expect.objectContaining({
        enabledBefore: null,
        enabledAfter: true,
        changedBy: DEMO_USERS.admin.id,
        note: '按市政府要求开展到期回访',
      }),
    ]);
    p.slaClock.set(L('2026-12-21T10:00:00'));
    expect((await tick()).breaches).toBeGreaterThanOrEqual(2);
    const expiry = await eventually<{ id: string; kind: string; cycle: number }[]>(
      () => p.as('callbackAgent', 'callback').get(`/tasks?ticketId=${orders.normal.id}&kind=expiry`),
      (b) => b.length === 1,
      'an expiry callback task for the Chengxi order',
    );
    expect(expiry[0]).toMatchObject({ kind: 'expiry', cycle: 1 });
    const none = (await p.as('callbackAgent', 'callback').get(`/tasks?ticketId=${orders.chengbei.id}`).expect(200)).body as unknown[];
    expect(none).toEqual([]);

    // the agent calls; the answer is recorded as its own kind and the order is not closed by it
    const agent = p.as('callbackAgent', 'callback');
    await agent.post(`/tasks/${expiry[0].id}/claim`).expect(200);
    await agent.post(`/tasks/${expiry[0].id}/complete`, { contacted: true, resolved: false, satisfaction: 'unsatisfied' }).expect(200);
    const published = await p.db.query(`SELECT type FROM callback.outbox WHERE envelope->'data'->>'taskId' = $1`, [expiry[0].id]);
    expect(published.rows.map((r: { type: string }) => r.type)).toEqual(['callback.expiry-checked.v1']);
    const o = (await p.as('dispatcher', 'dispatch').get(`/orders/${orders.normal.id}`).expect(200)).body as { state: string };
    expect(o.state).toBe('dispatched');
  });

  it('an overdue callback task raises a notification for the callback team lead', async () => {
    p.slaClock.set(L('2026-12-24T10:00:00')); // the other expiry tasks were due a working day after the breach
    const notes = await waitInbox(P.lead, (i) => i.some((n) => n.kind === 'callback_overdue'), 'the callback lead hears');
    expect(notes.find((n) => n.kind === 'callback_overdue')!.body).toContain('回访任务逾期');
    expect((await inbox(P.handler)).some((n) => n.kind === 'callback_overdue')).toBe(false);
  });

  it('no message carried the citizen’s name or phone', async () => {
    const texts = [
      ...sms.filter((s) => s.path === '/notify').map((s) => `${s.text} ${JSON.stringify(s.templateParam)}`),
      ...robots.map((r) => r.content),
      ...mails.map((m) => m.body),
      ...(await p.db.query<{ t: string }>(`SELECT title || body AS t FROM notify.notification`)).rows.map((r) => r.t),
      ...(await p.db.query<{ t: string }>(`SELECT envelope::text AS t FROM notify.outbox`)).rows.map((r) => r.t),
    ];
    expect(texts.length).toBeGreaterThan(20);
    for (const t of texts) {
      expect(t).not.toContain(CITIZEN_NAME);
      expect(t).not.toContain(CITIZEN_PHONE);
      for (const other of ['王建国', '13897005678', '张伟', '13897002001', '李娜', '13897002002']) expect(t).not.toContain(other);
      expect(t).not.toContain('胜利路20号'); // nor the address: the place is the street
    }
  });

  it('the staff’s mobiles and e-mails are in no event of the stream, nor in notify: the console gives them at send time', async () => {
    const events = await membershipEventsInStream(p);
    expect(events.length).toBeGreaterThanOrEqual(PEOPLE.length);
    for (const raw of events) {
      // A mobile number standing alone (not eleven digits inside a UUID's hex, which random ids have now and then).
      expect(raw).not.toMatch(/(?<![0-9A-Za-z-])1\d{10}(?![0-9A-Za-z])/);
      for (const person of PEOPLE) {
        if (person.mobile) expect(raw).not.toContain(person.mobile);
        if (person.email) expect(raw).not.toContain(person.email);
      }
      expect(raw).not.toContain('@');
      expect(Object.keys((JSON.parse(raw) as { data: object }).data)).not.toEqual(expect.arrayContaining(['mobile']));
    }
    const handlerEvent = events
      .map((e) => JSON.parse(e) as { data: Record<string, unknown> })
      .find((e) => e.data.accountId === P.handler.id)!;
    expect(handlerEvent.data).toMatchObject({ hasMobile: true, hasEmail: false, unitId: U.shengli, roles: P.handler.roles });
    // notify keeps whether there is a contact, never the contact
    const recipients = await p.db.query<Record<string, unknown>>(`SELECT * FROM notify.recipient`);
    for (const r of recipients.rows) expect(JSON.stringify(r)).not.toMatch(/1390000000\d|@/);
    const rows = await p.db.query<Record<string, unknown>>(`SELECT * FROM notify.message_delivery`);
    for (const r of rows.rows) expect(JSON.stringify(r)).not.toMatch(/1390000000\d|sup630104@|city-supervisor@/); // masked only
    // the console keeps them, encrypted at rest
    const stored = await p.db.query<{ mobile_enc: string; email_enc: string | null }>(
      `SELECT mobile_enc, email_enc FROM console.staff_account WHERE id = $1`,
      [P.supChengxi.id],
    );
    expect(stored.rows[0].mobile_enc).toMatch(/^k1\./);
    expect(stored.rows[0].email_enc).toMatch(/^k1\./);
    expect(JSON.stringify(stored.rows[0])).not.toMatch(/13900000003|sup630104/);
    // and the address reached the person: SMS and mail above went to exactly these contacts
    expect(sms.some((s) => s.to === '13900000003')).toBe(true);
    expect(mails.some((m) => m.to === 'sup630104@chengxi.example.cn')).toBe(true);
  });

  it('双交办: the district leader hears of an order held for their sign-off, not of every flagged order', async () => {
    const flagged = async (district: string, streetCode: string, orderNo: string) => {
      const id = randomUUID();
      const now = p.slaClock.now();
      await publishRaw(p.env, {
        type: 'ticket.accepted.v1',
        district,
        ticketId: id,
        occurredAt: now,
        data: {
          orderNo,
          channel: 'phone_12345',
          requestType: 'complaint',
          categoryCode: 'noise',
          urgency: 'ordinary',
          content: '第三次反映：夜间噪声仍未解决',
          location: { address: '某路1号', districtCode: district, streetCode },
          identityHidden: false,
          proactive: false,
          flags: ['repeat'],
          acceptedAt: now.toISOString(),
        },
      });
      return { id, orderNo };
    };
    const state = (id: string, s: string) =>
      eventually<{ state: string }>(
        () => p.as('cityDispatcher', 'dispatch').get(`/orders/${id}`),
        (o) => o.state === s,
        `order ${id} ${s}`,
      );
    // Chengbei's centre does not ask for the sign-off: its flagged order is dispatched as usual
    const notHeld = await flagged(CHENGBEI, '630105002', '20261224-990001');
    await state(notHeld.id, 'dispatched');
    // Chengxi's centre asks for it: the flagged order waits for the leader
    await p.as('admin', 'dispatch').patch(`/org/units/${U.chengxiCentre}`, { dualSignoffRequired: true }).expect(200);
    const held = await flagged(CHENGXI, '630104004', '20261224-990002');
    await state(held.id, 'awaiting_leader');
    const isHold = (o: { orderNo: string }) => (n: Note) => n.kind === 'dual_hold' && n.orderNo === o.orderNo;
    const notes = await waitInbox(P.leader, (i) => i.some(isHold(held)), 'the Chengxi leader hears of the held order');
    expect(notes.find(isHold(held))!.title).toContain('双交办');
    const event = await p.db.query<{ data: { flags: string[]; centreUnitId: string } }>(
      `SELECT envelope->'data' AS data FROM dispatch.outbox WHERE type = 'ticket.held-for-leader.v1' AND envelope->>'ticketId' = $1`,
      [held.id],
    );
    expect(event.rows).toEqual([{ data: expect.objectContaining({ flags: ['repeat'], centreUnitId: U.chengxiCentre }) }]);
    await consumersSettled(p, 'notify');
    // the flag alone told nobody: no hold event for the Chengbei order, and its leader's inbox is empty of it
    const none = await p.db.query(`SELECT 1 FROM dispatch.outbox WHERE type = 'ticket.held-for-leader.v1' AND envelope->>'ticketId' = $1`, [
      notHeld.id,
    ]);
    expect(none.rows).toEqual([]);
    expect((await inbox(P.bLeader)).some((n) => n.kind === 'dual_hold')).toBe(false);
    expect((await inbox(P.leader)).filter((n) => n.kind === 'dual_hold').map((n) => n.orderNo)).toEqual([held.orderNo]);
    await drain();
    expect(smsTo('13900000006', held.orderNo)).toHaveLength(1);
    expect(sms.some((s) => s.to === '13900000007' && s.text.includes(notHeld.orderNo))).toBe(false);
    await p.as('admin', 'dispatch').patch(`/org/units/${U.chengxiCentre}`, { dualSignoffRequired: false }).expect(200);
  });

  it('a disabled account gets nothing more: the console no longer gives its address', async () => {
    await p.apps.console.get(AccountsService).setState({ ...DEMO_USERS.admin, id: randomUUID(), districts: ['*'] }, P.head.id, 'disabled');
    // a delivery already queued for the head (before notify heard of the change) is a dead end, not a send
    const row = await p.db.query<{ id: string }>(`SELECT id FROM notify.message_delivery WHERE person_id = $1 LIMIT 1`, [P.head.id]);
    await p.db.query(
      `UPDATE notify.message_delivery SET state = 'pending', not_before = now() - interval '1 day', attempts = 0 WHERE id = $1`,
      [row.rows[0].id],
    );
    const before = sms.filter((s) => s.to === '13900000002').length;
    await run();
    expect(sms.filter((s) => s.to === '13900000002').length).toBe(before);
    const dead = (await deliveries('dead')).find((d) => d.id === row.rows[0].id)!;
    expect(dead.lastError).toContain('inactive');
    expect(dead.lastReason).toBe('recipient_inactive');
  });
});

describe('notifications name a category as the console does: by intake’s maintained taxonomy', () => {
  /** category.changed.v1 as intake publishes it when an administrator saves a category: under the city's code, about no order. */
  const categoryChanged = (code: string, nameZh: string, nameEn: string, changedAt: Date) =>
    publishRaw(p.env, {
      type: 'category.changed.v1',
      district: CITY,
      ticketId: null,
      data: { code, nameZh, nameEn, active: true, changedAt: changedAt.toISOString() },
    });
  /** Notify has applied (or, for an older one, passed over) the event. */
  const handled = (eventId: string) =>
    waitFor(
      async () => (await p.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM notify.inbox WHERE event_id = $1`, [eventId])).rows[0].n,
      (n) => n === 1,
      { what: `notify handled ${eventId}`, timeoutMs: 20_000 },
    );
  const noteOf = async (who: Principal, o: { orderNo: string }) =>
    (await waitInbox(who, (i) => i.some((n) => n.orderNo === o.orderNo), `${o.orderNo} in the inbox`)).find(
      (n) => n.orderNo === o.orderNo,
    )!;
  const renamedAt = L('2026-12-24T10:05:00');

  it('a renamed category is named by its new name in the next notification', async () => {
    await handled(await categoryChanged('noise', '噪声污染', 'Noise pollution', renamedAt));
    const o = await streetNoise({ content: '酒吧夜间音响声音过大', citizen: { name: '赵敏', phone: '13897003001' } });
    const note = await noteOf(P.handler, o);
    expect(note.body).toContain('类别：噪声污染');
    expect(note.body).not.toContain('噪音扰民'); // the catalogue's name, which intake no longer shows
    await run();
    const [text] = smsTo('13900000001', o.orderNo);
    expect(text.templateParam.category).toBe('噪声污染');
    expect(text.text).toContain('类别：噪声污染');
  });

  it('an older change arriving late does not undo the newer name', async () => {
    const late = await categoryChanged('noise', '噪音扰民（旧称）', 'Noise (old name)', new Date(renamedAt.getTime() - 3_600_000));
    await handled(late);
    const o = await streetNoise({ content: '广场舞音响凌晨仍在播放', citizen: { name: '孙立', phone: '13897003002' } });
    const note = await noteOf(P.handler, o);
    expect(note.body).toContain('类别：噪声污染');
    expect(note.body).not.toContain('旧称');
    // notify kept the newer row, with its time
    const row = await p.db.query<{ name_zh: string; changed_at: Date }>(
      `SELECT name_zh, changed_at FROM notify.category_name WHERE code = 'noise'`,
    );
    expect(row.rows).toEqual([{ name_zh: '噪声污染', changed_at: renamedAt }]);
    // one of the same time applies (the latest wins; a tie is not older)
    await handled(await categoryChanged('noise', '噪声扰民', 'Noise nuisance', renamedAt));
    const tie = await p.db.query<{ name_zh: string }>(`SELECT name_zh FROM notify.category_name WHERE code = 'noise'`);
    expect(tie.rows).toEqual([{ name_zh: '噪声扰民' }]);
  });

  it('a category an administrator adds under a seeded one is named by its own name, not its parent’s', async () => {
    await p
      .as('admin', 'intake')
      .post('/categories', { code: 'lift.noise', nameZh: '电梯噪声', nameEn: 'Lift noise', keywords: ['电梯噪声'] })
      .expect(201);
    await handled(await categoryChanged('lift.noise', '电梯噪声', 'Lift noise', L('2026-12-24T10:10:00')));
    // a lift matter in Chengxi: the market-regulation bureau's handlers hear of it
    const o = await order({ categoryCode: 'lift.noise', content: '电梯运行时噪声很大', citizen: { name: '周平', phone: '13897003003' } });
    const note = await noteOf(P.market, o);
    expect(note.body).toContain('类别：电梯噪声');
    expect(note.body).not.toContain('类别：电梯，');
  });
});

describe('补充诉求: the unit handling an order hears when the citizen adds to it', () => {
  it('its handlers by SMS and in the inbox; what the citizen said stays on the order’s page, never in a message', async () => {
    const o = await streetNoise({ content: '夜市摊位油烟和噪声扰民', citizen: { name: '钱进', phone: '13897003004' } });
    const words = '补充：摊主电话13897003999，每晚十点后更吵';
    await p.as('operator', 'intake').post(`/tickets/${o.id}/supplements`, { text: words }).expect(201);
    const mine = await waitInbox(
      P.handler,
      (i) => i.some((n) => n.orderNo === o.orderNo && n.kind === 'supplemented'),
      'the street handler hears of the supplement',
    );
    const note = mine.find((n) => n.orderNo === o.orderNo && n.kind === 'supplemented')!;
    expect(note.body).toContain('诉求人补充诉求');
    expect(note.body).toContain('请在工单中查看补充内容');
    expect(note.body).not.toContain('13897003999');
    expect(note.body).not.toContain('十点后');
    // another unit hears nothing of it
    expect((await inbox(P.market)).some((n) => n.orderNo === o.orderNo)).toBe(false);
    await run();
    const texts = smsTo('13900000001', o.orderNo).filter((s) => s.text.includes('补充'));
    expect(texts).toHaveLength(1);
    expect(texts[0].text).not.toContain('13897003999');
  });
});

describe('督办: the unit hears when its order is put on the supervision list, and when the item is closed', () => {
  // the street's head was disabled above; a new one has taken the post
  const newHead = person(USERS.headShengli, '胜利路街道新任负责人');
  const NEW_HEAD_MOBILE = '13900000008';
  const citizen = { name: '赵敏', phone: '13897006006' };
  let o: { id: string; orderNo: string };
  const supervised = (x: { orderNo: string }) => (n: Note) => n.kind === 'supervised' && n.orderNo === x.orderNo;
  const closed = (x: { orderNo: string }) => (n: Note) => n.kind === 'supervision_closed' && n.orderNo === x.orderNo;

  beforeAll(async () => {
    await enrol(p, newHead, { mobile: NEW_HEAD_MOBILE }, PEOPLE.length + 1);
    await eventually<{ personId: string }>(
      () => notifyAs(newHead).get('/preferences/me'),
      (b) => b.personId === newHead.id,
      'notify knows the new head',
    );
  });

  it('the orders above went on the list (a breach at the unit’s level, a repeat at the district’s): each unit’s handlers heard why', async () => {
    const a = (await inbox(P.handler)).filter(supervised(orders.a));
    expect(a.map((n) => n.body)).toEqual([expect.stringContaining('列入督办清单：工单')]);
    expect(a[0].body).toContain('督办原因：超时，督办级别：承办单位');
    const b = (await inbox(P.bStreet)).filter(supervised(orders.chengbei)).map((n) => n.body);
    expect(b).toHaveLength(2);
    expect(b).toEqual(
      expect.arrayContaining([
        expect.stringContaining('督办原因：重复/集中诉求，督办级别：区级督办'),
        expect.stringContaining('督办原因：超时，督办级别：承办单位'),
      ]),
    );
    expect((await inbox(P.bStreet)).some(supervised(orders.a))).toBe(false);
    expect((await inbox(P.handler)).some(supervised(orders.chengbei))).toBe(false);
  });

  it('an unsatisfied callback puts the order on the list at the district’s level: its handlers (inbox, SMS) and head (inbox) hear the reason and the level', async () => {
    o = await streetNoise({
      categoryCode: 'garbage',
      content: '小区垃圾桶满溢无人清理，异味严重',
      citizen: { ...citizen, smsOptOut: true },
    });
    await handleAndApprove(p, 'handlerStreet', o.id, '已联系环卫部门清运垃圾并清洗垃圾桶');
    await callBack(p, o.id, 1, { resolved: false, satisfaction: 'unsatisfied' });

    const mine = await waitInbox(P.handler, (i) => i.some(supervised(o)), 'the street handler hears of the supervision item');
    const note = mine.find(supervised(o))!;
    expect(note.title).toBe(`列入督办清单 ${o.orderNo}`);
    expect(note.body).toContain('督办原因：回访不满意，督办级别：区级督办');
    expect(note.body).toContain('请按督办要求抓紧办理并及时答复。');
    const heads = await waitInbox(newHead, (i) => i.some(supervised(o)), 'the street head hears of it');
    expect(heads.find(supervised(o))!.body).toContain('督办原因：回访不满意，督办级别：区级督办');
    for (const n of [note, heads.find(supervised(o))!]) {
      expect(n.body).not.toContain(citizen.name);
      expect(n.body).not.toContain(citizen.phone);
    }
    // another unit, and the district leader (the list is the supervisors' work), hear nothing of it
    await consumersSettled(p, 'notify');
    expect((await inbox(P.market)).some((n) => n.orderNo === o.orderNo)).toBe(false);
    expect((await inbox(P.leader)).some(supervised(o))).toBe(false);

    await drain();
    const texts = smsTo('13900000001', o.orderNo).filter((s) => s.text.includes('列入督办清单'));
    expect(texts).toHaveLength(1);
    expect(texts[0].text).toContain('督办原因：回访不满意，督办级别：区级督办');
    expect(texts[0].text).not.toContain(citizen.phone);
    expect(smsTo(NEW_HEAD_MOBILE, o.orderNo).some((s) => s.text.includes('督办'))).toBe(false); // the head: inbox only
  });

  it('a supervisor closes the item (销号): the handlers and head read it in the inbox, with the reason and level, not the closing note', async () => {
    const items = await eventually<{ id: string; ticketId: string; reason: string; level: string }[]>(
      () => p.as('supervisor', 'sla').get(`/supervision?reason=unsatisfied&districtCode=${CHENGXI}`),
      (l) => l.some((i) => i.ticketId === o.id),
      'the item on the list',
    );
    const item = items.find((i) => i.ticketId === o.id)!;
    expect(item).toMatchObject({ reason: 'unsatisfied', level: 'district' });
    const words = `已上门复核，${citizen.name}表示认可`;
    await p.as('supervisor', 'sla').post(`/supervision/${item.id}/close`, { note: words }).expect(200);

    const heads = await waitInbox(newHead, (i) => i.some(closed(o)), 'the head reads that the item was closed');
    const note = heads.find(closed(o))!;
    expect(note.title).toBe(`督办销号 ${o.orderNo}`);
    expect(note.body).toContain('督办原因：回访不满意，督办级别：区级督办');
    expect(note.body).toContain('销号说明请在工单中查看。');
    expect(note.body).not.toContain(words);
    expect(note.body).not.toContain(citizen.name);
    await waitInbox(P.handler, (i) => i.some(closed(o)), 'the handler reads it too');
    await consumersSettled(p, 'notify');
    expect((await inbox(P.market)).some(closed(o))).toBe(false);
    await drain();
    for (const mobile of ['13900000001', NEW_HEAD_MOBILE]) {
      expect(smsTo(mobile, o.orderNo).some((s) => s.text.includes('督办销号'))).toBe(false); // nothing is asked: no SMS
    }
  });
});
