import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { headers as natsHeaders, JetStreamClient, NatsConnection } from 'nats';
import { DataSource } from 'typeorm';
import { Propagation, TransactionHost } from '@nestjs-cls/transactional';
import { TxHost } from '../database/transactions';
import { PgListener } from '../database/pg-listener';
import { BUS_OPTIONS, BusOptions, NATS_CONNECTION } from './bus.tokens';
import { jetStreamOptions } from './jetstream';
import { outboxChannel } from './outbox';
import { BusMetrics } from './bus.metrics';
import { inProducerTrace } from '../logging/trace';

interface PendingRow {
  id: string;
  subject: string;
  /** The stored JSON as text (`envelope::text`): published as it is, not parsed and re-serialised. */
  envelope: string;
  headers: Record<string, string>;
}

const BATCH = 200;
const KEEP_PUBLISHED_MS = 24 * 3600 * 1000;

/**
 * Publishes committed outbox rows to JetStream and marks them sent. Rows are claimed with
 * `FOR UPDATE SKIP LOCKED`, so several replicas share the work; LISTEN/NOTIFY wakes the relay at
 * once and a periodic sweep catches anything a lost notification or a NATS outage left behind.
 * The LISTEN connection is re-established (with back-off) whenever it is lost, e.g. by a Postgres
 * restart, so the relay returns to NOTIFY latency rather than living on the sweep.
 */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly log = new Logger(OutboxRelay.name);
  private readonly js: JetStreamClient;
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private again = false;
  private stopped = false;
  private lastCleanup = 0;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(NATS_CONNECTION) nc: NatsConnection,
    @Inject(BUS_OPTIONS) private readonly options: BusOptions,
    private readonly metrics: BusMetrics,
    @Inject(TransactionHost) private readonly txHost: TxHost,
    private readonly listener: PgListener,
  ) {
    this.js = nc.jetstream(jetStreamOptions(options.jsDomain));
  }

  /** Whether the LISTEN connection is up (false: only the sweep publishes, at BUS_SWEEP_MS latency). */
  get listening(): boolean {
    return this.listener.listening;
  }

  async onApplicationBootstrap(): Promise<void> {
    // LISTEN (re)gained: rows committed while nobody listened were not announced, one pass then.
    await this.listener.subscribe(outboxChannel(this.options.schema), { notify: () => this.wake(), connected: () => this.wake() });
    this.timer = setInterval(() => this.wake(), this.options.sweepMs);
    this.wake();
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.running;
    // A last pass: rows committed since the last wake-up (the HTTP server is closed by now, see
    // runService) go out before the process leaves rather than at the next start.
    await this.loop();
  }

  /** Ask for a pass; passes never overlap, and a request during one schedules one more. */
  wake(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.loop().finally(() => {
      this.running = undefined;
      if (this.again && !this.stopped) {
        this.again = false;
        this.wake();
      }
    });
  }

  /** Publish everything pending now; resolves when the outbox is empty or publishing failed. */
  async flush(): Promise<void> {
    while (this.running) await this.running;
    await this.loop();
  }

  private async loop(): Promise<void> {
    try {
      let n: number;
      do {
        n = await this.publishBatch();
      } while (n === BATCH && !this.stopped);
      await this.cleanup();
    } catch (e) {
      // NATS down or the database busy: the rows stay pending; the sweep retries.
      this.log.warn({ msg: 'outbox relay pass failed; will retry', err: (e as Error).message });
    }
  }

  /**
   * One batch: claim up to BATCH rows, publish them all at once (every publish in flight together;
   * JetStream's msgID dedupe makes a re-publish after a crash harmless), mark them sent in one
   * statement.
   */
  private async publishBatch(): Promise<number> {
    const table = `"${this.options.schema}"."outbox"`;
    // A transaction of its own (the relay's batch lock), never a caller's.
    return this.txHost.withTransaction(Propagation.RequiresNew, async () => {
      const m = this.txHost.tx;
      const rows: PendingRow[] = await m.query(
        `SELECT id, subject, envelope::text AS envelope, headers FROM ${table}
          WHERE published_at IS NULL ORDER BY seq LIMIT $1 FOR UPDATE SKIP LOCKED`,
        [BATCH],
      );
      if (rows.length === 0) return 0;
      await Promise.all(
        rows.map((r) =>
          inProducerTrace(
            r.headers ?? {},
            `${r.subject} publish`,
            { 'messaging.system': 'nats', 'messaging.destination.name': r.subject, 'messaging.message.id': r.id },
            (headers) => {
              const h = natsHeaders();
              for (const [k, v] of Object.entries(headers)) h.set(k, v);
              return this.js.publish(r.subject, r.envelope, { msgID: r.id, headers: h, timeout: 5000 });
            },
          ),
        ),
      );
      await m.query(`UPDATE ${table} SET published_at = now() WHERE id = ANY($1::uuid[])`, [rows.map((r) => r.id)]);
      this.metrics.published.inc(rows.length);
      return rows.length;
    });
  }

  private async cleanup(): Promise<void> {
    const now = Date.now();
    if (now - this.lastCleanup < 60_000) return;
    this.lastCleanup = now;
    await this.dataSource.query(`DELETE FROM "${this.options.schema}"."outbox" WHERE published_at IS NOT NULL AND published_at < $1`, [
      new Date(now - KEEP_PUBLISHED_MS),
    ]);
  }
}
