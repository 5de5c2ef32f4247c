import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { BUS_OPTIONS, BusOptions } from '../bus/bus.tokens';

const RETRY_MIN_MS = 250;
const RETRY_MAX_MS = 10_000;

/** Who listens on a channel: told of each notification, and of the connection (re)gained or lost. */
export interface ChannelSubscriber {
  notify(): void;
  /** LISTEN holds (again): whatever was committed while nobody listened was not announced. */
  connected?(): void;
  /** No LISTEN until `connected`: notifications are being missed. */
  lost?(): void;
}

/**
 * The process's LISTEN connection to its database: one client for every channel the service listens
 * on (its outbox relay's, its reference caches'), kept out of the pool (a pooled connection cannot
 * hold LISTEN). Lost (a Postgres restart, a silently dead host), it is opened again with back-off, and
 * each subscriber hears `lost`, then `connected` once it holds again, to catch up on what it missed.
 */
@Injectable()
export class PgListener implements OnModuleDestroy {
  private readonly log = new Logger(PgListener.name);
  private readonly subscribers = new Map<string, ChannelSubscriber[]>();
  private client?: Client;
  private opening?: Promise<void>;
  private retry?: NodeJS.Timeout;
  private backoffMs = RETRY_MIN_MS;
  private stopped = false;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(BUS_OPTIONS) private readonly options: BusOptions,
  ) {}

  /** The service's schema (its channels are named after it). */
  get schema(): string {
    return this.options.schema;
  }

  /** Whether LISTEN holds now (false: notifications are missed until it does again). */
  get listening(): boolean {
    return this.client !== undefined;
  }

  /**
   * Listen on `channel`; resolves once LISTEN holds or the attempt failed (then retried with back-off:
   * the subscriber hears `connected` when it holds).
   */
  async subscribe(channel: string, s: ChannelSubscriber): Promise<void> {
    if (this.stopped) return;
    const known = this.subscribers.get(channel);
    if (known) known.push(s);
    else this.subscribers.set(channel, [s]);
    if (this.opening) await this.opening;
    if (this.client && !known) {
      try {
        await this.client.query(`LISTEN "${channel}"`);
      } catch (e) {
        this.lose(this.client, (e as Error).message);
        return;
      }
    }
    if (this.client) s.connected?.();
    else if (!this.retry && !this.opening) await this.open();
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    if (this.retry) clearTimeout(this.retry);
    // A connection being opened now must not outlive the process's shutdown.
    await this.opening;
    const c = this.client;
    this.client = undefined;
    await c?.end().catch(() => undefined);
  }

  private open(): Promise<void> {
    this.opening = this.connect().finally(() => (this.opening = undefined));
    return this.opening;
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    const opts = this.dataSource.options as { url?: string };
    const client = new Client({
      connectionString: opts.url,
      application_name: `jiesu-${this.options.schema}-listen`,
      connectionTimeoutMillis: 5000,
      // Notice a silently dead connection (a host gone, not a clean restart) too.
      keepAlive: true,
    });
    client.on('error', (e) => this.lose(client, e.message));
    client.on('end', () => this.lose(client, 'connection ended'));
    client.on('notification', (n) => {
      for (const s of this.subscribers.get(n.channel) ?? []) s.notify();
    });
    try {
      await client.connect();
      for (const channel of this.subscribers.keys()) await client.query(`LISTEN "${channel}"`);
    } catch (e) {
      this.lose(client, (e as Error).message);
      return;
    }
    if (this.stopped) {
      await client.end().catch(() => undefined);
      return;
    }
    this.client = client;
    this.backoffMs = RETRY_MIN_MS;
    for (const list of this.subscribers.values()) for (const s of list) s.connected?.();
  }

  private readonly lostClients = new WeakSet<Client>();

  private lose(client: Client, why: string): void {
    if (this.lostClients.has(client)) return;
    this.lostClients.add(client);
    const was = this.client === client;
    if (was) this.client = undefined;
    client.end().catch(() => undefined);
    if (this.stopped) return;
    if (was) for (const list of this.subscribers.values()) for (const s of list) s.lost?.();
    this.log.warn({ msg: 'LISTEN connection lost; opening it again', err: why, retryMs: this.backoffMs });
    this.scheduleRetry();
  }

  private scheduleRetry(): void {
    if (this.stopped || this.retry) return;
    const delay = this.backoffMs;
    this.backoffMs = Math.min(this.backoffMs * 2, RETRY_MAX_MS);
    this.retry = setTimeout(() => {
      this.retry = undefined;
      void this.open();
    }, delay);
  }
}
