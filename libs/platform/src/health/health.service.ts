import { Inject, Injectable, OnModuleDestroy, Optional } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DebugEvents, Events, NatsConnection } from 'nats';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { DATABASE_CIRCUIT, NATS_CONNECTION } from '../bus/bus.tokens';
import { DatabaseCircuit } from '../database/database-circuit';

export type CheckStatus = 'up' | 'down' | 'degraded';
export interface CheckResult {
  status: CheckStatus;
  detail?: string;
}
export type ReadinessCheck = () => Promise<CheckResult>;

/** No check may hold the answer longer than this: readiness answers quickly or says what hangs. */
const CHECK_TIMEOUT_MS = 2000;

function withTimeout(p: Promise<CheckResult>, what: string): Promise<CheckResult> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<CheckResult>((resolve) => {
    timer = setTimeout(() => resolve({ status: 'down', detail: `${what} did not answer within ${CHECK_TIMEOUT_MS} ms` }), CHECK_TIMEOUT_MS);
  });
  return Promise.race([p.catch((e: Error): CheckResult => ({ status: 'down', detail: e.message })), timeout]).finally(() =>
    clearTimeout(timer),
  );
}

/**
 * Readiness: the database and NATS, plus whatever a service registers (sla: the calendar).
 * `down` makes the service not ready (503); `degraded` is reported but keeps it ready.
 *
 * The database is asked on a connection of its own, outside the pool, so readiness answers at once
 * even when every pooled connection is busy with consumers and requests. NATS reports the
 * connection's state as nats.js last announced it (disconnected, reconnecting) as well as a flush.
 */
@Injectable()
export class HealthService implements OnModuleDestroy {
  private readonly extra = new Map<string, ReadinessCheck>();
  private probe?: Client;
  private connecting?: Promise<Client>;
  private natsState: { status: CheckStatus; detail?: string } = { status: 'up' };
  private destroyed = false;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
    @Optional() @Inject(DATABASE_CIRCUIT) private readonly circuit?: DatabaseCircuit,
  ) {
    void this.watchNats();
  }

  register(name: string, check: ReadinessCheck): void {
    this.extra.set(name, check);
  }

  async onModuleDestroy(): Promise<void> {
    this.destroyed = true;
    const c = this.probe;
    this.probe = undefined;
    await c?.end().catch(() => undefined);
  }

  async readiness(): Promise<{ status: CheckStatus; checks: Record<string, CheckResult> }> {
    const entries: [string, Promise<CheckResult>][] = [
      ['database', withTimeout(this.database(), 'the database')],
      ['nats', withTimeout(this.nats(), 'NATS')],
      ...[...this.extra].map(([name, check]): [string, Promise<CheckResult>] => [name, withTimeout(check(), name)]),
    ];
    const checks: Record<string, CheckResult> = {};
    for (const [name, result] of entries) checks[name] = await result;
    const paused = this.circuit?.state;
    if (paused) {
      checks.consumers = {
        status: 'degraded',
        detail: `paused since ${paused.since.toISOString()}: database unreachable (${paused.error ?? 'unknown'})`,
      };
    }
    const all = Object.values(checks).map((c) => c.status);
    const status: CheckStatus = all.includes('down') ? 'down' : all.includes('degraded') ? 'degraded' : 'up';
    return { status, checks };
  }

  private async database(): Promise<CheckResult> {
    try {
      const c = await this.probeClient();
      await c.query('SELECT 1');
      return { status: 'up' };
    } catch (e) {
      const c = this.probe;
      this.probe = undefined;
      await c?.end().catch(() => undefined);
      return { status: 'down', detail: (e as Error).message };
    }
  }

  private probeClient(): Promise<Client> {
    if (this.probe) return Promise.resolve(this.probe);
    this.connecting ??= (async () => {
      const opts = this.dataSource.options as { url?: string; schema?: string };
      const c = new Client({
        connectionString: opts.url,
        application_name: `jiesu-${opts.schema ?? 'service'}-health`,
        connectionTimeoutMillis: CHECK_TIMEOUT_MS,
        query_timeout: CHECK_TIMEOUT_MS,
      });
      c.on('error', () => {
        if (this.probe === c) this.probe = undefined;
      });
      try {
        await c.connect();
      } catch (e) {
        await c.end().catch(() => undefined);
        throw e;
      }
      if (this.destroyed) {
        await c.end().catch(() => undefined);
        throw new Error('shutting down');
      }
      this.probe = c;
      return c;
    })().finally(() => (this.connecting = undefined));
    return this.connecting;
  }

  private async nats(): Promise<CheckResult> {
    if (this.nc.isClosed()) return { status: 'down', detail: 'connection closed' };
    if (this.natsState.status !== 'up') return this.natsState;
    await this.nc.flush();
    return { status: 'up' };
  }

  private async watchNats(): Promise<void> {
    for await (const s of this.nc.status()) {
      if (s.type === Events.Disconnect) this.natsState = { status: 'down', detail: 'disconnected; reconnecting' };
      else if (s.type === DebugEvents.Reconnecting) this.natsState = { status: 'down', detail: 'reconnecting' };
      else if (s.type === Events.Reconnect) this.natsState = { status: 'up' };
    }
  }
}
