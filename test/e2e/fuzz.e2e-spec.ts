/**
 * Property-based fuzzing (fast-check) of every route of every service, found from Nest's route
 * metadata, and of every public endpoint: malformed bodies, queries and path parameters (wrong types,
 * huge strings, NUL, lone surrogates, deep nesting, unknown fields, impossible dates) sent with an
 * administrator's token, plus bodies that cannot be read at all (oversized, latin1, broken or
 * 5,000-deep JSON). The properties: never a 5xx, and a refused request writes nothing (the row counts
 * of the service's tables are unchanged after a route's 4xx answers).
 */
import { DEV_JWT_SECRET, mintDevToken, Principal } from '@app/platform';
import fc from 'fast-check';
import { Client } from 'pg';
import request from 'supertest';
import { bootPlatform, consumersSettled, eventually, newTicket, Platform, ServiceName } from './platform';
import { fillPath, Route, routesOf } from './routes';

jest.setTimeout(300_000);

const SERVICES: ServiceName[] = ['intake', 'dispatch', 'sla', 'callback', 'analytics'];
const RUNS_PER_ROUTE = 8;
const ADMIN: Principal = { id: 'fuzz-admin', roles: ['admin'], districts: ['*'], units: [] };
const KEY = 'fuzz-key-0123456789abcdef';

let p: Platform;
let ticketId: string;
let orderNo: string;

beforeAll(async () => {
  const many = { PUBLIC_RATE_LIMIT_PER_MINUTE: '1000000' };
  p = await bootPlatform({
    extraEnv: {
      intake: { ...many, OPEN311_API_KEYS: `fuzzer:${KEY}` },
      dispatch: many,
      sla: many,
      callback: many,
      analytics: many,
    },
  });
  // One real order, so ids in paths sometimes name something and handlers get past "not found".
  const res = await p.as('operator', 'intake').post('/tickets', newTicket()).expect(201);
  ({ id: ticketId, orderNo } = res.body as { id: string; orderNo: string });
  await eventually(
    () => p.as('cityDispatcher', 'dispatch').get(`/orders/${ticketId}`),
    (o: { state?: string }) => o.state === 'dispatched',
    'the order dispatched',
  );
  for (const s of SERVICES) await consumersSettled(p, s);
});

afterAll(async () => {
  await p?.close();
});

/** Field names the OpenAPI document knows for a route's body and query, to aim the fuzz at them. */
async function fieldsOf(s: ServiceName): Promise<(r: Route) => { body: string[]; query: string[] }> {
  const doc = (await p.http(s).get('/docs-json').expect(200)).body as {
    paths: Record<
      string,
      Record<
        string,
        { parameters?: { in: string; name: string }[]; requestBody?: { content?: Record<string, { schema?: { $ref?: string } }> } }
      >
    >;
    components?: { schemas?: Record<string, { properties?: Record<string, unknown> }> };
  };
  return (r) => {
    const op = doc.paths[r.path.replace(/:([A-Za-z0-9_]+)/g, '{$1}')]?.[r.method.toLowerCase()];
    const ref = Object.values(op?.requestBody?.content ?? {})[0]?.schema?.$ref;
    const schema = ref ? doc.components?.schemas?.[ref.split('/').pop()!] : undefined;
    return {
      body: Object.keys(schema?.properties ?? {}),
      query: (op?.parameters ?? []).filter((x) => x.in === 'query').map((x) => x.name),
    };
  };
}

/**
 * Row counts of every table of a service's schema but the inbox (consumers write it for events, not
 * requests) and the public rate limit's counts (a refused public request is counted too, or a client
 * could send malformed requests without limit).
 */
async function rowCounts(schema: string): Promise<Record<string, number>> {
  const tables = (
    await p.db.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = $1 AND table_type = 'BASE TABLE' AND table_name NOT IN ('inbox', 'public_throttle')`,
      [schema],
    )
  ).rows.map((r) => r.table_name);
  if (!tables.length) return {};
  const rows = (
    await p.db.query<{ t: string; n: string }>(
      tables.map((t) => `SELECT '${t}' AS t, count(*) AS n FROM "${schema}"."${t}"`).join(' UNION ALL '),
    )
  ).rows;
  return Object.fromEntries(rows.map((r) => [r.t, Number(r.n)]));
}

const nest = (depth: number): unknown => {
  let v: unknown = 'x';
  for (let i = 0; i < depth; i++) v = i % 2 ? [v] : { a: v };
  return v;
};

const nastyString = fc.oneof(
  fc.string({ maxLength: 20 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.string({ maxLength: 10 }).map((s) => `${s}\u0000${s}`),
  fc.constantFrom('\uD800', 'a\uDC00b', '\uDBFF', '\u0000'),
  fc.constantFrom('2027-02-30', '2026-13-01', '2026-11-31T25:61:00Z', '0000-00-00', '9999-99-99T99:99:99Z', 'yesterday'),
  fc.constantFrom('x'.repeat(5000), '9'.repeat(400), '-1', 'NaN', 'Infinity', '1e309', '', ' ', "'; DROP TABLE t;--", '../../etc/passwd'),
  fc.constantFrom('630104', '630102006', 'heating', 'street_light', 'admin', '*'),
  fc.uuid(),
);
const nastyValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: nastyString },
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constantFrom(null, 1e308, -0, Number.MAX_SAFE_INTEGER + 2),
  fc.array(nastyString, { maxLength: 3 }),
  fc.dictionary(nastyString, nastyString, { maxKeys: 3 }),
);

function bodyArb(fields: string[]): fc.Arbitrary<unknown> {
  const keys = fc.constantFrom(...fields, 'unknownField', '__proto__', 'constructor');
  return fc.oneof(
    { weight: 5, arbitrary: fc.dictionary(keys, nastyValue, { maxKeys: Math.max(3, fields.length) }) },
    fc.jsonValue({ maxDepth: 3 }),
    fc.integer({ min: 65, max: 3000 }).map(nest),
  );
}

function paramArb(): fc.Arbitrary<string> {
  return fc.oneof(nastyString, fc.constantFrom(ticketId, orderNo, `${orderNo}.json`, `${orderNo}.xml`, 'x.json', 'discovery.json'));
}

/** A path value as a client could send it: lone surrogates cannot be URL-encoded, so they go as invalid UTF-8 bytes. */
function encode(v: string): string {
  try {
    return encodeURIComponent(v);
  } catch {
    return '%ED%A0%80';
  }
}

interface Sent {
  path: string;
  query?: Record<string, unknown>;
  body?: unknown;
}

function send(s: ServiceName, r: Route, x: Sent): request.Test {
  const http = request(p.apps[s].getHttpServer());
  const m = r.method.toLowerCase() as 'get' | 'post' | 'patch' | 'put' | 'delete';
  let t = http[m](x.path).set('Authorization', `Bearer ${tokenOf(ADMIN)}`);
  if (x.query) t = t.query(x.query as Record<string, string>);
  if (x.body !== undefined) t = t.set('Content-Type', 'application/json').send(JSON.stringify(x.body));
  return t;
}

const tokenOf = (user: Principal) => mintDevToken(DEV_JWT_SECRET, user);

describe.each(SERVICES)('%s', (s) => {
  let routes: Route[];
  let fields: (r: Route) => { body: string[]; query: string[] };

  beforeAll(async () => {
    routes = routesOf(p.apps[s]).filter((r) => !/^\/(health|metrics)/.test(r.path));
    fields = await fieldsOf(s);
  });

  it('answers every malformed request with a 4xx (never a 5xx) and writes nothing when it refuses', async () => {
    const failures: string[] = [];
    let sent = 0;
    for (const r of routes) {
      const before = await rowCounts(s);
      let anyOk = false;
      const f = fields(r);
      const arb = fc.record({
        params: fc.array(paramArb(), { minLength: r.params.length, maxLength: r.params.length }),
        query: fc.option(
          fc.dictionary(fc.constantFrom(...f.query, 'unknown', 'limit', 'from', 'to', 'page_size'), nastyString, { maxKeys: 3 }),
          {
            nil: undefined,
          },
        ),
        body: r.method === 'GET' || r.method === 'DELETE' ? fc.constant(undefined) : bodyArb(f.body),
      });
      await fc
        .assert(
          fc.asyncProperty(arb, async (x) => {
            let i = 0;
            const path = r.path.replace(/:([A-Za-z0-9_]+)/g, () => encode(x.params[i++]));
            const res = await send(s, r, { path, query: x.query, body: x.body });
            sent++;
            if (res.status < 300) anyOk = true;
            if (res.status >= 500) {
              failures.push(
                `${r.method} ${path} ${JSON.stringify(x.query ?? {})} ${JSON.stringify(x.body)?.slice(0, 200)} → ${res.status}`,
              );
              return false;
            }
            return true;
          }),
          { numRuns: RUNS_PER_ROUTE, endOnFailure: true },
        )
        .catch(() => undefined);
      if (r.method !== 'GET') {
        // Bodies nobody can read: the right 4xx, before authentication matters.
        const path = fillPath(r.path, () => ticketId);
        const raw = request(p.apps[s].getHttpServer());
        const m = r.method.toLowerCase() as 'post' | 'patch' | 'put' | 'delete';
        const cases: [string, string, number][] = [
          ['application/json', JSON.stringify({ content: 'x'.repeat(200_000) }), 413],
          ['application/json; charset=latin1', '{"a":"b"}', 415],
          ['application/json', '{"a": ', 400],
          ['application/json', '['.repeat(5000) + ']'.repeat(5000), 400],
          ['application/json', '{"a":'.repeat(5000) + '1' + '}'.repeat(5000), 400],
        ];
        for (const [type, body, want] of cases) {
          const res = await raw[m](path).set('Content-Type', type).send(body);
          sent++;
          if (res.status !== want) failures.push(`${r.method} ${path} (${type}, ${body.length} bytes) → ${res.status}, want ${want}`);
          if (res.status < 300) anyOk = true;
        }
      }
      if (!anyOk) {
        const after = await rowCounts(s);
        if (JSON.stringify(after) !== JSON.stringify(before)) {
          failures.push(`${r.method} ${r.path}: refused, yet rows changed ${JSON.stringify(before)} → ${JSON.stringify(after)}`);
        }
      }
    }
    expect(failures).toEqual([]);
    expect(sent).toBeGreaterThan(routes.length * RUNS_PER_ROUTE * 0.9);
  });
});

describe('strings Postgres cannot store', () => {
  it('are refused at validation, naming the field', async () => {
    for (const [bad, why] of [
      ['\u0000', 'NUL'],
      ['\uD800', 'surrogate'],
    ]) {
      const res = await p
        .as('operator', 'intake')
        .post('/tickets', newTicket({ content: `暖气不热${bad}` }))
        .expect(400);
      expect(res.body.errors).toEqual([expect.objectContaining({ field: 'content', reason: expect.stringContaining(why) })]);
      const nested = await p
        .http('intake')
        .post('/public/requests')
        .send({ content: '路灯不亮', anonymous: true, location: { address: `胜利路${bad}` } })
        .expect(400);
      expect(nested.body.errors[0].field).toBe('location.address');
    }
  });
});

describe('a database outage', () => {
  it('answers 503 with Retry-After, not 500, and recovers', async () => {
    const admin = new Client({ connectionString: p.env.DATABASE_URL.replace(/\/[^/]+$/, '/postgres') });
    const name = p.env.DATABASE_URL.split('/').pop()!;
    p.db.on('error', () => undefined);
    await admin.connect();
    try {
      // Only this test's database goes away: new connections refused, open ones terminated.
      await admin.query(`ALTER DATABASE "${name}" ALLOW_CONNECTIONS false`);
      await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [name]);
      const res = await p.as('operator', 'intake').post('/tickets', newTicket());
      expect(res.status).toBe(503);
      expect(res.headers['retry-after']).toMatch(/^\d+$/);
      expect(res.body).toMatchObject({ statusCode: 503, error: 'Service Unavailable' });
      const wall = await p.http('analytics').get('/wall?districtCode=630104');
      expect(wall.status).toBe(503);
      const open311 = await p.http('intake').get('/open311/v2/requests.json');
      expect(open311.status).toBe(503);
    } finally {
      await admin.query(`ALTER DATABASE "${name}" ALLOW_CONNECTIONS true`);
      await admin.end();
    }
    await eventually(
      () => p.as('operator', 'intake').post('/tickets', newTicket()),
      (b: { orderNo?: string }) => !!b.orderNo,
      'intake taking orders again',
    );
  });
});
