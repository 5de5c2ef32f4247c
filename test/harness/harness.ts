import { connect } from 'nats';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { generateSigningJwk } from '../../apps/console/src/keys/signing-keys';
import {
  createTestDatabase,
  databaseUrl,
  dropDatabase,
  TEST_NATS_URL,
  TEST_PG_ADMIN_URL,
  testBus,
} from '../../libs/platform/src/testing/test-database';
import { migrateAll } from '../../scripts/migrate';
import { DEMO_PASSWORD, demoLoginName, seedConsoleDemo } from '../../scripts/seed-console-demo';
import { seedDemo } from '../../scripts/seed-demo';
import { APP_NAMES, AppName, AppProcess, assertBuildFresh, freePort } from './apps';

export { DEMO_PASSWORD, demoLoginName };

export interface HarnessOptions {
  /** Extra variables for every app, or per app (e.g. `{ console: { OIDC_ISSUER_URL: ... } }`). */
  env?: Record<string, string>;
  appEnv?: Partial<Record<AppName, Record<string, string>>>;
  /** Variables that depend on where the apps listen (e.g. the console's OIDC_REDIRECT_URL). */
  envFor?: (urls: Record<AppName, string>) => Record<string, string>;
  /** A migrated + seeded database to clone (default: JIESU_HARNESS_TEMPLATE, else one made for this harness). */
  template?: string;
  /** Milliseconds to wait for each app's /health/ready. */
  readyTimeoutMs?: number;
}

export interface Harness {
  /** Where each app listens (http://127.0.0.1:<port>). */
  urls: Record<AppName, string>;
  /** The console's origin: what a browser (or a test client) talks to. */
  consoleUrl: string;
  database: { name: string; url: string };
  bus: { BUS_PREFIX: string; BUS_STREAM: string; NATS_URL: string };
  /** The environment every app got (PII keys, signing keys...), for a test that starts something alike. */
  env: Record<string, string>;
  apps: Record<AppName, AppProcess>;
  /** The last lines an app wrote (for a failing test's message). */
  logs(app: AppName): string;
  stop(): Promise<void>;
}

/** Migrations of every schema and the demo organisation, once; returns the template's name. */
export async function createHarnessTemplate(): Promise<string> {
  const name = `jiesu_harness_tpl_${randomBytes(4).toString('hex')}`;
  const c = new Client({ connectionString: TEST_PG_ADMIN_URL });
  await c.connect();
  try {
    await c.query(`CREATE DATABASE "${name}"`);
  } finally {
    await c.end();
  }
  const url = databaseUrl(name);
  await migrateAll(url, undefined, () => undefined);
  await seedDemo(url);
  return name;
}

const live = new Set<AppProcess>();
process.once('exit', () => {
  for (const a of live) a.killNow();
});

/**
 * The six built apps as child processes on free loopback ports, on a fresh clone of a migrated and
 * seeded database, with a subject prefix and stream of their own and the demo staff accounts (one
 * per entry of scripts/demo-users.ts, password DEMO_PASSWORD). The five services verify the
 * console's ES256 tokens against its JWKS, each with its own name as the audience.
 */
export async function startHarness(opts: HarnessOptions = {}): Promise<Harness> {
  assertBuildFresh();
  let template = opts.template ?? process.env.JIESU_HARNESS_TEMPLATE;
  const ownTemplate = !template;
  if (!template) template = await createHarnessTemplate();
  const db = await createTestDatabase(template);
  if (ownTemplate) await dropDatabase(template);
  const bus = { ...testBus(), NATS_URL: TEST_NATS_URL };
  const ports = Object.fromEntries(await Promise.all(APP_NAMES.map(async (a) => [a, await freePort()] as const))) as Record<
    AppName,
    number
  >;
  const urls = Object.fromEntries(APP_NAMES.map((a) => [a, `http://127.0.0.1:${ports[a]}`])) as Record<AppName, string>;
  const attachments = mkdtempSync(join(tmpdir(), 'jiesu-harness-'));

  const env: Record<string, string> = {
    NODE_ENV: 'test',
    LOG_LEVEL: 'warn',
    SWAGGER: 'false',
    DATABASE_URL: db.url,
    DB_POOL_SIZE: '4',
    ...bus,
    BUS_SWEEP_MS: '200',
    // Every test client is one loopback address: the public routes' per-address limit (login too) would refuse them.
    PUBLIC_RATE_LIMIT_PER_MINUTE: '100000',
    PII_KEYS: `h1:${randomBytes(32).toString('base64')}`,
    PII_HASH_KEY: randomBytes(32).toString('base64'),
    AUTH_JWKS_URL: `${urls.console}/.well-known/jwks.json`,
    AUTH_ISSUER: 'jiesu-console',
    CONSOLE_SIGNING_KEYS: JSON.stringify([generateSigningJwk('harness-1')]),
    INTAKE_URL: urls.intake,
    DISPATCH_URL: urls.dispatch,
    SLA_URL: urls.sla,
    CALLBACK_URL: urls.callback,
    ANALYTICS_URL: urls.analytics,
    NOTIFY_URL: urls.notify,
    ATTACHMENT_DIR: attachments,
    ...opts.env,
    ...opts.envFor?.(urls),
  };
  await seedConsoleDemo(env);

  // Only what the harness says: nothing of the developer's shell (PORT, AUTH_*...) leaks in.
  const base: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, TZ: process.env.TZ };
  const apps = {} as Record<AppName, AppProcess>;
  const start = (a: AppName) => {
    const p = new AppProcess(a, ports[a], { ...base, ...env, PORT: String(ports[a]), AUTH_AUDIENCE: a, ...opts.appEnv?.[a] });
    live.add(p);
    apps[a] = p;
    return p;
  };
  const stop = async () => {
    await Promise.all(Object.values(apps).map((a) => a.stop()));
    for (const a of Object.values(apps)) live.delete(a);
    await db.drop().catch(() => undefined);
    rmSync(attachments, { recursive: true, force: true });
    const nc = await connect({ servers: bus.NATS_URL }).catch(() => null);
    if (nc) {
      await (await nc.jetstreamManager()).streams.delete(bus.BUS_STREAM).catch(() => undefined);
      await nc.close();
    }
  };
  try {
    const timeout = opts.readyTimeoutMs ?? 60_000;
    await start('console').waitReady(timeout);
    await Promise.all(APP_NAMES.filter((a) => a !== 'console').map((a) => start(a).waitReady(timeout)));
  } catch (e) {
    await stop();
    throw e;
  }
  return {
    urls,
    consoleUrl: urls.console,
    database: { name: db.name, url: db.url },
    bus,
    env,
    apps,
    logs: (a) => apps[a]?.tail.join('\n') ?? '',
    stop,
  };
}
