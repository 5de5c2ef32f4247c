/**
 * docker-compose's NATS is authenticated, as production is: this runs nats-server with the command,
 * the mounted deploy/nats directory and the environment that docker-compose.yml gives its `nats`
 * service (on loopback ports and a temp store instead of compose's), then connects as every app
 * compose runs, with that app's NATS_USER and NATS_PASSWORD. Each is accepted as its own user and may
 * use its own inbox and the JetStream API; a connection without credentials, or with another app's
 * user and this one's password, is refused. (docker compose itself cannot run here.)
 */
import { ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '@app/platform';
import { createTestDatabase, freePort, waitFor } from '@app/platform/testing';
import { connect, ErrorCode } from 'nats';
import { parse } from 'yaml';
import { AnalyticsConfig } from '../../apps/analytics/src/analytics.config';
import { replayAnalytics } from '../../apps/analytics/src/replay/replay';
import { EventFactory } from '../../bench/lib/events';
import { migrateAll } from '../../scripts/migrate';

jest.setTimeout(60_000);

const ROOT = join(__dirname, '..', '..');

interface ComposeService {
  build?: { args?: { APP?: string } };
  command?: string[] | string;
  environment?: Record<string, string>;
  volumes?: string[];
}
const compose = parse(readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
  services: Record<string, ComposeService>;
};

/** The long-running apps compose builds (the one-shot migrate step holds no NATS connection). */
const apps = Object.entries(compose.services).filter(([name, s]) => s.build && name !== 'migrate');

let dir: string;
let proc: ChildProcess;
let url: string;

beforeAll(async () => {
  const nats = compose.services.nats;
  const mount = (nats.volumes ?? []).find((v) => v.endsWith(':/etc/nats:ro') || v.endsWith(':/etc/nats'));
  expect(mount?.split(':')[0]).toBe('./deploy/nats');
  dir = mkdtempSync(join(tmpdir(), 'jiesu-compose-nats-'));
  cpSync(join(ROOT, 'deploy', 'nats'), join(dir, 'etc'), { recursive: true });
  const command = (Array.isArray(nats.command) ? nats.command : String(nats.command).split(' ')).map((a) =>
    a.startsWith('/etc/nats/') ? join(dir, 'etc', a.slice('/etc/nats/'.length)) : a,
  );
  expect(command).toContain('-c');
  const port = await freePort();
  url = `nats://127.0.0.1:${port}`;
  // Compose's command as it is; later flags move it to loopback ports and a temp store.
  proc = spawn(
    '/usr/sbin/nats-server',
    [...command, '-a', '127.0.0.1', '-p', String(port), '-m', String(await freePort()), '-sd', join(dir, 'store')],
    { stdio: 'ignore', env: { PATH: process.env.PATH, ...nats.environment } },
  );
  const ops = nats.environment?.NATS_PASSWORD_OPS;
  await waitFor(
    async () => {
      if (proc.exitCode !== null) throw new Error(`nats-server exited with ${proc.exitCode}`);
      const nc = await connect({ servers: url, user: 'ops', pass: ops, reconnect: false, timeout: 500 });
      await nc.close();
      return true;
    },
    (ok) => ok,
    { what: "compose's nats-server", timeoutMs: 10_000, intervalMs: 100 },
  );
});

afterAll(async () => {
  if (proc && proc.exitCode === null) {
    const exited = once(proc, 'exit');
    proc.kill('SIGTERM');
    await exited;
  }
  if (dir) rmSync(dir, { recursive: true, force: true });
});

it('runs every app compose builds with NATS credentials of its own', () => {
  expect(apps.map(([n]) => n).sort()).toEqual(['analytics', 'callback', 'console', 'dispatch', 'intake', 'notify', 'sla']);
  const seen = new Set<string>();
  for (const [name, s] of apps) {
    const env = s.environment ?? {};
    expect([name, env.NATS_USER]).toEqual([name, name]);
    // Letters and digits, a letter first (nats-server reads an environment value as a config value), 16+ (the services' config).
    expect([name, /^[A-Za-z][A-Za-z0-9]{15,}$/.test(env.NATS_PASSWORD ?? '')]).toEqual([name, true]);
    expect(seen.has(env.NATS_PASSWORD)).toBe(false);
    seen.add(env.NATS_PASSWORD);
  }
});

it("the nats service's configuration accepts each app's user and password; each may use its own inbox and JetStream", async () => {
  for (const [name, s] of apps) {
    const nc = await connect({
      servers: url,
      user: s.environment!.NATS_USER,
      pass: s.environment!.NATS_PASSWORD,
      inboxPrefix: `_INBOX_${name}`,
      reconnect: false,
    });
    try {
      const info = await (await nc.jetstreamManager()).getAccountInfo();
      expect(info).toHaveProperty('limits');
    } finally {
      await nc.close();
    }
  }
});

it('refuses a connection without credentials, or with the wrong password', async () => {
  await expect(connect({ servers: url, reconnect: false })).rejects.toMatchObject({ code: ErrorCode.AuthorizationViolation });
  const [, intake] = apps.find(([n]) => n === 'intake')!;
  const [, sla] = apps.find(([n]) => n === 'sla')!;
  await expect(
    connect({ servers: url, user: intake.environment!.NATS_USER, pass: sla.environment!.NATS_PASSWORD, reconnect: false }),
  ).rejects.toMatchObject({ code: ErrorCode.AuthorizationViolation });
});

it("lets analytics replay the stream as its own user: the replay's consumer created, read, acknowledged and removed", async () => {
  const [, analytics] = apps.find(([n]) => n === 'analytics')!;
  const ops = await connect({ servers: url, user: 'ops', pass: compose.services.nats.environment!.NATS_PASSWORD_OPS, reconnect: false });
  const db = await createTestDatabase();
  try {
    const jsm = await ops.jetstreamManager();
    // A stream may hold another prefix's subjects too (jetstream.ts adds a prefix to an existing stream).
    await jsm.streams.add({ name: 'HOTLINE', subjects: ['hotline.>', 'other.>'] });
    const factory = new EventFactory('hotline', 3);
    const events = [...factory.nextOrder(), ...factory.nextOrder(), ...factory.nextOrder()];
    const js = ops.jetstream();
    for (const e of events) await js.publish(e.subject, e.body, { msgID: e.id });
    await js.publish('other.630104.ticket.accepted.v1', '{}'); // the stream's last message is not under the prefix
    await migrateAll(db.url, ['analytics'], () => undefined);
    const config = loadConfig(AnalyticsConfig, {
      DATABASE_URL: db.url,
      NATS_URL: url,
      NATS_USER: analytics.environment!.NATS_USER,
      NATS_PASSWORD: analytics.environment!.NATS_PASSWORD,
      BUS_PREFIX: 'hotline',
      BUS_STREAM: 'HOTLINE',
      LOG_LEVEL: 'warn',
      NODE_ENV: 'test',
    });
    // Batches of two: several acknowledgements, each under analytics' permissions.
    const r = await replayAnalytics(config, () => undefined, { batch: 2 });
    expect(r.applied + r.skipped).toBe(events.length);
    expect(r.applied).toBeGreaterThan(events.length / 2);
    const left: string[] = [];
    for await (const c of jsm.consumers.list('HOTLINE')) left.push(c.name);
    expect(left).toEqual([]);
  } finally {
    await ops.close();
    await db.drop();
  }
});
