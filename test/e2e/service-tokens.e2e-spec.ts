/**
 * The front door's other side (issue 13, issue 12 §4): every service refuses every kind of bad token;
 * keys rotate without downtime; a reveal query over NATS is answered only for the verified person of
 * the token it carries; whoever the handling unit assigned may reveal; dispatch assigns only members.
 */
import 'reflect-metadata';
import { QUERY_PATTERNS, querySubject } from '@app/contracts';
import { DEV_JWT_SECRET, mintDevToken, Principal } from '@app/platform';
import { waitFor } from '@app/platform/testing';
import { randomUUID } from 'node:crypto';
import { connect } from 'nats';
import request from 'supertest';
import { DEMO_USERS } from '../../scripts/demo-users';
import { U } from './dispatch-helpers';
import { bootPlatform, consumersSettled, eventually, Platform, publishRaw, ServiceName as AnyService, submitTicket } from './platform';
import { MintOptions, newTestKey, TEST_ISSUER, testSigner } from './test-tokens';

/** The services that take the console's bearer tokens (the console itself takes sessions). */
type ServiceName = Exclude<AnyService, 'console'>;

jest.setTimeout(120_000);

/** Keys are trusted this long after a fetch: a key removed from the JWKS is refused after it. */
const JWKS_CACHE_SECONDS = 2;

let p: Platform;
beforeAll(async () => {
  const env = { AUTH_JWKS_CACHE_SECONDS: String(JWKS_CACHE_SECONDS) };
  p = await bootPlatform({
    only: ['intake', 'dispatch', 'sla', 'callback', 'analytics', 'notify'],
    extraEnv: { intake: env, dispatch: env, sla: env, callback: env, analytics: env, notify: env },
  });
});
afterAll(async () => {
  await p?.close();
});

const SERVICES: ServiceName[] = ['intake', 'dispatch', 'sla', 'callback', 'analytics', 'notify'];
/** A GET the admin may make on each service. */
const PROBE: Record<ServiceName, string> = {
  intake: '/tickets',
  dispatch: '/orders',
  sla: '/policies',
  callback: '/tasks',
  analytics: '/hotspots',
  notify: '/rules',
};
const admin = DEMO_USERS.admin;
const call = (service: ServiceName, token: string) =>
  request(p.apps[service].getHttpServer()).get(PROBE[service]).set('Authorization', `Bearer ${token}`);
const mint = (service: ServiceName, o: MintOptions = {}) => testSigner.mint(admin, service, o);
const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
const now = () => Math.floor(Date.now() / 1000);

const BAD_TOKENS: [string, (service: ServiceName) => string][] = [
  ['forged: signed by another key under the real kid', (s) => mint(s, { key: newTestKey(testSigner.current.kid) })],
  ['expired', (s) => mint(s, { issuedAt: now() - 400, lifetimeSeconds: 300 })],
  ['for another audience', (s) => mint(s, { audience: 'somebody-else' })],
  ['without aud', (s) => mint(s, { audience: null })],
  ['without iss', (s) => mint(s, { issuer: null })],
  ['without exp', (s) => mint(s, { noExp: true })],
  ['of the wrong issuer', (s) => mint(s, { issuer: 'district-630104-console' })],
  [
    'with alg none',
    (s) =>
      `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ sub: 'admin', roles: ['admin'], districts: ['*'], aud: s, iss: TEST_ISSUER, iat: now(), exp: now() + 60 })}.`,
  ],
  ['HS256 with the old development secret (dev tokens are off)', (s) => mintDevToken(DEV_JWT_SECRET, admin, '5m', TEST_ISSUER, s)],
  ['living longer than 300 s', (s) => mint(s, { lifetimeSeconds: 3600 })],
  ['of a kid the JWKS does not hold', (s) => mint(s, { key: newTestKey('kid-nobody-published') })],
  ['garbage', () => 'not-a-jwt'],
];

describe.each(SERVICES)('%s', (service) => {
  it('accepts the console’s token for it', async () => {
    await call(service, mint(service)).expect(200);
  });

  it.each(BAD_TOKENS)('refuses a token %s: 401 with the usual error body', async (_what, make) => {
    const res = await call(service, make(service)).expect(401);
    expect(res.body).toMatchObject({ statusCode: 401 });
    expect(typeof res.body.message).toBe('string');
  });

  it('refuses a token the console signed for another service', async () => {
    for (const other of SERVICES.filter((s) => s !== service)) {
      const res = await call(service, mint(other)).expect(401);
      expect(res.body.message).toContain('audience');
    }
  });
});

describe('key rotation', () => {
  it('accepts the previous key while the JWKS lists it, refuses it once removed and the cache has expired', async () => {
    const previous = testSigner.rotate();
    for (const s of SERVICES) {
      await call(s, mint(s, { key: previous })).expect(200);
      await call(s, mint(s)).expect(200); // the new kid: fetched on first sight
    }
    testSigner.retire(previous);
    const before = testSigner.fetches;
    await new Promise((resolve) => setTimeout(resolve, (JWKS_CACHE_SECONDS + 1) * 1000));
    for (const s of SERVICES) {
      const res = await call(s, mint(s, { key: previous })).expect(401);
      expect(res.body.message).toContain(previous.kid);
      await call(s, mint(s)).expect(200);
    }
    expect(testSigner.fetches).toBeGreaterThan(before);
  });
});

/** Ask intake over NATS as anyone on the bus could: Nest's request packet, on the deployment's query subject. */
async function askIntake(pattern: string, data: object): Promise<{ err?: unknown; response?: Record<string, unknown> }> {
  const nc = await connect({ servers: p.env.NATS_URL });
  try {
    const msg = await nc.request(querySubject(p.env.BUS_PREFIX, pattern), JSON.stringify({ pattern, data, id: randomUUID() }), {
      timeout: 5000,
    });
    return JSON.parse(new TextDecoder().decode(msg.data)) as { err?: unknown; response?: Record<string, unknown> };
  } finally {
    await nc.close();
  }
}

type Audit = { requestedBy: string; role: string; granted: boolean }[];
const reveals = async (ticketId: string) =>
  ((await p.as('supervisor', 'intake').get(`/tickets/${ticketId}/reveals`).expect(200)).body as Audit).map((a) => [
    a.requestedBy,
    a.role,
    a.granted,
  ]);

describe('the contact-reveal query carries the person’s token', () => {
  let ticketId: string;
  const v2 = QUERY_PATTERNS.revealCitizenContact;
  const query = (token: string, role = 'callback_agent') => ({ ticketId, token, role, purpose: '回访' });

  beforeAll(async () => {
    ticketId = (await submitTicket(p)).id;
  });

  it('refuses a hand-written role with no token, a forged token, or a token for a service that may not relay', async () => {
    // The retired v1 query, as an attacker on NATS would send it.
    const v1 = await askIntake(QUERY_PATTERNS.revealCitizenContactV1, {
      ticketId,
      requestedBy: 'cb-001',
      role: 'callback_agent',
      purpose: '回访',
    });
    expect(v1.response).toEqual({ ok: false, error: 'token_required' });
    const none = await askIntake(v2, { ticketId, role: 'callback_agent', purpose: '回访' });
    expect(none.err).toBeTruthy();
    expect(JSON.stringify(none)).not.toContain('13897001234');
    const forged = testSigner.mint(DEMO_USERS.callbackAgent, 'callback', { key: newTestKey(testSigner.current.kid) });
    expect((await askIntake(v2, query(forged))).response).toEqual({ ok: false, error: 'unauthenticated' });
    const dev = mintDevToken(DEV_JWT_SECRET, DEMO_USERS.callbackAgent, '5m', TEST_ISSUER, 'callback');
    expect((await askIntake(v2, query(dev))).response).toEqual({ ok: false, error: 'unauthenticated' });
    const forIntake = testSigner.mint(DEMO_USERS.callbackAgent, 'intake');
    expect((await askIntake(v2, query(forIntake))).response).toEqual({ ok: false, error: 'unauthenticated' });
    const expired = testSigner.mint(DEMO_USERS.callbackAgent, 'callback', { issuedAt: now() - 400 });
    expect((await askIntake(v2, query(expired))).response).toEqual({ ok: false, error: 'unauthenticated' });
    // None of them is a verified person: nothing audited.
    expect(await reveals(ticketId)).toEqual([]);
  });

  it('refuses a verified person outside their role or scope, audited as that person', async () => {
    const handlerAsAgent = testSigner.mint(DEMO_USERS.handlerStreet, 'callback');
    expect((await askIntake(v2, query(handlerAsAgent))).response).toEqual({ ok: false, error: 'forbidden' });
    const otherDistrict = testSigner.mint(DEMO_USERS.dispatcherChengbei, 'dispatch');
    expect((await askIntake(v2, query(otherDistrict, 'dispatcher'))).response).toEqual({ ok: false, error: 'forbidden' });
    expect(await reveals(ticketId)).toEqual([
      ['h-630104004', 'callback_agent', false],
      ['disp-630105', 'dispatcher', false],
    ]);
  });

  it('answers the callback agent’s token relayed by callback, and audits the verified person', async () => {
    const token = testSigner.mint(DEMO_USERS.callbackAgent, 'callback');
    expect((await askIntake(v2, query(token))).response).toEqual({ ok: true, name: '刘晓梅', phone: '13897001234' });
    expect((await reveals(ticketId)).at(-1)).toEqual(['cb-001', 'callback_agent', true]);
  });
});

describe('whoever the handling unit assigns may reveal the citizen (issue 12 §4)', () => {
  let ticketId: string;
  const inspector: Principal = {
    id: randomUUID(),
    name: '新检查员',
    roles: ['handler'],
    districts: ['630104'],
    units: [U.market],
  };
  const staffEvent = (revision: number, active: boolean) =>
    publishRaw(p.env, {
      type: 'staff.membership-changed.v1',
      district: '630104',
      ticketId: null,
      producer: 'console',
      data: {
        accountId: inspector.id,
        loginName: 'inspector-new',
        displayName: inspector.name!,
        unitId: U.market,
        roles: ['handler'],
        districts: ['630104'],
        active,
        revision: String(revision),
        changedAt: new Date().toISOString(),
      },
    });
  const assign = (assignees: string[]) => p.as('deskMarket', 'dispatch').post(`/orders/${ticketId}/assign`, { assignees });
  const reveal = (user: Principal) =>
    request(p.apps.intake.getHttpServer())
      .post(`/tickets/${ticketId}/reveal`)
      .set('Authorization', `Bearer ${testSigner.mint(user, 'intake')}`)
      .send({ purpose: '上门核查前电话联系' });

  beforeAll(async () => {
    await p
      .as('dispatcher', 'dispatch')
      .post('/routing/rules', { districtCode: '630104', categoryPrefix: 'lift', urgency: 'urgent', unitId: U.desk, priority: 200 })
      .expect(201);
    ticketId = (await submitTicket(p, { urgency: 'urgent' })).id;
    await eventually(
      () => p.as('dispatcher', 'dispatch').get(`/orders/${ticketId}`),
      (o: { state?: string; unitId?: string }) => o.state === 'dispatched' && o.unitId === U.desk,
      'the order at the resident desk',
    );
    await p.as('deskMarket', 'dispatch').post(`/orders/${ticketId}/sign`).expect(200);
  });

  it('the desk’s assigned inspector reveals once intake learns the assignment, audited', async () => {
    await reveal(DEMO_USERS.handlerMarket).expect(403);
    await assign([DEMO_USERS.handlerMarket.id]).expect(200);
    const r = await waitFor(
      async () => (await reveal(DEMO_USERS.handlerMarket)).status,
      (status) => status === 200,
      { what: 'the assigned inspector’s reveal' },
    );
    expect(r).toBe(200);
    const audit = await reveals(ticketId);
    expect(audit[0]).toEqual(['h-630104-market', 'handler', false]);
    expect(audit.at(-1)).toEqual(['h-630104-market', 'handler', true]);
    // Someone the desk did not assign, in the same bureau, still may not.
    await reveal({ ...DEMO_USERS.handlerMarket, id: 'h-630104-market-9' }).expect(403);
  });

  it('dispatch assigns only active members: a staff event makes a person assignable, disabling them refuses them', async () => {
    const refused = await assign([inspector.id]).expect(400);
    expect(refused.body.errors).toEqual([{ field: 'assignees', reason: expect.stringContaining(inspector.id) as string }]);
    await staffEvent(1, true);
    await waitFor(
      async () => (await assign([inspector.id])).status,
      (status) => status === 200,
      { what: 'the new member assignable' },
    );
    await waitFor(
      async () => (await reveal(inspector)).status,
      (status) => status === 200,
      { what: 'the new member’s reveal' },
    );
    await staffEvent(3, false);
    await waitFor(
      async () => (await assign([inspector.id, DEMO_USERS.handlerMarket.id])).status,
      (status) => status === 400,
      { what: 'the disabled member refused' },
    );
    // A late copy of an older change does not bring them back.
    await staffEvent(2, true);
    await consumersSettled(p, 'dispatch');
    expect((await p.db.query(`SELECT revision, active FROM dispatch.unit_member WHERE person_id = $1`, [inspector.id])).rows).toEqual([
      { revision: '3', active: false },
    ]);
    const late = await assign([inspector.id]).expect(400);
    expect(late.body.message).toContain(inspector.id);
    await assign([DEMO_USERS.handlerMarket.id]).expect(200);
  });
});
