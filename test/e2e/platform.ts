/**
 * Boots the five real services (and, when asked, notify) in this process, each a full Nest app on the real Postgres (a fresh
 * database cloned from the migrated template) and the real NATS (a stream and subject prefix of
 * its own). Tests drive them over HTTP with supertest. sla runs on a ManualClock so tests move time.
 */
import { INestApplication, Type } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { BUS_OPTIONS, BusOptions, CLOCK, configureServiceApp, loadConfig, Principal, ServiceConfig } from '@app/platform';
import { createTestDatabase, ManualClock, TEST_NATS_URL, testBus, waitFor } from '@app/platform/testing';
import { EventEnvelope, EventType, subjectFor, versionOf } from '@app/contracts';
import { randomBytes, randomUUID } from 'node:crypto';
import { connect } from 'nats';
import { Pool } from 'pg';
import request from 'supertest';
import { AnalyticsConfig } from '../../apps/analytics/src/analytics.config';
import { AnalyticsModule } from '../../apps/analytics/src/analytics.module';
import { READ_MODEL_TABLES } from '../../apps/analytics/src/replay/replay';
import { CallbackConfig } from '../../apps/callback/src/callback.config';
import { CallbackModule } from '../../apps/callback/src/callback.module';
import { DispatchConfig } from '../../apps/dispatch/src/dispatch.config';
import { DispatchModule } from '../../apps/dispatch/src/dispatch.module';
import { IntakeConfig } from '../../apps/intake/src/intake.config';
import { IntakeModule } from '../../apps/intake/src/intake.module';
import { SlaConfig } from '../../apps/sla/src/sla.config';
import { SlaModule } from '../../apps/sla/src/sla.module';
import { NotifyConfig } from '../../apps/notify/src/notify.config';
import { NotifyModule } from '../../apps/notify/src/notify.module';
import { ConsoleConfig } from '../../apps/console/src/console.config';
import { ConsoleModule } from '../../apps/console/src/console.module';
import { DEMO_USERS } from '../../scripts/demo-users';
import { TEST_ISSUER, testSigner } from './test-tokens';

export type ServiceName = 'intake' | 'dispatch' | 'sla' | 'callback' | 'analytics' | 'notify' | 'console';

/** What bootPlatform starts unless `only` says otherwise: notify only when a suite asks for it. */
const DEFAULT_SERVICES: ServiceName[] = ['intake', 'dispatch', 'sla', 'callback', 'analytics'];

export interface Platform {
  apps: Record<ServiceName, INestApplication>;
  /** supertest agent bound to a service and a demo user's token. */
  as(user: keyof typeof DEMO_USERS, service: ServiceName): Agent;
  http(service: ServiceName): ReturnType<typeof request>;
  /** The ManualClock of sla and notify (and of every service with allOnManualClock). */
  slaClock: ManualClock;
  env: Record<string, string>;
  /** The platform's database (every service's schema), for looking behind the APIs; closed by close(). */
  db: Pool;
  close(): Promise<void>;
}

export interface Agent {
  get(path: string): request.Test;
  post(path: string, body?: object): request.Test;
  patch(path: string, body?: object): request.Test;
  put(path: string, body?: object): request.Test;
  delete(path: string): request.Test;
}

/**
 * A supertest agent for any principal (a demo user or one minted in the test) against one app, with
 * a fresh console-shaped token per request (ES256, aud = the app's service, 300 s; see test-tokens.ts).
 */
export function agentFor(app: INestApplication, user: Principal): Agent {
  const service = app.get<BusOptions>(BUS_OPTIONS).service;
  const auth = () => `Bearer ${testSigner.mint(user, service)}`;
  const server = () => request(app.getHttpServer());
  return {
    get: (path) => server().get(path).set('Authorization', auth()),
    post: (path, body) =>
      server()
        .post(path)
        .set('Authorization', auth())
        .send(body ?? {}),
    patch: (path, body) =>
      server()
        .patch(path)
        .set('Authorization', auth())
        .send(body ?? {}),
    put: (path, body) =>
      server()
        .put(path)
        .set('Authorization', auth())
        .send(body ?? {}),
    delete: (path) => server().delete(path).set('Authorization', auth()),
  };
}

export interface BootOptions {
  /** Where the ManualClock starts (default: now). */
  start?: Date;
  /** Put every service on the ManualClock, not only sla (order numbers, dispatch times, callbacks). */
  allOnManualClock?: boolean;
  only?: ServiceName[];
  extraEnv?: Partial<Record<ServiceName, Record<string, string>>>;
  /** The NATS every service uses (default: the shared server on 127.0.0.1:4222), e.g. a test's own hub. */
  natsUrl?: string;
  /** Who the suite itself connects to that NATS as (cleanup, raw publishes), when it requires authentication. */
  natsAdmin?: { user: string; pass: string };
}

export async function bootPlatform(opts: BootOptions = {}): Promise<Platform> {
  const template = process.env.JIESU_E2E_TEMPLATE;
  if (!template) throw new Error('run the e2e suite with jest.e2e.config.js (its global setup builds the template database)');
  const db = await createTestDatabase(template);
  const bus = testBus();
  const jwksUrl = await testSigner.start();
  const env: Record<string, string> = {
    NODE_ENV: 'test',
    DATABASE_URL: db.url,
    DB_POOL_SIZE: '4',
    NATS_URL: opts.natsUrl ?? TEST_NATS_URL,
    ...bus,
    LOG_LEVEL: 'warn',
    SWAGGER: 'true',
    BUS_SWEEP_MS: '250',
    BUS_BACKOFF_BASE_MS: '100',
    BUS_ACK_WAIT_SECONDS: '10',
    SLA_TICK_MS: '0',
    SUPERVISION_CLOSED_DETAILS: 'true',
    CALLBACK_TICK_MS: '0',
    NOTIFY_TICK_MS: '0',
    PII_KEYS: `k1:${randomBytes(32).toString('base64')}`,
    PII_HASH_KEY: randomBytes(32).toString('base64'),
    // The production shape: the console's public keys, its issuer, each service its own audience.
    AUTH_JWKS_URL: jwksUrl,
    AUTH_ISSUER: TEST_ISSUER,
  };
  const slaClock = new ManualClock(opts.start ?? new Date());
  const specs: Record<ServiceName, [Type<ServiceConfig>, (c: never) => import('@nestjs/common').DynamicModule]> = {
    intake: [IntakeConfig, (c: IntakeConfig) => IntakeModule.forRoot(c)] as never,
    dispatch: [DispatchConfig, (c: DispatchConfig) => DispatchModule.forRoot(c)] as never,
    sla: [SlaConfig, (c: SlaConfig) => SlaModule.forRoot(c)] as never,
    callback: [CallbackConfig, (c: CallbackConfig) => CallbackModule.forRoot(c)] as never,
    analytics: [AnalyticsConfig, (c: AnalyticsConfig) => AnalyticsModule.forRoot(c)] as never,
    notify: [NotifyConfig, (c: NotifyConfig) => NotifyModule.forRoot(c)] as never,
    console: [ConsoleConfig, (c: ConsoleConfig) => ConsoleModule.forRoot(c)] as never,
  };
  const apps = {} as Record<ServiceName, INestApplication>;
  const names = opts.only ?? DEFAULT_SERVICES;
  // With the console (booted last): the services listen on loopback, since it calls them over HTTP
  // (dispatch's units), and it signs with the test signer's key, whose JWKS the services read.
  const withConsole = names.includes('console');
  const urls: Partial<Record<ServiceName, string>> = {};
  const consoleEnv = (): Record<string, string> => ({
    CONSOLE_ISSUER: TEST_ISSUER,
    CONSOLE_SIGNING_KEYS: JSON.stringify([{ kid: testSigner.current.kid, ...testSigner.current.privateKey.export({ format: 'jwk' }) }]),
    CONSOLE_WEB_DIR: '/nonexistent',
    ...Object.fromEntries(Object.entries(urls).map(([s, u]) => [`${s.toUpperCase()}_URL`, u])),
  });
  try {
    for (const name of names) {
      const [cls, module] = specs[name];
      const config = loadConfig(cls, { ...env, ...(name === 'console' ? consoleEnv() : {}), ...(opts.extraEnv?.[name] ?? {}) });
      let builder = Test.createTestingModule({ imports: [module(config as never)] });
      if (name === 'sla' || name === 'notify' || opts.allOnManualClock) builder = builder.overrideProvider(CLOCK).useValue(slaClock);
      const ref = await builder.compile();
      const app = ref.createNestApplication({ logger: ['error', 'warn'] });
      configureServiceApp(app, config, { service: name, title: name, description: name, queries: name === 'intake' || name === 'console' });
      await app.startAllMicroservices();
      if (withConsole) {
        await app.listen(0, '127.0.0.1');
        urls[name] = await app.getUrl();
      } else await app.init();
      apps[name] = app;
    }
  } catch (e) {
    await Promise.allSettled(Object.values(apps).map((a) => a.close()));
    await db.drop();
    await testSigner.stop();
    throw e;
  }
  const pool = new Pool({ connectionString: db.url, max: 2 });
  return {
    apps,
    env,
    db: pool,
    slaClock,
    http: (service) => request(apps[service].getHttpServer()),
    as: (user, service) => agentFor(apps[service], DEMO_USERS[user]),
    close: async () => {
      for (const name of [...names].reverse()) await apps[name].close().catch(() => undefined);
      const nc = await connect({ servers: env.NATS_URL, ...opts.natsAdmin });
      const jsm = await nc.jetstreamManager();
      await jsm.streams.delete(bus.BUS_STREAM).catch(() => undefined);
      await nc.close();
      await pool.end();
      await db.drop();
      await testSigner.stop();
    },
  };
}

/**
 * Make a test's own people active members of their first unit in dispatch, as the console's staff
 * events would (the demo people are seeded so already): a unit may assign orders only to members.
 */
export async function addMembers(p: Platform, people: Principal[]): Promise<void> {
  for (const u of people) {
    await p.db.query(
      `INSERT INTO dispatch.unit_member (person_id, login_name, display_name, unit_id, roles, districts, active, revision, changed_at)
       VALUES ($1, $1, $2, $3, $4, $5, true, 0, now()) ON CONFLICT (person_id) DO NOTHING`,
      [u.id, u.name ?? u.id, u.units[0], u.roles, u.districts],
    );
  }
}

/** Poll a GET until `done` accepts its body. */
export function eventually<T = Record<string, unknown>>(
  probe: () => request.Test,
  done: (body: T) => boolean,
  what: string,
  timeoutMs = 20_000,
): Promise<T> {
  return waitFor(
    async () => {
      const res = await probe();
      return res.body as T;
    },
    done,
    { what, timeoutMs },
  );
}

/**
 * Analytics' answer to `probe` once `done` accepts it AND analytics has applied everything it was
 * sent: each event type is its own consumer, and a batch that is not full lingers up to
 * BUS_BATCH_LINGER_MS (1 s), so the type `done` waits for may be applied before an earlier event of
 * another type. For assertions on more than `done` looks at.
 */
export async function settled<T = Record<string, unknown>>(
  p: Platform,
  probe: () => request.Test,
  done: (body: T) => boolean,
  what: string,
): Promise<T> {
  await eventually(probe, done, what);
  await consumersSettled(p, 'analytics');
  return (await probe().expect(200)).body as T;
}

export interface RawEvent {
  type: EventType;
  district: string;
  ticketId: string | null;
  data: object;
  /** Default: now. */
  occurredAt?: Date;
  /** Default: intake. */
  producer?: string;
}

/**
 * Publish an event straight to the platform's JetStream, as its producer would: for what no service
 * publishes yet, a late or repeated copy, or a producer the suite does not boot. Returns the event id.
 */
export async function publishRaw(env: Record<string, string>, e: RawEvent): Promise<string> {
  // Built by hand: its data is whatever the test hands in (the consumers validate it).
  const envelope: Omit<EventEnvelope, 'data' | 'ticketId'> & { ticketId: string | null; data: object } = {
    id: randomUUID(),
    type: e.type,
    version: versionOf(e.type),
    occurredAt: (e.occurredAt ?? new Date()).toISOString(),
    district: e.district,
    ticketId: e.ticketId,
    producer: e.producer ?? 'intake',
    data: e.data,
  };
  const nc = await connect({ servers: env.NATS_URL });
  try {
    await nc.jetstream().publish(subjectFor(env.BUS_PREFIX, e.district, e.type), JSON.stringify(envelope));
  } finally {
    await nc.close();
  }
  return envelope.id;
}

/**
 * Wait until none of a service's consumers has anything pending or unacknowledged, at two looks in a
 * row half a second apart: what it has been sent so far is applied (before comparing a replay, say).
 */
export async function consumersSettled(p: Platform, service: ServiceName): Promise<void> {
  const nc = await connect({ servers: p.env.NATS_URL });
  try {
    const jsm = await nc.jetstreamManager();
    let quiet = 0;
    await waitFor(
      async () => {
        const busy: string[] = [];
        for await (const c of jsm.consumers.list(p.env.BUS_STREAM)) {
          if (c.name.startsWith(`${service}__`) && c.num_pending + c.num_ack_pending > 0) {
            busy.push(`${c.name}:${c.num_pending}/${c.num_ack_pending}`);
          }
        }
        return busy;
      },
      (busy) => (quiet = busy.length ? 0 : quiet + 1) >= 2,
      { what: `${service}'s consumers to settle (busy: name:pending/unacked)`, timeoutMs: 30_000, intervalMs: 500 },
    );
  } finally {
    await nc.close();
  }
}

const READ_MODEL_ORDER: Record<(typeof READ_MODEL_TABLES)[number], string> = {
  ticket_fact: 'ticket_id',
  callback_fact: 'task_id',
  event_daily: 'day, district_code, type',
  rate_daily: 'dimension, day, district_code, dim_key',
  unit_name: 'unit_id',
};

/** Every row of analytics' read model (the tables a replay empties and rebuilds), in a stable order. */
export async function analyticsReadModel(p: Platform): Promise<Record<string, unknown[]>> {
  const model: Record<string, unknown[]> = {};
  for (const table of READ_MODEL_TABLES) {
    model[table] = (await p.db.query(`SELECT * FROM analytics.${table} ORDER BY ${READ_MODEL_ORDER[table]}`)).rows as unknown[];
  }
  return model;
}

// The steps of an order's life that suites take to get to what they test.

/** A ticket as the operator takes it on the 12345 line: a lift complaint in Chengxi; `over` replaces top-level fields. */
export function newTicket(over: object = {}): object {
  return {
    channel: 'phone_12345',
    requestType: 'complaint',
    categoryCode: 'lift',
    content: '电梯经常停运',
    citizen: { name: '刘晓梅', phone: '13897001234' },
    location: { address: '西宁市城西区胜利路12号', districtCode: '630104' },
    ...over,
  };
}

/** The operator records newTicket(over); returns the ticket's id and order number. */
export async function submitTicket(p: Platform, over: object = {}): Promise<{ id: string; orderNo: string }> {
  const res = await p.as('operator', 'intake').post('/tickets', newTicket(over)).expect(201);
  return res.body as { id: string; orderNo: string };
}

/**
 * A unit handles an order up to the dispatcher's approval: signs for it and contacts the citizen
 * (unless `sign` is false: a reopened order is signed already), replies, and the dispatcher approves.
 */
export async function handleAndApprove(
  p: Platform,
  user: keyof typeof DEMO_USERS,
  ticketId: string,
  replyText: string,
  { sign = true } = {},
): Promise<void> {
  const unit = p.as(user, 'dispatch');
  if (sign) {
    await unit.post(`/orders/${ticketId}/sign`).expect(200);
    await unit.post(`/orders/${ticketId}/contact`, { method: 'phone', note: '已电话联系诉求人' }).expect(200);
  }
  await unit.post(`/orders/${ticketId}/reply`, { outcome: 'resolved', replyText }).expect(200);
  await p.as('dispatcher', 'dispatch').post(`/orders/${ticketId}/review`, { decision: 'approved' }).expect(200);
}

/** Wait for the order's callback task of `cycle` to be its one pending task. */
export async function pendingCallbackTask(p: Platform, ticketId: string, cycle: number): Promise<{ id: string; cycle: number }> {
  const [task] = await eventually<{ id: string; cycle: number }[]>(
    () => p.as('callbackAgent', 'callback').get(`/tasks?ticketId=${ticketId}&state=pending`),
    (b) => b.length === 1 && b[0].cycle === cycle,
    `a callback task for cycle ${cycle}`,
  );
  return task;
}

/** The callback agent claims the order's pending task of `cycle` and records the citizen's answers. */
export async function callBack(
  p: Platform,
  ticketId: string,
  cycle: number,
  answers: { resolved: boolean; satisfaction: string },
): Promise<void> {
  const task = await pendingCallbackTask(p, ticketId, cycle);
  await p.as('callbackAgent', 'callback').post(`/tasks/${task.id}/claim`).expect(200);
  await p
    .as('callbackAgent', 'callback')
    .post(`/tasks/${task.id}/complete`, { contacted: true, ...answers })
    .expect(200);
}
