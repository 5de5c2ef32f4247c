/**
 * Back up and restore Jiesu's state: the Postgres database (every schema, `pg_dump` custom format)
 * and the JetStream stream (`HOTLINE`, with its consumers) through the JetStream API, so no `nats`
 * CLI is needed. See docs/operations.md#backups-and-restore.
 *
 *   node -r ./scripts/register-paths.js dist/scripts/backup.js backup <dir>
 *   node -r ./scripts/register-paths.js dist/scripts/backup.js restore <dir>
 *
 * Reads DATABASE_URL, NATS_URL, NATS_USER/NATS_PASSWORD (the `ops` user of deploy/nats), NATS_TLS_CA_FILE,
 * BUS_STREAM and BUS_JS_DOMAIN (validated like a service's).
 *
 * The order makes the pair consistent without stopping anything: the stream is snapshotted FIRST,
 * then the database is dumped. So every event in the stream was produced by a transaction the dump
 * holds, and every consumer position in the snapshot is at or behind the inbox in the dump (a
 * message redelivered after the restore is skipped by the inbox). What the dump knows as published
 * but the snapshot may miss (published around or after the snapshot) is marked unpublished again by
 * the restore, and the outbox relay publishes it once more: JetStream drops it as a duplicate within
 * its window, the consumers' inbox after that.
 */
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, readSync, writeFileSync, writeSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { connect, createInbox, Empty, NatsConnection, StreamConfig, StreamState } from 'nats';
import { Client } from 'pg';
import { IsOptional, IsString, Matches, MinLength, ValidateIf } from 'class-validator';
import { inboxPrefixOf, loadConfig, natsConnectionOptions, processEnv } from '@app/platform';

export const DUMP_FILE = 'database.pgdump';
export const STREAM_FILE = 'stream.snapshot';
export const MANIFEST_FILE = 'manifest.json';

/**
 * How far before the snapshot an outbox row's `published_at` may lie and the row still be published
 * again by a restore. `published_at` is the relay's transaction start, a little before the publish
 * itself (publishes time out after 5 s); ten minutes also covers clock drift between the hosts.
 */
export const REPUBLISH_MARGIN_MS = 10 * 60 * 1000;

const CHUNK = 128 * 1024;
const INACTIVITY_MS = 30_000;

export class BackupConfig {
  @Matches(/^postgres(ql)?:\/\/\S+$/, { message: 'DATABASE_URL must be a postgres:// URL' })
  DATABASE_URL: string = 'postgres://postgres@127.0.0.1:5432/jiesu';

  @Matches(/^(nats|tls):\/\/\S+$/, { message: 'NATS_URL must be nats:// or tls:// URLs, comma-separated' })
  NATS_URL: string = 'nats://127.0.0.1:4222';

  /** A NATS user allowed to snapshot and restore the stream: `ops` in deploy/nats. Unset: no authentication. */
  @IsOptional()
  @Matches(/^[a-z][a-z0-9-]*$/, { message: 'NATS_USER must be a NATS user (ops)' })
  NATS_USER?: string;

  @ValidateIf((o: BackupConfig) => !!o.NATS_USER)
  @IsString()
  @MinLength(16, { message: 'NATS_PASSWORD is required with NATS_USER, at least 16 characters' })
  NATS_PASSWORD?: string;

  @IsOptional()
  @IsString()
  NATS_TLS_CA_FILE?: string;

  @Matches(/^[A-Za-z0-9_-]+$/, { message: 'BUS_STREAM must be a stream name' })
  BUS_STREAM: string = 'HOTLINE';

  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z0-9_-]+$/, { message: 'BUS_JS_DOMAIN must be a JetStream domain name' })
  BUS_JS_DOMAIN?: string;
}

export interface BackupManifest {
  format: 'jiesu-backup-1';
  createdAt: string;
  /** The database server's clock just before the stream snapshot: the restore's republish point. */
  snapshotStartedAt: string;
  database: { name: string; file: string; bytes: number };
  stream: { name: string; file: string; bytes: number; config: StreamConfig; state: StreamState };
}

function apiPrefix(domain: string | undefined): string {
  return domain ? `$JS.${domain}.API` : '$JS.API';
}

function databaseName(url: string): string {
  return decodeURIComponent(new URL(url).pathname.slice(1));
}

function adminUrl(url: string): string {
  const u = new URL(url);
  u.pathname = '/postgres';
  return u.toString();
}

function run(cmd: string, args: string[]): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'inherit', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.once('error', (e) => reject(new Error(`${cmd}: ${e.message} (is the PostgreSQL client installed?)`)));
    child.once('exit', (code) =>
      code === 0 ? resolvePromise() : reject(new Error(`${cmd} exited with ${code}: ${stderr.trim().slice(-2000)}`)),
    );
  });
}

interface ApiError {
  error?: { code: number; description: string };
}

async function api<T>(nc: NatsConnection, subject: string, body: unknown, timeout = 10_000): Promise<T> {
  const m = await nc.request(subject, body === undefined ? Empty : JSON.stringify(body), { timeout });
  const r = JSON.parse(new TextDecoder().decode(m.data)) as T & ApiError;
  if (r.error) throw new Error(`${subject}: ${r.error.code} ${r.error.description}`);
  return r;
}

/** The database server's clock (the one outbox rows are stamped with). */
export async function databaseNow(url: string): Promise<Date> {
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    return ((await c.query('SELECT clock_timestamp() AS t')).rows[0] as { t: Date }).t;
  } finally {
    await c.end();
  }
}

/**
 * Snapshot the stream (messages and consumers, checked by the server) into `file` through
 * `$JS.API.STREAM.SNAPSHOT`: the server sends chunks to an inbox, each acknowledged for flow control,
 * and an empty message at the end. Returns the stream's configuration and state taken just before.
 */
export async function snapshotStream(
  nc: NatsConnection,
  stream: string,
  file: string,
  domain?: string,
  inboxPrefix?: string,
): Promise<{ config: StreamConfig; state: StreamState; bytes: number }> {
  const prefix = apiPrefix(domain);
  const info = await api<{ config: StreamConfig; state: StreamState }>(nc, `${prefix}.STREAM.INFO.${stream}`, undefined);
  const fd = openSync(file, 'w');
  let bytes = 0;
  try {
    const deliver = createInbox(inboxPrefix);
    const done = new Promise<void>((resolveDone, reject) => {
      let idle: NodeJS.Timeout;
      const arm = () => {
        clearTimeout(idle);
        idle = setTimeout(() => {
          sub.unsubscribe();
          reject(new Error(`stream snapshot of ${stream}: no data for ${INACTIVITY_MS / 1000} s`));
        }, INACTIVITY_MS);
      };
      const sub = nc.subscribe(deliver, {
        callback: (err, m) => {
          if (err) {
            clearTimeout(idle);
            reject(err);
            return;
          }
          if (m.headers && m.headers.code >= 400) {
            clearTimeout(idle);
            sub.unsubscribe();
            reject(new Error(`stream snapshot of ${stream}: ${m.headers.code} ${m.headers.description}`));
            return;
          }
          if (m.data.length === 0) {
            clearTimeout(idle);
            sub.unsubscribe();
            resolveDone();
            return;
          }
          writeSync(fd, m.data);
          bytes += m.data.length;
          if (m.reply) m.respond(Empty);
          arm();
        },
      });
      arm();
    });
    await nc.flush();
    await api(nc, `${prefix}.STREAM.SNAPSHOT.${stream}`, { deliver_subject: deliver, chunk_size: CHUNK, jsck: true }, 60_000);
    await done;
  } finally {
    closeSync(fd);
  }
  return { config: info.config, state: info.state, bytes };
}

/**
 * Restore a stream snapshot through `$JS.API.STREAM.RESTORE` (chunks sent as requests, an empty
 * one at the end). The stream must not exist. Returns its state as restored.
 */
export async function restoreStream(
  nc: NatsConnection,
  meta: { config: StreamConfig; state: StreamState },
  file: string,
  domain?: string,
): Promise<StreamState> {
  const prefix = apiPrefix(domain);
  const name = meta.config.name;
  const start = await api<{ deliver_subject: string }>(nc, `${prefix}.STREAM.RESTORE.${name}`, { config: meta.config, state: meta.state });
  const fd = openSync(file, 'r');
  try {
    const buf = Buffer.alloc(CHUNK);
    for (;;) {
      const n = readSync(fd, buf, 0, CHUNK, null);
      if (n === 0) break;
      const r = await nc.request(start.deliver_subject, buf.subarray(0, n), { timeout: 30_000 });
      const text = new TextDecoder().decode(r.data);
      if (r.headers && r.headers.code >= 400) throw new Error(`stream restore of ${name}: ${r.headers.code} ${r.headers.description}`);
      if (text.startsWith('-ERR') || text.includes('"error"')) throw new Error(`stream restore of ${name}: ${text}`);
    }
  } finally {
    closeSync(fd);
  }
  const m = await nc.request(start.deliver_subject, Empty, { timeout: 120_000 });
  const r = JSON.parse(new TextDecoder().decode(m.data)) as { state?: StreamState } & ApiError;
  if (r.error) throw new Error(`stream restore of ${name}: ${r.error.code} ${r.error.description}`);
  if (!r.state) throw new Error(`stream restore of ${name}: unexpected answer ${JSON.stringify(r).slice(0, 300)}`);
  return r.state;
}

/** `pg_dump` of the whole database (every service's schema), custom format. */
export async function dumpDatabase(url: string, file: string): Promise<void> {
  await run('pg_dump', ['--format=custom', '--compress=6', `--file=${file}`, `--dbname=${url}`]);
}

/**
 * Restore a dump into the database at `url`, which must be missing or empty of tables (it is
 * created when missing): one transaction, objects owned by the connecting role.
 */
export async function restoreDatabase(url: string, file: string): Promise<void> {
  const name = databaseName(url);
  const admin = new Client({ connectionString: adminUrl(url) });
  await admin.connect();
  try {
    const found = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount === 0) await admin.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`);
  } finally {
    await admin.end();
  }
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    const tables = await c.query(
      `SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema NOT IN ('pg_catalog', 'information_schema')`,
    );
    if ((tables.rows[0] as { n: number }).n > 0) {
      throw new Error(`database ${name} is not empty: restore into a new database (or drop this one first)`);
    }
  } finally {
    await c.end();
  }
  await run('pg_restore', ['--exit-on-error', '--single-transaction', '--no-owner', `--dbname=${url}`, file]);
}

/**
 * Mark as unpublished every outbox row (of every schema) published at or after `since`: the relay
 * publishes them again after the restore. Returns the count per schema.
 */
export async function republishSince(url: string, since: Date): Promise<Record<string, number>> {
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    const schemas = (
      await c.query(`SELECT table_schema AS s FROM information_schema.tables WHERE table_name = 'outbox' ORDER BY 1`)
    ).rows.map((r: { s: string }) => r.s);
    const counts: Record<string, number> = {};
    for (const s of schemas) {
      const r = await c.query(`UPDATE "${s.replace(/"/g, '""')}".outbox SET published_at = NULL WHERE published_at >= $1`, [since]);
      counts[s] = r.rowCount ?? 0;
    }
    return counts;
  } finally {
    await c.end();
  }
}

export function writeManifest(dir: string, manifest: BackupManifest): void {
  writeFileSync(join(dir, MANIFEST_FILE), JSON.stringify(manifest, null, 2) + '\n');
}

export function readManifest(dir: string): BackupManifest {
  const m = JSON.parse(readFileSync(join(dir, MANIFEST_FILE), 'utf8')) as BackupManifest;
  if (m.format !== 'jiesu-backup-1') throw new Error(`${join(dir, MANIFEST_FILE)} is not a Jiesu backup manifest`);
  return m;
}

/** The services' connection options (user, TLS, inbox prefix), but a tool gives up rather than wait forever. */
function connectForBackup(config: BackupConfig, name: string): Promise<NatsConnection> {
  return connect({ ...natsConnectionOptions(config, name), maxReconnectAttempts: 5, waitOnFirstConnect: false });
}

/** The stream first, then the database (see the top of this file for why), then the manifest. */
export async function backup(config: BackupConfig, dir: string, log: (m: string) => void = console.log): Promise<BackupManifest> {
  mkdirSync(dir, { recursive: true });
  if (existsSync(join(dir, MANIFEST_FILE))) throw new Error(`${dir} already holds a backup`);
  const nc = await connectForBackup(config, 'jiesu-backup');
  try {
    const snapshotStartedAt = await databaseNow(config.DATABASE_URL);
    log(`snapshotting stream ${config.BUS_STREAM}`);
    const s = await snapshotStream(nc, config.BUS_STREAM, join(dir, STREAM_FILE), config.BUS_JS_DOMAIN, inboxPrefixOf(config.NATS_USER));
    log(`  ${s.state.messages} messages (sequences ${s.state.first_seq}-${s.state.last_seq}), ${s.bytes} bytes`);
    log(`dumping database ${databaseName(config.DATABASE_URL)}`);
    await dumpDatabase(config.DATABASE_URL, join(dir, DUMP_FILE));
    const manifest: BackupManifest = {
      format: 'jiesu-backup-1',
      createdAt: new Date().toISOString(),
      snapshotStartedAt: snapshotStartedAt.toISOString(),
      database: { name: databaseName(config.DATABASE_URL), file: DUMP_FILE, bytes: readFileSync(join(dir, DUMP_FILE)).length },
      stream: { name: config.BUS_STREAM, file: STREAM_FILE, bytes: s.bytes, config: s.config, state: s.state },
    };
    writeManifest(dir, manifest);
    log(`backup written to ${resolve(dir)}`);
    return manifest;
  } finally {
    await nc.close();
  }
}

/**
 * Restore a backup: the database (into an empty or new database), the outbox rows published since
 * the snapshot marked for publishing again, then the stream (which must not exist). Start the
 * services afterwards.
 */
export async function restore(config: BackupConfig, dir: string, log: (m: string) => void = console.log): Promise<void> {
  const manifest = readManifest(dir);
  if (manifest.stream.name !== config.BUS_STREAM) {
    throw new Error(`the backup holds stream ${manifest.stream.name}, BUS_STREAM is ${config.BUS_STREAM}`);
  }
  log(`restoring database ${databaseName(config.DATABASE_URL)} from ${manifest.database.file}`);
  await restoreDatabase(config.DATABASE_URL, join(dir, manifest.database.file));
  const since = new Date(new Date(manifest.snapshotStartedAt).getTime() - REPUBLISH_MARGIN_MS);
  const counts = await republishSince(config.DATABASE_URL, since);
  log(`  outbox rows to publish again: ${JSON.stringify(counts)}`);
  const nc = await connectForBackup(config, 'jiesu-restore');
  try {
    log(`restoring stream ${manifest.stream.name}`);
    const state = await restoreStream(nc, manifest.stream, join(dir, manifest.stream.file), config.BUS_JS_DOMAIN);
    log(`  ${state.messages} messages (sequences ${state.first_seq}-${state.last_seq}), ${state.consumer_count} consumers`);
  } finally {
    await nc.close();
  }
  log('restored; start the services');
}

async function main(): Promise<void> {
  const [cmd, dir] = process.argv.slice(2);
  if (!['backup', 'restore'].includes(cmd) || !dir) throw new Error('usage: backup.js backup <dir> | restore <dir>');
  const config = loadConfig(BackupConfig, processEnv());
  if (cmd === 'backup') await backup(config, dir);
  else await restore(config, dir);
}

if (require.main === module) {
  main().catch((e: Error) => {
    console.error(e.message);
    process.exit(1);
  });
}
