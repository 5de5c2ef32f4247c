/**
 * The public-data scan: orders carrying a sentinel name, phone, address and exact coordinates are
 * submitted through every door (web form, with and without hidden identity; the operator; Open311),
 * then every public route is read in JSON and XML (Open311, the status lookup, the problem wall, the
 * survey pages, the taxonomy) and every log line the services wrote (pino's own output, captured):
 * the sentinels appear nowhere, nor api keys, survey tokens or client addresses in the logs. Also:
 * behind a trusted proxy the rate limit counts each citizen, not the proxy.
 */
import fs from 'node:fs';
import request from 'supertest';
import { bootPlatform, eventually, Platform } from './platform';

jest.setTimeout(180_000);

const NAME = '哨兵甲乙';
const PHONE = '13912340987';
const HOUSE = '4321号哨兵楼';
const ADDRESS = `西宁市城西区胜利路${HOUSE}`;
const LAT = 36.6234567;
const LNG = 101.7654321;
const KEY = 'scan-key-0123456789abcdef';
const SENTINELS = [NAME, PHONE, '4321号', '哨兵楼', String(LAT), String(LNG), '6234567', '7654321'];

let p: Platform;
const logged: string[] = [];
const restore: (() => void)[] = [];
let client = 0;
/** A different citizen behind the (trusted) ingress for each request, as in production. */
const xff = () => `203.0.113.${(client++ % 200) + 1}`;

beforeAll(async () => {
  // pino writes to fd 1 with fs.write/fs.writeSync (sonic-boom), or through process.stdout.write
  // when something (jest) has wrapped it: keep a copy of every line either way.
  const f = fs as unknown as Record<'write' | 'writeSync', (...a: unknown[]) => unknown>;
  for (const name of ['write', 'writeSync'] as const) {
    const original = f[name];
    f[name] = (...a: unknown[]) => {
      if (a[0] === 1 || a[0] === 2) logged.push(typeof a[1] === 'string' ? a[1] : Buffer.from(a[1] as Uint8Array).toString('utf8'));
      return original.apply(fs, a);
    };
    restore.push(() => (f[name] = original));
  }
  const stdoutWrite = process.stdout.write;
  process.stdout.write = (chunk: string | Uint8Array, ...rest: unknown[]) => {
    logged.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    return (stdoutWrite as (...a: unknown[]) => boolean).call(process.stdout, chunk, ...rest);
  };
  restore.push(() => (process.stdout.write = stdoutWrite));
  const info = { LOG_LEVEL: 'info', TRUSTED_PROXIES: 'loopback', PUBLIC_RATE_LIMIT_PER_MINUTE: '5' };
  p = await bootPlatform({
    extraEnv: { intake: { ...info, OPEN311_API_KEYS: `scanner:${KEY}` }, dispatch: info, sla: info, callback: info, analytics: info },
  });
});

afterAll(async () => {
  await p?.close();
  for (const r of restore) r();
});

const pub = (s: 'intake' | 'analytics' | 'callback') => ({
  get: (path: string) => request(p.apps[s].getHttpServer()).get(path).set('X-Forwarded-For', xff()),
  post: (path: string) => request(p.apps[s].getHttpServer()).post(path).set('X-Forwarded-For', xff()),
});

function expectClean(what: string, text: string): void {
  const found = SENTINELS.filter((s) => text.includes(s));
  expect({ what, found }).toEqual({ what, found: [] });
}

describe('a sentinel citizen', () => {
  const orders: { orderNo: string; token?: string }[] = [];

  beforeAll(async () => {
    for (const identityHidden of [false, true]) {
      const res = await pub('intake')
        .post('/public/requests')
        .send({
          content: '路灯不亮，晚上回家很不安全',
          categoryCode: 'street_light',
          citizen: { name: NAME, phone: PHONE },
          identityHidden,
          location: { address: ADDRESS, lat: LAT, lng: LNG },
        })
        .expect(201);
      expectClean('the receipt', res.text);
      orders.push(res.body as { orderNo: string; token: string });
    }
    const op = await p
      .as('operator', 'intake')
      .post('/tickets', {
        channel: 'phone_12345',
        requestType: 'complaint',
        categoryCode: 'lift',
        content: '电梯经常停运',
        citizen: { name: NAME, phone: PHONE },
        location: { address: ADDRESS, districtCode: '630104', lat: LAT, lng: LNG },
      })
      .expect(201);
    orders.push(op.body as { orderNo: string });
    for (const format of ['json', 'xml']) {
      const res = await pub('intake')
        .post(`/open311/v2/requests.${format}`)
        .type('form')
        .send({
          api_key: KEY,
          service_code: 'garbage',
          lat: String(LAT),
          long: String(LNG),
          description: '垃圾桶满了',
          phone: PHONE,
          first_name: '乙',
          last_name: '哨兵甲',
        })
        .expect(201);
      expectClean(`the Open311 ${format} receipt`, res.text);
    }
    await eventually(
      () => pub('analytics').get('/wall?districtCode=630104'),
      (b: { total?: number }) => (b.total ?? 0) >= 2,
      'the orders on the wall',
    );
  });

  it('is on no public route, in JSON or XML', async () => {
    const ids = orders.map((o) => o.orderNo);
    const paths = [
      '/open311/v2/requests.json',
      '/open311/v2/requests.xml',
      `/open311/v2/requests.json?service_request_id=${ids.join(',')}`,
      `/open311/v2/requests.xml?service_request_id=${ids.join(',')}`,
      '/open311/v2/services.json',
      '/open311/v2/discovery.xml',
      '/categories',
      ...ids.flatMap((id) => ['json', 'xml'].flatMap((f) => [`/open311/v2/requests/${id}.${f}`, `/open311/v2/request/${id}.${f}`])),
    ];
    for (const path of paths) {
      const res = await pub('intake').get(path);
      expect(res.status).toBeLessThan(500);
      expectClean(path, res.text);
    }
    const all = (await pub('intake').get('/open311/v2/requests.json').expect(200)).body as { service_request_id: string; lat?: number }[];
    // The identity-hidden order is off Open311 as it is off the wall.
    expect(all.map((r) => r.service_request_id)).not.toContain(orders[1].orderNo);
    await pub('intake').get(`/open311/v2/request/${orders[1].orderNo}.json`).expect(404);
    expect(all.some((r) => r.lat !== undefined)).toBe(true);
    for (const o of orders.filter((x) => x.token)) {
      const res = await pub('intake').post('/public/status').send({ orderNo: o.orderNo, token: o.token }).expect(200);
      expectClean('the status lookup', res.text);
    }
    for (const q of ['districtCode=630104', 'streetCode=630104004', 'districtCode=630100']) {
      const res = await pub('analytics').get(`/wall?${q}`);
      expect(res.status).toBeLessThan(500);
      expectClean(`/wall?${q}`, res.text);
    }
    const survey = await pub('callback').get('/s/AAAAAAAAAAAAAAAAAAAAAA').set('Accept', 'text/html');
    expect(survey.status).toBeLessThan(500);
    expectClean('a survey page', survey.text);
  });

  it('is not in the logs, nor are api keys, survey tokens or client addresses', async () => {
    await pub('intake').get(`/open311/v2/requests.json?api_key=${KEY}`).expect(200);
    await pub('callback').get('/s/SECRETSURVEYTOKEN00000a').set('Accept', 'text/html');
    await new Promise((r) => setTimeout(r, 500));
    const text = logged.join('');
    expect(text).toContain('"url"'); // request lines are being captured
    expectClean('the logs', text);
    expect(text).not.toContain(KEY);
    expect(text).not.toContain('SECRETSURVEYTOKEN00000a');
    expect(text).not.toMatch(/203\.0\.113\.\d+/);
    expect(text).not.toMatch(/"remoteAddress":"(::ffff:)?\d+\.\d+\.\d+\.\d+"/);
  });
});

describe('the public rate limit behind a trusted proxy', () => {
  it('counts each citizen, not the ingress', async () => {
    const http = () => request(p.apps.intake.getHttpServer());
    const lookup = (ip: string) =>
      http()
        .post('/public/status')
        .set('X-Forwarded-For', ip)
        .send({ orderNo: '20260101-000001', token: 'A'.repeat(22) });
    for (let i = 0; i < 5; i++) expect((await lookup('198.51.100.7')).status).toBe(404);
    const limited = await lookup('198.51.100.7');
    expect(limited.status).toBe(429);
    expect(limited.body.message).toContain('5 a minute');
    expect((await lookup('198.51.100.8')).status).toBe(404);
  });
});
