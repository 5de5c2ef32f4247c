/**
 * The endpoint × role × district matrix, generated from the route metadata of every booted service:
 * every route is public or declares its roles; without a token a route answers 401, and with the
 * token of each role it does not allow, 403; a district-scoped administrator is refused every change
 * to what holds city-wide; dead letters are shown by district.
 */
import { Principal, ROLES, Role } from '@app/platform';
import { randomUUID } from 'node:crypto';
import { connect } from 'nats';
import request from 'supertest';
import { agentFor, bootPlatform, eventually, Platform, ServiceName } from './platform';
import { fillPath, Route, routesOf } from './routes';

jest.setTimeout(180_000);

const SERVICES: ServiceName[] = ['intake', 'dispatch', 'sla', 'callback', 'analytics'];
let p: Platform;
const routes: [ServiceName, Route][] = [];

beforeAll(async () => {
  p = await bootPlatform();
  for (const s of SERVICES) for (const r of routesOf(p.apps[s])) routes.push([s, r]);
});

afterAll(async () => {
  await p?.close();
});

const principal = (roles: Role[], districts: string[] = ['*']): Principal => ({ id: `m-${roles.join('-')}`, roles, districts, units: [] });
const label = ([s, r]: [ServiceName, Route]) => `${s} ${r.method} ${r.path}`;
const pathOf = (r: Route) => fillPath(r.path, () => randomUUID());

function call(s: ServiceName, r: Route, user?: Principal): request.Test {
  if (user) {
    const a = agentFor(p.apps[s], user);
    const path = pathOf(r);
    if (r.method === 'GET') return a.get(path);
    if (r.method === 'DELETE') return a.delete(path);
    if (r.method === 'PATCH') return a.patch(path, {});
    if (r.method === 'PUT') return a.put(path, {});
    return a.post(path, {});
  }
  const http = request(p.apps[s].getHttpServer());
  const path = pathOf(r);
  const m = r.method.toLowerCase() as 'get' | 'post' | 'patch' | 'put' | 'delete';
  return m === 'get' || m === 'delete' ? http[m](path) : http[m](path).send({});
}

it('finds the routes of every service', () => {
  for (const s of SERVICES) expect(routes.filter(([x]) => x === s).length).toBeGreaterThan(2);
});

it('has no route without a roles decorator or an explicit public marker', () => {
  const undeclared = routes.filter(([, r]) => !r.isPublic && !r.roles?.length).map(label);
  expect(undeclared).toEqual([]);
});

it('answers 401 without a token on every non-public route', async () => {
  const wrong: string[] = [];
  for (const entry of routes.filter(([, r]) => !r.isPublic)) {
    const res = await call(entry[0], entry[1]);
    if (res.status !== 401) wrong.push(`${label(entry)} → ${res.status}`);
  }
  expect(wrong).toEqual([]);
});

it('answers 403 to every role a route does not allow', async () => {
  const wrong: string[] = [];
  let checked = 0;
  for (const entry of routes.filter(([, r]) => !r.isPublic && r.roles?.length)) {
    const [s, r] = entry;
    for (const role of ROLES.filter((x) => x !== 'admin' && !r.roles!.includes(x))) {
      const res = await call(s, r, principal([role]));
      checked++;
      if (res.status !== 403) wrong.push(`${label(entry)} as ${role} → ${res.status}`);
    }
  }
  expect(wrong).toEqual([]);
  expect(checked).toBeGreaterThan(100);
});

describe('city-wide changes', () => {
  const districtAdmin = principal(['admin'], ['630104']);
  const changes = () => routes.filter(([, r]) => r.cityWide && r.method !== 'GET');

  it('mark the SLA policies, the calendar, the taxonomy, the knowledge base and the tick city-wide', () => {
    const controllers = new Set(changes().map(([s, r]) => `${s}:${r.controller}`));
    for (const c of ['sla:PoliciesController', 'sla:CalendarController', 'intake:TaxonomyController', 'intake:KnowledgeController']) {
      expect(controllers).toContain(c);
    }
    expect(changes().map(label)).toContain('sla POST /admin/tick');
  });

  it('are refused to a district-scoped administrator, whatever the body', async () => {
    const wrong: string[] = [];
    for (const entry of changes()) {
      const res = await call(entry[0], entry[1], districtAdmin);
      if (res.status !== 403 || !String(res.body.message).includes('city scope')) wrong.push(`${label(entry)} → ${res.status}`);
    }
    expect(wrong).toEqual([]);
  });

  it('still let a district-scoped administrator read them, and a city administrator change them', async () => {
    await agentFor(p.apps.sla, districtAdmin).get('/policies').expect(200);
    await agentFor(p.apps.intake, districtAdmin)
      .get(`/kb/articles?q=${encodeURIComponent('供暖')}`)
      .expect(200);
    // A city administrator passes the scope check (and meets validation instead).
    await agentFor(p.apps.sla, principal(['admin']))
      .post('/policies', {})
      .expect(400);
  });
});

describe('dead letters', () => {
  it('are shown to a district-scoped administrator only for their districts', async () => {
    const nc = await connect({ servers: p.env.NATS_URL });
    const js = nc.jetstream();
    await js.publish(`${p.env.BUS_PREFIX}.630104.ticket.accepted.v1`, '{not json 630104');
    await js.publish(`${p.env.BUS_PREFIX}.630102.ticket.accepted.v1`, '{not json 630102');
    await nc.close();
    const city = await eventually<{ subject: string }[]>(
      () => p.as('admin', 'dispatch').get('/admin/dead-letters'),
      (l) => l.length >= 2,
      'two dead letters in dispatch',
    );
    expect(city.map((l) => l.subject.split('.')[1]).sort()).toEqual(['630102', '630104']);
    const chengxi = (
      await agentFor(p.apps.dispatch, principal(['admin'], ['630104']))
        .get('/admin/dead-letters')
        .expect(200)
    ).body as {
      id: string;
      subject: string;
    }[];
    expect(chengxi.map((l) => l.subject.split('.')[1])).toEqual(['630104']);
    const other = city.find((l) => l.subject.includes('.630102.')) as unknown as { id: string };
    await agentFor(p.apps.dispatch, principal(['admin'], ['630104']))
      .post(`/admin/dead-letters/${other.id}/replay`)
      .expect(404);
  });
});
