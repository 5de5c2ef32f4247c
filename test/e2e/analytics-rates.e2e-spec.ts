/**
 * Analytics end to end: a scripted set of orders through the whole real pipeline (intake → dispatch
 * → sla → callback → analytics), then every rate, breakdown and the monthly ranking against values
 * worked out by hand below; a category renamed in intake's taxonomy (category.changed.v1) named so in
 * the breakdown, the drill-down, the wall and the reports; a replay of the stream equal to the live
 * read model; the public wall scanned for personal data; hotspots confirmed into
 * hotspot.proposed.v1; each report generated.
 */
import { loadConfig } from '@app/platform';
import { DateTime } from 'luxon';
import { connect } from 'nats';
import { randomUUID } from 'node:crypto';
import { AnalyticsConfig } from '../../apps/analytics/src/analytics.config';
import { replayAnalytics } from '../../apps/analytics/src/replay/replay';
import { unitIdFor } from '../../apps/dispatch/src/org/unit-id';
import {
  analyticsReadModel,
  bootPlatform,
  callBack,
  consumersSettled,
  eventually,
  settled,
  handleAndApprove,
  Platform,
  publishRaw,
  submitTicket,
} from './platform';

jest.setTimeout(240_000);

const ANALYTICS_ENV = { RATE_BASIC_SATISFIED_WEIGHT: '0.5', RANKING_MIN_ORDERS: '1', RANKING_LIST_SIZE: '1', REPORT_SCHEDULE: 'off' };
const today = DateTime.now().setZone('Asia/Shanghai');
const TODAY = today.toISODate()!;
const period = `from=${today.minus({ days: 1 }).toISODate()}&to=${today.plus({ days: 1 }).toISODate()}&districtCode=630104`;
const MARKET = unitIdFor('630104-dept-market_regulation');
const STREET = unitIdFor('630104004');
const COMMUNITY = '630104004001';

/** Everything personal the script gives intake: none of it may reach the wall or a report. */
const CITIZENS = [
  { name: '刘晓梅', phone: '13897001234' },
  { name: '王建国', phone: '0971-6123456' },
  { name: '赵春花', phone: '13997005678' },
  { name: '孙立新', phone: '15009712345' },
  { name: '周明', phone: '18697001111' },
];
const ADDRESS = (n: number) => `西宁市城西区胜利路${n}号${n}号楼`;
/** What an administrator renames `noise` (the catalogue's 噪音扰民) to in intake's taxonomy. */
const NOISE_RENAMED = '噪声污染';

let p: Platform;
const id: Record<'a' | 'b' | 'c' | 'd' | 'e', string> = { a: '', b: '', c: '', d: '', e: '' };

beforeAll(async () => {
  p = await bootPlatform({ extraEnv: { analytics: ANALYTICS_ENV } });
});

afterAll(async () => {
  await p?.close();
});

async function submit(i: number, categoryCode: string, extra: object = {}): Promise<string> {
  const t = await submitTicket(p, {
    categoryCode,
    content: `我是${CITIZENS[i].name}，电话${CITIZENS[i].phone}，住在${ADDRESS(i + 1)}，${categoryCode === 'lift' ? '电梯经常停运' : '楼下噪音扰民'}`,
    citizen: CITIZENS[i],
    location: {
      address: ADDRESS(i + 1),
      districtCode: '630104',
      streetCode: '630104004',
      communityCode: COMMUNITY,
      // All five within 100 m of each other, in one 500 m grid cell.
      lat: 36.6219 + i * 0.0001,
      lng: 101.7583 + i * 0.0001,
    },
    ...extra,
  });
  return t.id;
}

const orderOf = (ticketId: string) => () => p.as('cityDispatcher', 'dispatch').get(`/orders/${ticketId}`);

async function dispatched(ticketId: string): Promise<void> {
  await eventually<{ state: string; finishDueAt: string | null }>(
    orderOf(ticketId),
    (o) => o.state === 'dispatched' && !!o.finishDueAt,
    'dispatched with due times',
  );
}

/** Publish a ticket.accepted.v1 straight to JetStream, as a producer that sets publicWallOptOut would. */
async function publishAccepted(optOut: boolean): Promise<string> {
  const ticketId = randomUUID();
  await publishRaw(p.env, {
    type: 'ticket.accepted.v1',
    district: '630105',
    ticketId,
    producer: 'test',
    data: {
      orderNo: `${today.toFormat('yyyyLLdd')}-9${optOut ? '00001' : '00002'}`,
      channel: 'web',
      requestType: 'suggestion',
      categoryCode: 'street_light',
      urgency: 'ordinary',
      content: '路灯不亮',
      location: { address: '西宁市城北区某路1号', districtCode: '630105', streetCode: '630105001', communityCode: '630105001001' },
      identityHidden: false,
      proactive: false,
      flags: [],
      acceptedAt: new Date().toISOString(),
      publicWallOptOut: optOut,
    },
  });
  return ticketId;
}

interface RatesBody {
  volumes: Record<string, number>;
  rates: Record<string, { numerator: number; denominator: number; percent: number | null }>;
  events: Record<string, number>;
}
const rates = (q = period) => p.as('analyst', 'analytics').get(`/rates?${q}`);

describe('the rates after a scripted set of orders', () => {
  it('runs five Chengxi orders through the pipeline', async () => {
    id.a = await submit(0, 'lift');
    id.b = await submit(1, 'noise');
    id.c = await submit(2, 'noise');
    id.d = await submit(3, 'lift', { identityHidden: true });
    id.e = await submit(4, 'lift');
    for (const t of Object.values(id)) await dispatched(t);

    await handleAndApprove(p, 'handlerMarket', id.a, '已联系维保公司维修电梯，运行正常');
    await handleAndApprove(p, 'handlerStreet', id.b, '已约谈经营者，要求晚十点后停止营业');
    await handleAndApprove(p, 'handlerStreet', id.c, '已协调物业处理噪音问题');
    // A handler who writes the citizen's phone into the public reply: the wall must mask it.
    await handleAndApprove(p, 'handlerMarket', id.e, `已电话联系周先生（${CITIZENS[4].phone}），电梯已修复`);
    await callBack(p, id.a, 1, { resolved: true, satisfaction: 'satisfied' });
    await callBack(p, id.b, 1, { resolved: false, satisfaction: 'unsatisfied' });
    await callBack(p, id.c, 1, { resolved: true, satisfaction: 'basically_satisfied' });
    await callBack(p, id.e, 1, { resolved: true, satisfaction: 'satisfied' });
    await eventually<{ state: string }>(orderOf(id.b), (o) => o.state === 'reopened', 'B reopened');
    await handleAndApprove(p, 'handlerStreet', id.b, '联合执法后已加装隔音设施', { sign: false });
    await callBack(p, id.b, 2, { resolved: true, satisfaction: 'satisfied' });
    for (const t of [id.a, id.b, id.c, id.e]) await eventually<{ state: string }>(orderOf(t), (o) => o.state === 'closed', 'closed');
  });

  it('gives every rate as worked out by hand', async () => {
    // Dispatched 5 (A–E); contacted in time A, B, C, E → response 4/5.
    // Callbacks A ✓满意, B1 ✗不满意, B2 ✓满意, C ✓基本满意, E ✓满意 → resolution 4/5; satisfaction (3 + 0.5 × 1)/5 = 70%.
    // First replies A, B, C, E, all before their due time → on time 4/4; B reopened → rework 1/4.
    const r = await settled<RatesBody>(
      p,
      rates,
      (x) => x.volumes.callbacks === 5 && x.volumes.closed === 4,
      'five callbacks and four closed orders',
    );
    expect(r.volumes).toEqual({
      contacts: 5,
      accepted: 5,
      answeredAtFirstContact: 0,
      merged: 0,
      notAccepted: 0,
      dispatched: 5,
      replied: 4,
      closed: 4,
      callbacks: 5,
      callbacksFailed: 0,
    });
    expect(r.rates).toEqual({
      response: { numerator: 4, denominator: 5, percent: 80 },
      resolution: { numerator: 4, denominator: 5, percent: 80 },
      satisfaction: { numerator: 3.5, denominator: 5, percent: 70 },
      onTime: { numerator: 4, denominator: 4, percent: 100 },
      rework: { numerator: 1, denominator: 4, percent: 25 },
    });
    const month = await rates(`period=month&from=${TODAY}&districtCode=630104`).expect(200);
    expect((month.body as RatesBody).rates).toEqual(r.rates);
  });

  it('lists the orders behind a figure, those pulling it down first, adding up to the figure', async () => {
    interface Row {
      ticketId: string;
      counted: number;
      against: boolean;
      unitId: string;
      callback: { satisfaction: string; cycle: number } | null;
    }
    const orders = async (q: string) =>
      (await p.as('analyst', 'analytics').get(`/rates/orders?${period}&${q}`).expect(200)).body as { total: number; items: Row[] };
    // The street office's satisfaction (basically satisfied counts half): B1 ✗ 0, C 0.5, B2 ✓ 1 → 1.5 / 3 as in the breakdown.
    const sat = await orders(`figure=satisfaction&unitId=${STREET}`);
    expect(sat.total).toBe(3);
    expect(sat.items.reduce((n, r) => n + r.counted, 0)).toBe(1.5);
    expect(sat.items.filter((r) => r.against).map((r) => [r.ticketId, r.counted])).toEqual(
      expect.arrayContaining([
        [id.b, 0],
        [id.c, 0.5],
      ]),
    );
    expect(sat.items.slice(0, 2).every((r) => r.against)).toBe(true);
    const against = await orders(`figure=satisfaction&unitId=${STREET}&against=true`);
    expect(against.total).toBe(2);
    expect(against.items.find((r) => r.ticketId === id.b)?.callback).toMatchObject({ satisfaction: 'unsatisfied', cycle: 1 });
    // Not contacted in time: D, whose unit never called. Reworked: B.
    expect((await orders('figure=response&against=true')).items.map((r) => r.ticketId)).toEqual([id.d]);
    expect((await orders('figure=rework&against=true')).items.map((r) => r.ticketId)).toEqual([id.b]);
    expect((await orders('figure=accepted')).total).toBe(5);
    // A street outside the district is refused, naming the field.
    await p.as('analyst', 'analytics').get(`/rates/orders?${period}&figure=accepted&streetCode=630105001`).expect(400);
  });

  it('breaks the rates down by unit and by category', async () => {
    const byUnit = (await p.as('analyst', 'analytics').get(`/rates/breakdown?${period}&dimension=unit`).expect(200)).body as {
      rows: { key: string; label: string; volumes: Record<string, number>; rates: RatesBody['rates'] }[];
    };
    const market = byUnit.rows.find((x) => x.key === MARKET)!;
    const street = byUnit.rows.find((x) => x.key === STREET)!;
    // Market regulation: A, D, E dispatched, D never contacted → 2/3; callbacks A, E both resolved and satisfied.
    expect(market.label).toContain('市场监督管理局');
    expect(market.rates.response).toEqual({ numerator: 2, denominator: 3, percent: 66.67 });
    expect(market.rates.satisfaction.percent).toBe(100);
    // The street office: B, C → 2/2; callbacks B1 ✗, B2 ✓, C ✓(basically) → resolution 2/3, satisfaction 1.5/3.
    expect(street.rates.response.percent).toBe(100);
    expect(street.rates.resolution).toEqual({ numerator: 2, denominator: 3, percent: 66.67 });
    expect(street.rates.satisfaction).toEqual({ numerator: 1.5, denominator: 3, percent: 50 });
    expect(street.rates.rework).toEqual({ numerator: 1, denominator: 2, percent: 50 });

    const byCategory = (await p.as('analyst', 'analytics').get(`/rates/breakdown?${period}&dimension=category`).expect(200)).body as {
      rows: { key: string; label: string; volumes: Record<string, number> }[];
    };
    expect(byCategory.rows.map((x) => [x.key, x.label, x.volumes.accepted])).toEqual([
      ['lift', '电梯', 3], // the catalogue's name, as the console shows it
      ['noise', '噪音扰民', 2],
    ]);
    const top = (await p.as('analyst', 'analytics').get(`/units/${MARKET}/top-problems?${period}`).expect(200)).body as {
      categoryCode: string;
    }[];
    expect(top.map((t) => t.categoryCode)).toEqual(['lift']);
  });

  it('names a category as an administrator renamed it in intake (category.changed.v1): breakdown, drill-down and wall', async () => {
    // As intake publishes it when the taxonomy changes: under the city's code, about no order.
    await publishRaw(p.env, {
      type: 'category.changed.v1',
      district: '630100',
      ticketId: null,
      data: { code: 'noise', nameZh: NOISE_RENAMED, nameEn: 'Noise pollution', active: true, changedAt: new Date().toISOString() },
    });
    const renamed = await eventually<{ rows: { key: string; label: string; volumes: Record<string, number> }[] }>(
      () => p.as('analyst', 'analytics').get(`/rates/breakdown?${period}&dimension=category`),
      (b) => b.rows.some((x) => x.label === NOISE_RENAMED),
      'the new name in the breakdown',
    );
    expect(renamed.rows.map((x) => [x.key, x.label, x.volumes.accepted])).toEqual([
      ['lift', '电梯', 3], // not renamed: the catalogue's name
      ['noise', NOISE_RENAMED, 2],
    ]);
    const orders = (await p.as('analyst', 'analytics').get(`/rates/orders?${period}&figure=accepted`).expect(200)).body as {
      items: { ticketId: string; category: string }[];
    };
    expect(
      orders.items
        .filter((o) => o.category === NOISE_RENAMED)
        .map((o) => o.ticketId)
        .sort(),
    ).toEqual([id.b, id.c].sort());
    const wall = (await p.http('analytics').get(`/wall?communityCode=${COMMUNITY}&pageSize=100`).expect(200)).body as {
      items: { categoryCode: string; category: string }[];
    };
    expect(new Set(wall.items.map((x) => `${x.categoryCode}:${x.category}`))).toEqual(new Set(['lift:电梯', `noise:${NOISE_RENAMED}`]));
  });

  it('ranks the units by composite score with a red and a black list', async () => {
    // Weights 0.2/0.4/0.4: market 0.2 × 66.67 + 0.4 × 100 + 0.4 × 100 = 93.33; street 0.2 × 100 + 0.4 × 66.67 + 0.4 × 50 = 66.67.
    const res = await p
      .as('analyst', 'analytics')
      .get(`/rankings/monthly?month=${today.toFormat('yyyy-LL')}&districtCode=630104`)
      .expect(200);
    const body = res.body as {
      ranked: { key: string; score: number; rank: number }[];
      redList: { key: string }[];
      blackList: { key: string }[];
    };
    expect(body.ranked.map((x) => [x.key, x.score, x.rank])).toEqual([
      [MARKET, 93.33, 1],
      [STREET, 66.67, 2],
    ]);
    expect(body.redList.map((x) => x.key)).toEqual([MARKET]);
    expect(body.blackList.map((x) => x.key)).toEqual([STREET]);
  });

  it('refuses bad input with the reason', async () => {
    const get = (q: string) => p.as('analyst', 'analytics').get(q).expect(400);
    expect((await get(`/rates/breakdown?${period}&dimension=mood`)).body.errors).toEqual([
      { field: 'dimension', reason: 'dimension must be one of: district, street, unit, category, channel, requestType, notAcceptedReason' },
    ]);
    expect((await get('/rates?from=2026-03-01')).body.errors).toEqual([
      { field: 'to', reason: 'a custom period needs to (open-ended periods are not allowed)' },
    ]);
    expect((await get('/rates?from=2026-03-10&to=2026-03-01')).body.errors).toEqual([{ field: 'to', reason: 'to is before from' }]);
    expect((await get('/rates?period=week&from=2026-03-10&to=2026-03-12')).body.errors[0].field).toBe('to');
    expect((await get('/rates?period=year&from=2026-03-10')).body.errors[0].field).toBe('period');
    expect((await get('/rankings/monthly?month=2026-13')).body.errors).toEqual([{ field: 'month', reason: 'month must be YYYY-MM' }]);
    const wall = await p.http('analytics').get(`/wall?communityCode=${COMMUNITY}&pageSize=101`).expect(400);
    expect(wall.body.errors).toEqual([{ field: 'pageSize', reason: 'pageSize may be at most 100' }]);
    await p.http('analytics').get('/wall').expect(400);
    await p.http('analytics').get(`/rates?${period}`).expect(401);
    await p
      .as('dispatcher', 'analytics')
      .get(`/rates/breakdown?${period.replace('630104', '630102')}&dimension=unit`)
      .expect(403);
  });
});

describe('the public problem wall', () => {
  it('lists the community’s orders without a name, phone number or address, and honours the opt-out', async () => {
    const wall = await eventually<{ total: number; items: Record<string, unknown>[] }>(
      () => p.http('analytics').get(`/wall?communityCode=${COMMUNITY}&pageSize=2`),
      (w) => w.total === 4,
      'four orders on the wall (D hid the citizen’s identity)',
    );
    expect(wall.items).toHaveLength(2);
    const all: Record<string, unknown>[] = [];
    for (let page = 1; page <= 2; page++) {
      const res = await p.http('analytics').get(`/wall?communityCode=${COMMUNITY}&pageSize=2&page=${page}`).expect(200);
      all.push(...(res.body as { items: Record<string, unknown>[] }).items);
    }
    expect(all.map((x) => x.orderNo).sort()).toHaveLength(4);
    expect(all.every((x) => x.status === 'closed' && x.statusLabel === '已办结' && typeof x.reply === 'string' && !!x.deadline)).toBe(true);
    expect(new Set(all.map((x) => x.unitName))).toEqual(new Set(['城西区市场监督管理局', '城西区胜利路街道']));
    expect(all.find((x) => String(x.reply).includes('电梯已修复'))!.reply).toBe('已电话联系市民（[已隐去]），电梯已修复');

    // The scan: nothing personal anywhere in the wall's answers.
    const text = JSON.stringify(all);
    for (const c of CITIZENS) {
      expect(text).not.toContain(c.name);
      expect(text).not.toContain(c.phone);
      expect(text).not.toContain(c.phone.replace('-', ''));
    }
    for (let i = 1; i <= 5; i++) expect(text).not.toContain(ADDRESS(i));
    // A mobile standing alone (not digits inside an id's hex), a landline, an address, a personal field.
    expect(text).not.toMatch(
      /(?<![0-9A-Za-z-])1[3-9]\d{9}(?![0-9A-Za-z])|0971-?\d{7}|胜利路\d+号|"(lat|lng|content|address|citizen|name|phone)"/,
    );

    const chengbei = [await publishAccepted(true), await publishAccepted(false)];
    // Both facts first (analytics applies events concurrently): a wall read before the opted-out
    // order is applied would show the other one alone whether or not the opt-out worked.
    const r = await eventually<RatesBody>(
      () => rates(period.replace('630104', '630105')),
      (x) => x.volumes.accepted === 2,
      'both Chengbei orders in the facts',
    );
    expect(r.volumes.accepted).toBe(2);
    expect(chengbei).toHaveLength(2);
    const w = (await p.http('analytics').get('/wall?districtCode=630105').expect(200)).body as {
      total: number;
      items: { orderNo: string }[];
    };
    expect(w.total).toBe(1);
    expect(w.items.map((x) => x.orderNo)).toEqual([`${today.toFormat('yyyyLLdd')}-900002`]);
  });
});

describe('不予受理: contacts not accepted at intake', () => {
  /** Recorded by the operator through intake's POST /tickets, refused with a reason the statutes give. */
  const REFUSED = [
    {
      who: { name: '钱卫东', phone: '13897002222' },
      district: '630104',
      street: '630104004',
      channel: 'phone_12345',
      reason: 'litigation',
    },
    { who: { name: '吴淑芬', phone: '13997003333' }, district: '630104', street: null, channel: 'mayor_mailbox', reason: 'concluded' },
    { who: { name: '郑国强', phone: '15009714444' }, district: '630105', street: null, channel: 'phone_12345', reason: 'petition' },
  ];
  const cityPeriod = period.replace('&districtCode=630104', '');

  it('counts them in the rates, by reason, channel and district, lists them with their reason, and leaves every rate as it was', async () => {
    const before = (await rates().expect(200)).body as RatesBody;
    const refused: { id: string; orderNo: string }[] = [];
    for (const [i, r] of REFUSED.entries()) {
      const t = await submitTicket(p, {
        channel: r.channel,
        categoryCode: i === 0 ? 'wage_arrears' : 'property',
        content: `${r.who.name}反映的事项已进入法定程序，电话${r.who.phone}`,
        citizen: r.who,
        location: { address: `西宁市某路${i + 1}号`, districtCode: r.district, ...(r.street ? { streetCode: r.street } : {}) },
        disposition: 'not_accepted',
        notAcceptedReason: r.reason,
      });
      refused.push(t);
    }
    const after = await eventually<RatesBody>(
      rates,
      (x) => x.volumes.notAccepted === 2,
      'the two Chengxi contacts not accepted in the rates',
    );
    expect(after.volumes).toEqual({ ...before.volumes, notAccepted: 2, contacts: before.volumes.contacts + 2 });
    expect(after.rates).toEqual(before.rates);
    expect(after.events['ticket.not-accepted.v1']).toBe(2);

    type Breakdown = { rows: { key: string; label: string; districtCode: string | null; volumes: Record<string, number> }[] };
    const breakdown = async (q: string) => (await p.as('analyst', 'analytics').get(`/rates/breakdown?${q}`).expect(200)).body as Breakdown;
    const city = await eventually<Breakdown>(
      () => p.as('analyst', 'analytics').get(`/rates/breakdown?${cityPeriod}&dimension=notAcceptedReason`),
      (b) => b.rows.reduce((n, r) => n + r.volumes.notAccepted, 0) === 3,
      'the three refusals of the city by reason',
    );
    expect(city.rows.map((r) => [r.key, r.label, r.volumes.notAccepted, r.volumes.accepted])).toEqual([
      ['concluded', '已依法办结', 1, 0],
      ['litigation', '诉讼程序中', 1, 0],
      ['petition', '信访程序中', 1, 0],
    ]);
    const chengxi = await breakdown(`${period}&dimension=notAcceptedReason`);
    expect(chengxi.rows.map((r) => r.key)).toEqual(['concluded', 'litigation']);
    const byChannel = await breakdown(`${cityPeriod}&dimension=channel`);
    expect(byChannel.rows.filter((r) => r.volumes.notAccepted).map((r) => [r.key, r.volumes.notAccepted])).toEqual([
      ['mayor_mailbox', 1],
      ['phone_12345', 2],
    ]);
    const byDistrict = await breakdown(`${cityPeriod}&dimension=district`);
    expect(byDistrict.rows.filter((r) => r.volumes.notAccepted).map((r) => [r.key, r.volumes.notAccepted])).toEqual([
      ['630104', 2],
      ['630105', 1],
    ]);
    const byCategory = await breakdown(`${period}&dimension=category`);
    expect(byCategory.rows.filter((r) => r.volumes.notAccepted).map((r) => [r.key, r.volumes.notAccepted])).toEqual([
      ['property', 1],
      ['wage_arrears', 1],
    ]);
    const byStreet = await breakdown(`${period}&dimension=street`);
    expect(byStreet.rows.filter((r) => r.volumes.notAccepted).map((r) => [r.key, r.volumes.notAccepted])).toEqual([
      ['', 1],
      ['630104004', 1],
    ]);

    // The drill-down lists them with their reason, and with nothing of the citizen.
    const orders = (await p.as('analyst', 'analytics').get(`/rates/orders?${period}&figure=notAccepted`).expect(200)).body as {
      total: number;
      items: { ticketId: string; orderNo: string; notAcceptedReason: string; unitId: string | null }[];
    };
    expect(orders.total).toBe(2);
    expect(orders.items.map((o) => [o.ticketId, o.orderNo, o.notAcceptedReason, o.unitId]).sort()).toEqual(
      [
        [refused[0].id, refused[0].orderNo, 'litigation', null],
        [refused[1].id, refused[1].orderNo, 'concluded', null],
      ].sort(),
    );
    // Not on the wall (it lists accepted orders only).
    const wall = (await p.http('analytics').get('/wall?districtCode=630104&pageSize=100').expect(200)).body as {
      items: { orderNo: string }[];
    };
    expect(wall.items.length).toBeGreaterThan(0);
    expect(wall.items.map((x) => x.orderNo)).not.toContain(refused[0].orderNo);

    // The district's daily summary: among the contacts, by reason and channel, in its street and category tables.
    const made = await p.as('analyst', 'analytics').post('/reports', { kind: 'daily', date: TODAY, districtCode: '630104' }).expect(201);
    const html = (await p.as('analyst', 'analytics').get(`/reports/${made.body.id}`).expect(200)).text;
    expect(html).toContain('不予受理 2 件；');
    expect(html).toContain('四、不予受理情况');
    expect(html).toMatch(
      /本期不予受理 2 件，占接收诉求的 [\d.]+%：(已依法办结（1件）、诉讼程序中（1件）|诉讼程序中（1件）、已依法办结（1件）)。/,
    );
    expect(html).toContain('<caption>不予受理渠道</caption>');
    const text = JSON.stringify(orders) + html + JSON.stringify(city);
    for (const r of REFUSED) {
      expect(text).not.toContain(r.who.name);
      expect(text).not.toContain(r.who.phone);
    }
  });
});

describe('hotspots and 未诉先办', () => {
  it('finds the lift cluster, and a supervisor’s confirmation publishes hotspot.proposed.v1 once', async () => {
    const found = (
      await p.as('analyst', 'analytics').post('/hotspots/detect', { from: TODAY, to: TODAY, categoryCode: 'lift', minCount: 3 }).expect(200)
    ).body as { id: string; ticketCount: number; categoryCode: string; status: string; rising: boolean; districtCode: string }[];
    expect(found).toEqual([
      expect.objectContaining({ categoryCode: 'lift', ticketCount: 3, status: 'detected', rising: true, districtCode: '630104' }),
    ]);
    await p.as('analyst', 'analytics').post(`/hotspots/${found[0].id}/confirm`).expect(403);
    const acceptedBefore = ((await rates().expect(200)).body as RatesBody).volumes.accepted;
    const confirmed = await p.as('supervisor', 'analytics').post(`/hotspots/${found[0].id}/confirm`).expect(200);
    expect(confirmed.body.status).toBe('proposed');
    await p.as('supervisor', 'analytics').post(`/hotspots/${found[0].id}/confirm`).expect(409);
    const r = await eventually<RatesBody>(
      () => rates(),
      (x) => x.events['hotspot.proposed.v1'] === 1,
      'the proposal on the stream (analytics counts its own event)',
    );
    expect(r.events['hotspot.proposed.v1']).toBe(1);
    // 未诉先办: intake turns the confirmed hotspot into a proactive order, which dispatch routes and
    // analytics counts (the read model then holds one more order).
    await eventually<{ rates: unknown; volumes: { accepted: number; dispatched: number } }>(
      () => rates(),
      (x) => x.volumes.accepted === acceptedBefore + 1,
      'the proactive order raised from the hotspot, in analytics',
    );
    const tickets = (await p.as('operator', 'intake').get('/tickets?districtCode=630104&limit=500').expect(200)).body as {
      content: string;
      proactive: boolean;
    }[];
    expect(tickets.filter((t) => t.proactive && t.content.includes(found[0].id))).toHaveLength(1);
  });
});

describe('reports', () => {
  it('generates the daily summary, weekly bulletin and monthly ranking as HTML with charts and as spreadsheets', async () => {
    for (const kind of ['daily', 'weekly', 'monthly']) {
      const made = await p.as('analyst', 'analytics').post('/reports', { kind, date: TODAY }).expect(201);
      const html = await p.as('analyst', 'analytics').get(`/reports/${made.body.id}`).expect(200);
      expect(html.headers['content-type']).toContain('text/html');
      expect(html.text).toContain('<html lang="zh-CN">');
      expect(html.text).toContain({ daily: '日小结', weekly: '周通报', monthly: '月评比' }[kind]);
      expect(html.text).toContain('<svg');
      // the renamed category (above) in the summaries' 诉求类别, under its new name
      if (kind !== 'monthly') expect(html.text).toContain(NOISE_RENAMED);
      for (const c of CITIZENS) expect(html.text).not.toContain(c.phone);
      const xlsx = await p
        .as('analyst', 'analytics')
        .get(`/reports/${made.body.id}/xlsx`)
        .buffer(true)
        .parse((res, cb) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => cb(null, Buffer.concat(chunks)));
        })
        .expect(200);
      expect(xlsx.headers['content-type']).toContain('spreadsheetml');
      expect((xlsx.body as Buffer).subarray(0, 2).toString()).toBe('PK');
      const pdf = await p
        .as('analyst', 'analytics')
        .get(made.body.links.pdf as string)
        .buffer(true)
        .parse((res, cb) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => cb(null, Buffer.concat(chunks)));
        })
        .expect(200);
      expect(pdf.headers['content-type']).toBe('application/pdf');
      expect((pdf.body as Buffer).subarray(0, 5).toString()).toBe('%PDF-');
      // The Chinese title is in the document's metadata as written (UTF-16 in the Info dictionary).
      expect(pdf.headers['content-disposition']).toContain(encodeURIComponent(made.body.title as string));
    }
    const monthly = await p.as('analyst', 'analytics').get('/reports?kind=monthly').expect(200);
    expect(monthly.body.items).toHaveLength(1);
    const html = await p.as('analyst', 'analytics').get(monthly.body.items[0].links.html).expect(200);
    expect(html.text).toContain('红榜');
    expect(html.text).toContain('城西区市场监督管理局');
    await p.as('dispatcher', 'analytics').get(monthly.body.items[0].links.html).expect(404); // a city report, a district user
    await p.as('analyst', 'analytics').post('/reports', { kind: 'yearly', date: TODAY }).expect(400);
  });
});

describe('replay', () => {
  it('rebuilds the same read model from the stream', async () => {
    await consumersSettled(p, 'analytics');
    const live = await analyticsReadModel(p);
    // seven orders of the script, the hotspot's proactive order and the three contacts not accepted
    expect(live.ticket_fact.length).toBe(11);
    expect(live.rate_daily.filter((r) => (r as { dimension: string }).dimension === 'not_accepted_reason')).toHaveLength(3);
    // The category names are rebuilt from the stream too (the replay empties them with the facts).
    const categoryNames = async () =>
      (await p.db.query(`SELECT * FROM analytics.category_name ORDER BY code`)).rows as { code: string; name_zh: string }[];
    const liveNames = await categoryNames();
    expect(liveNames.find((r) => r.code === 'noise')?.name_zh).toBe(NOISE_RENAMED);
    const config = loadConfig(AnalyticsConfig, { ...p.env, ...ANALYTICS_ENV });
    const result = await replayAnalytics(config);
    expect(result.applied).toBeGreaterThan(40);
    expect(await analyticsReadModel(p)).toEqual(live);
    expect(await categoryNames()).toEqual(liveNames);
    // Batches of three: each acknowledged once written (the server sends no more than three
    // batches unacknowledged), the same read model, and no consumer of the replay's left.
    const small = await replayAnalytics(config, () => undefined, { batch: 3 });
    expect(small.applied).toBe(result.applied);
    expect(await analyticsReadModel(p)).toEqual(live);
    expect(await categoryNames()).toEqual(liveNames);
    const nc = await connect({ servers: p.env.NATS_URL });
    try {
      const names: string[] = [];
      for await (const c of (await nc.jetstreamManager()).consumers.list(p.env.BUS_STREAM)) names.push(c.name);
      expect(names.length).toBeGreaterThan(0);
      expect(names.filter((n) => !/^[a-z]+__/.test(n))).toEqual([]); // the services' durables only
    } finally {
      await nc.close();
    }
    const r = (await rates().expect(200)).body as RatesBody;
    expect(r.rates.satisfaction.percent).toBe(70);
  });
});
