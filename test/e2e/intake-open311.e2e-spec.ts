/**
 * Open311 GeoReport v2 contract: every JSON response is checked against the definitions of
 * ../shared/open311/georeport_v2-1.yaml (required properties, types, enums, formats, and no property
 * the definition does not name), every XML response for its root and item elements; errors are the
 * spec's `{code, description}` list with the spec's status codes.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { bootPlatform, eventually, Platform } from './platform';

jest.setTimeout(120_000);

interface Schema {
  type?: string;
  required?: string[];
  properties?: Record<string, Schema>;
  items?: Schema;
  enum?: unknown[];
  format?: string;
  $ref?: string;
}

/** The spec beside the repository (the source of truth) when it is there, else the committed copy. */
function openApiSpecPath(): string {
  const shared = join(__dirname, '../../../shared/open311/georeport_v2-1.yaml');
  return existsSync(shared) ? shared : join(__dirname, '../fixtures/open311/georeport_v2-1.yaml');
}

const spec = parse(readFileSync(openApiSpecPath(), 'utf8')) as {
  definitions: Record<string, Schema>;
  paths: Record<string, Record<string, { responses: Record<string, { schema?: Schema }> }>>;
};

/** Problems of `value` against a Swagger 2.0 schema (the subset the GeoReport file uses). */
function check(value: unknown, schema: Schema, at = '$'): string[] {
  if (schema.$ref) return check(value, spec.definitions[schema.$ref.replace('#/definitions/', '')], at);
  const problems: string[] = [];
  const type = schema.type ?? (schema.properties ? 'object' : undefined);
  if (type === 'array') {
    if (!Array.isArray(value)) return [`${at}: not an array`];
    value.forEach((v, i) => problems.push(...check(v, schema.items!, `${at}[${i}]`)));
    return problems;
  }
  if (type === 'object') {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return [`${at}: not an object`];
    const o = value as Record<string, unknown>;
    for (const r of schema.required ?? []) if (!(r in o)) problems.push(`${at}.${r}: required`);
    for (const [k, v] of Object.entries(o)) {
      const p = schema.properties?.[k];
      if (!p) problems.push(`${at}.${k}: not in the definition`);
      else problems.push(...check(v, p, `${at}.${k}`));
    }
    return problems;
  }
  if (type === 'string' && typeof value !== 'string') problems.push(`${at}: not a string`);
  if (type === 'number' && typeof value !== 'number') problems.push(`${at}: not a number`);
  if (type === 'integer' && !Number.isInteger(value)) problems.push(`${at}: not an integer`);
  if (type === 'boolean' && typeof value !== 'boolean') problems.push(`${at}: not a boolean`);
  if (schema.enum && !schema.enum.includes(value)) problems.push(`${at}: ${String(value)} not in ${schema.enum.join('|')}`);
  if (
    schema.format === 'date-time' &&
    (typeof value !== 'string' || Number.isNaN(Date.parse(value)) || !/T.*(Z|[+-]\d\d:?\d\d)$/.test(value))
  ) {
    problems.push(`${at}: not a date-time`);
  }
  return problems;
}

const schemaOf = (path: string, method = 'get', status = '200') => spec.paths[path][method].responses[status].schema!;
const errorsSchema: Schema = {
  type: 'array',
  items: { type: 'object', required: ['code', 'description'], properties: { code: { type: 'integer' }, description: { type: 'string' } } },
};

let p: Platform;
const KEY = 'test-client-key-0123456789';

beforeAll(async () => {
  p = await bootPlatform({ extraEnv: { intake: { OPEN311_API_KEYS: `citizen-app:${KEY}`, PUBLIC_RATE_LIMIT_PER_MINUTE: '1000' } } });
});

afterAll(async () => {
  await p?.close();
});

const http = () => p.http('intake');
const V2 = '/open311/v2';

function post(fmt: 'json' | 'xml', form: Record<string, string>) {
  return http().post(`${V2}/requests.${fmt}`).type('form').send(form);
}

describe('discovery and services', () => {
  it('serves discovery in both formats', async () => {
    const json = await http().get(`${V2}/discovery.json`).expect(200).expect('Content-Type', /json/);
    expect(json.body.endpoints[0]).toMatchObject({
      specification: 'http://wiki.open311.org/GeoReport_v2',
      formats: ['text/xml', 'application/json'],
    });
    const xml = await http().get(`${V2}/discovery.xml`).expect(200).expect('Content-Type', /xml/);
    expect(xml.text).toMatch(/^<\?xml version="1.0" encoding="utf-8"\?><discovery>.*<endpoints><endpoint>.*<format>text\/xml<\/format>/);
  });

  it('lists the taxonomy as services, each one valid against Service', async () => {
    const res = await http().get(`${V2}/services.json?jurisdiction_id=630100`).expect(200);
    expect(check(res.body, schemaOf('/services.{response_format}'))).toEqual([]);
    const codes = (res.body as { service_code: string }[]).map((s) => s.service_code);
    expect(codes).toEqual(expect.arrayContaining(['heating', 'heating.fee.refund', 'lift', 'street_light']));
    const xml = await http().get(`${V2}/services.xml`).expect(200);
    expect(xml.text).toMatch(/<services><service><service_code>[a-z_.]+<\/service_code><service_name>/);
  });

  it('gives a service definition, and 404 for an unknown service or jurisdiction', async () => {
    const res = await http().get(`${V2}/services/heating.fee.refund.json`).expect(200);
    expect(check(res.body, schemaOf('/services/{service_code}.{response_format}'))).toEqual([]);
    expect(res.body).toEqual({ service_code: 'heating.fee.refund', attributes: [] });
    const missing = await http().get(`${V2}/services/no_such.json`).expect(404);
    expect(check(missing.body, errorsSchema)).toEqual([]);
    expect(missing.body[0]).toMatchObject({ code: 404 });
    const other = await http().get(`${V2}/services.xml?jurisdiction_id=beijing`).expect(404);
    expect(other.text).toMatch(/<errors><error><code>404<\/code><description>jurisdiction_id beijing not found/);
  });
});

describe('submitting and reading requests', () => {
  let id: string;
  let token: string;

  it('creates a request with an api_key (form-encoded), answering RequestResponse', async () => {
    const res = await post('json', {
      api_key: KEY,
      jurisdiction_id: '630100',
      service_code: 'street_light',
      address_string: '西宁市城西区胜利路88号',
      description: '胜利路88号门口的路灯不亮已经一周了',
      phone: '13800001111',
      first_name: '小明',
      last_name: '王',
      'attribute[WHEN]': 'night',
    }).expect(201);
    expect(check(res.body, schemaOf('/requests.{response_format}', 'post'))).toEqual([]);
    [{ service_request_id: id, token }] = res.body as { service_request_id: string; token: string }[];
    expect(id).toMatch(/^\d{8}-\d{6}$/);
    expect(JSON.stringify(res.body)).not.toContain('13800001111');
  });

  it('reads one request under both paths, valid against Request, without personal data or description', async () => {
    const single = await http().get(`${V2}/request/${id}.json`).expect(200);
    expect(check(single.body, schemaOf('/request/{service_request_id}.{response_format}'))).toEqual([]);
    expect(single.body).toMatchObject({
      service_request_id: id,
      status: 'open',
      service_code: 'street_light',
    });
    // Placed at street level, as the public wall places it: never the citizen's free-text address.
    expect(single.body.address).toMatch(/城西区/);
    const text = JSON.stringify(single.body);
    for (const secret of ['13800001111', '王小明', '一周', '88号']) expect(text).not.toContain(secret);
    const list = await http().get(`${V2}/requests/${id}.json`).expect(200);
    expect(check(list.body, { type: 'array', items: { $ref: '#/definitions/Request' } })).toEqual([]);
    const xml = await http().get(`${V2}/requests/${id}.xml`).expect(200).expect('Content-Type', /xml/);
    expect(xml.text).toContain(`<service_requests><request><service_request_id>${id}</service_request_id><status>open</status>`);
    await http().get(`${V2}/request/20000101-000001.json`).expect(404);
  });

  it('resolves the token to the request id', async () => {
    const res = await http().get(`${V2}/tokens/${token}.json`).expect(200);
    expect(check(res.body, schemaOf('/tokens/{token_id}.{response_format}'))).toEqual([]);
    expect(res.body).toEqual({ service_request_id: id, token });
    await http().get(`${V2}/tokens/not-a-token.json`).expect(404);
  });

  it('lists requests with filters, the default window and pages', async () => {
    for (let i = 0; i < 3; i++) {
      await post('xml', {
        api_key: KEY,
        service_code: 'garbage',
        lat: '36.62',
        long: '101.77',
        description: `垃圾桶满了没人清运 ${i}`,
      }).expect(201);
    }
    const all = await http().get(`${V2}/requests.json`).expect(200);
    expect(check(all.body, schemaOf('/requests.{response_format}'))).toEqual([]);
    expect((all.body as unknown[]).length).toBe(4);
    const garbage = (await http().get(`${V2}/requests.json?service_code=garbage&status=open`).expect(200)).body as {
      service_code: string;
      lat: number;
    }[];
    expect(garbage).toHaveLength(3);
    expect(garbage[0]).toMatchObject({ service_code: 'garbage', lat: 36.62 });
    const page2 = (await http().get(`${V2}/requests.json?page=2&page_size=3`).expect(200)).body as unknown[];
    expect(page2).toHaveLength(1);
    const byId = (await http().get(`${V2}/requests.json?service_request_id=${id}&service_code=garbage`).expect(200)).body as {
      service_request_id: string;
    }[];
    expect(byId.map((r) => r.service_request_id)).toEqual([id]);
    const old = (await http().get(`${V2}/requests.json?start_date=2020-01-01T00:00:00Z&end_date=2020-02-01T00:00:00Z`).expect(200))
      .body as unknown[];
    expect(old).toEqual([]);
    const tooLong = await http().get(`${V2}/requests.json?start_date=2020-01-01T00:00:00Z&end_date=2020-06-01T00:00:00Z`).expect(400);
    expect(tooLong.body[0].description).toContain('31 days');
    const xml = await http().get(`${V2}/requests.xml?status=open`).expect(200);
    expect((xml.text.match(/<request>/g) ?? []).length).toBe(4);
  });

  it('shows the responsible unit learnt from dispatch’s events', async () => {
    await eventually<{ agency_responsible?: string }>(
      () => http().get(`${V2}/request/${id}.json`),
      (r) => !!r.agency_responsible,
      'the responsible unit in Open311',
    );
  });
});

describe('errors as the spec defines them', () => {
  it('403 for a missing or bad api_key, in the format asked for; nothing stored', async () => {
    const before = ((await http().get(`${V2}/requests.json`).expect(200)).body as unknown[]).length;
    const none = await post('json', { service_code: 'garbage', address_string: '城西区', description: '垃圾' }).expect(403);
    expect(check(none.body, errorsSchema)).toEqual([]);
    expect(none.body[0]).toEqual({ code: 403, description: 'api_key is required to submit a request' });
    const bad = await post('xml', {
      api_key: 'wrong-key-000000000000',
      service_code: 'garbage',
      address_string: '城西区',
      description: '垃圾',
    }).expect(403);
    expect(bad.text).toContain('<errors><error><code>403</code>');
    expect(((await http().get(`${V2}/requests.json`).expect(200)).body as unknown[]).length).toBe(before);
  });

  it('400 for missing or invalid arguments, naming them', async () => {
    const noLocation = await post('json', { api_key: KEY, service_code: 'garbage', description: '垃圾' }).expect(400);
    expect(noLocation.body[0].description).toContain('exactly one location');
    const two = await post('json', {
      api_key: KEY,
      service_code: 'garbage',
      description: '垃圾',
      address_string: 'x',
      lat: '36.6',
      long: '101.7',
    }).expect(400);
    expect(two.body[0].code).toBe(400);
    const fields = await post('json', {
      api_key: KEY,
      service_code: 'garbage',
      address_string: '城西区',
      lat: 'north',
      phone: '123',
    }).expect(400);
    expect(check(fields.body, errorsSchema)).toEqual([]);
    const described = (fields.body as { description: string }[]).map((e) => e.description.split(':')[0]);
    expect(described).toEqual(expect.arrayContaining(['description', 'lat', 'phone']));
    const unknown = await post('json', { api_key: KEY, service_code: 'no_such', address_string: '城西区', description: '垃圾' }).expect(
      400,
    );
    expect(unknown.body[0].description).toContain('service_code no_such');
    const long = await post('json', {
      api_key: KEY,
      service_code: 'garbage',
      address_string: '城西区',
      description: '垃'.repeat(4001),
    }).expect(400);
    expect(long.body[0].description).toBe('description is 4001 characters; the limit is 4000');
    await http().get(`${V2}/requests.json?status=pending`).expect(400);
    await http().get(`${V2}/requests.csv`).expect(404);
  });
});

describe('api keys an administrator issues and revokes (records, beside the OPEN311_API_KEYS bootstrap)', () => {
  const form = (apiKey: string) => ({
    api_key: apiKey,
    service_code: 'garbage',
    address_string: '城西区胜利路',
    description: '垃圾没人清运',
  });

  it('issues a key shown once and stored hashed, accepts it, refuses it once revoked; only admins manage keys', async () => {
    const admin = () => p.as('admin', 'intake');
    const issued = (await admin().post('/admin/open311-keys', { clientName: 'street-app' }).expect(201)).body as {
      id: string;
      apiKey: string;
      keyPrefix: string;
    };
    expect(issued.apiKey).toMatch(/^o311_[A-Za-z0-9_-]{43}$/);
    expect(issued.apiKey.startsWith(issued.keyPrefix)).toBe(true);
    const stored = await p.db.query<{ key_hash: string }>('SELECT key_hash FROM intake.open311_api_key WHERE id = $1', [issued.id]);
    expect(stored.rows[0].key_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(stored.rows)).not.toContain(issued.apiKey);
    const list = (await admin().get('/admin/open311-keys').expect(200)).body as {
      keys: { id: string }[];
      bootstrap: { clientName: string }[];
    };
    expect(JSON.stringify(list)).not.toContain(issued.apiKey);
    expect(list.bootstrap).toEqual([{ clientName: 'citizen-app' }]);
    await post('json', form(issued.apiKey)).expect(201);
    await post('json', form(KEY)).expect(201); // the bootstrap key still works
    await admin().post(`/admin/open311-keys/${issued.id}/revoke`).expect(200);
    const refused = await post('json', form(issued.apiKey)).expect(403);
    expect(refused.body[0].description).toBe('api_key is not valid');
    await p.as('supervisor', 'intake').post('/admin/open311-keys', { clientName: 'x-app' }).expect(403);
    await admin().post('/admin/open311-keys', { clientName: '' }).expect(400);
    await admin().post(`/admin/open311-keys/00000000-0000-4000-8000-000000000000/revoke`).expect(404);
  });
});
