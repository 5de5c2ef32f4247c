import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { headers as natsHeaders, JetStreamClient, NatsConnection } from 'nats';
import { DataSource, QueryRunner } from 'typeorm';
import { Propagation, TransactionHost } from '@nestjs-cls/transactional';
import { TxHost } from '../database/transactions';
import { BUS_OPTIONS, BusOptions, NATS_CONNECTION } from './bus.tokens';
import { jetStreamOptions } from './jetstream';
import { BusMetrics } from './bus.metrics';
import { inProducerTrace } from '../logging/trace';

interface PendingRow {
  id: string;
  subject: string;
  type: string;
  /** The stored JSON as text (`envelope::text`): published as it is, not parsed and re-serialised. */
  envelope: string;
  headers: Record<string, string>;
}

const BATCH = 200;
/** A row JetStream refused waits this long before it is tried again, doubling up to the most. */
const REFUSED_RETRY_MAX_MS = 60_000;
/** Refused rows remembered at most (beyond, the oldest is forgotten and simply tried again). */
const REFUSED_KEPT = 1_000;
const KEEP_PUBLISHED_MS = 24 * 3600 * 1000;

/**
 * Publishes committed outbox rows to JetStream and marks them sent. Rows are claimed with
 * `FOR UPDATE SKIP LOCKED`, so several replicas share the work. The process's own `Outbox` wakes it
 * when rows it wrote are committed (`written`): at once after a statement outside a transaction, else
 * when the transaction that wrote them commits. A periodic sweep (BUS_SWEEP_MS) catches the rest:
 * rows another process wrote without a relay of its own (a seed script, a restore marking rows
 * unpublished), and rows a failed pass (NATS down) left behind.
 *
 * It used to be woken by LISTEN/NOTIFY. A NOTIFY takes a database-wide lock at commit that it holds
 * until the commit is flushed, so every writing transaction waited on the one before it (no group
 * commit), and Postgres signalled the listener for each; the writer is always in the relay's own
 * process, so a call does the same for nothing.
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
  /** Rows JetStream refused, by id: left out of the batches until `until`, then tried again. */
  private readonly refused = new Map<string, { until: number; delayMs: number }>();
  /** The query runners whose open transaction wrote outbox rows: a pass when it commits. */
  private readonly uncommitted = new WeakSet<QueryRunner>();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(NATS_CONNECTION) nc: NatsConnection,
    @Inject(BUS_OPTIONS) private readonly options: BusOptions,
    private readonly metrics: BusMetrics,
    @Inject(TransactionHost) private readonly txHost: TxHost,
  ) {
    this.js = nc.jetstream(jetStreamOptions(options.jsDomain));
    dataSource.subscribers.push({
      // A released savepoint is not the commit (the runner's transaction is still open); a rollback
      // of the whole transaction took its rows with it.
      afterTransactionCommit: ({ queryRunner }) => {
        if (!queryRunner.isTransactionActive && this.uncommitted.delete(queryRunner)) this.wake();
      },
      afterTransactionRollback: ({ queryRunner }) => {
        if (!queryRunner.isTransactionActive) this.uncommitted.delete(queryRunner);
      },
    });
  }

  /**
   * The `Outbox` wrote rows through `runner`: a pass now if that was no transaction (the statement is
   * committed), else when its transaction commits.
   */
  written(runner: QueryRunner | undefined): void {
    if (runner?.isTransactionActive) this.uncommitted.add(runner);
    else this.wake();
  }

  async onApplicationBootstrap(): Promise<void> {
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
   * JetStream's msgID dedupe makes a re-publish after a crash harmless), mark those JetStream took
   * sent in one statement. A row it refused while it took others (a subject this service may not
   * publish on, e.g. a new event type rolled out before the NATS accounts; a subject outside the
   * stream) stays pending, is counted (`jiesu_bus_publish_failed_total`) and logged, and is left out
   * of the batches for a while (the sweep interval, doubling to a minute) before it is tried again:
   * it never holds back the other events. When every publish failed (NATS down), the pass ends and
   * the sweep tries again, as before.
   */
  private async publishBatch(): Promise<number> {
    const table = `"${this.options.schema}"."outbox"`;
    // A transaction of its own (the relay's batch lock), never a caller's.
    return this.txHost.withTransaction(Propagation.RequiresNew, async () => {
      const m = this.txHost.tx;
      const now = Date.now();
      const waiting = [...this.refused].filter(([, r]) => r.until > now).map(([id]) => id);
      const rows: PendingRow[] = await m.query(
        `SELECT id, subject, type, envelope::text AS envelope, headers FROM ${table}
          WHERE published_at IS NULL ${waiting.length ? 'AND id <> ALL($2::uuid[])' : ''} ORDER BY seq LIMIT $1 FOR UPDATE SKIP LOCKED`,
        waiting.length ? [BATCH, waiting] : [BATCH],
      );
      if (rows.length === 0) return 0;
      const results = await Promise.allSettled(
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
      const sent = rows.filter((_, i) => results[i].status === 'fulfilled');
      const failed = rows.length - sent.length;
      if (sent.length) {
        await m.query(`UPDATE ${table} SET published_at = now() WHERE id = ANY($1::uuid[])`, [sent.map((r) => r.id)]);
        this.metrics.published.inc(sent.length);
      }
      for (const r of sent) this.refused.delete(r.id);
      if (failed) {
        const first = results.find((x): x is PromiseRejectedResult => x.status === 'rejected')!;
        const refused = rows.filter((_, i) => results[i].status === 'rejected');
        for (const r of refused) this.metrics.publishFailed.inc({ type: r.type });
        // Every publish failed: NATS is down or unreachable, not these rows; the sweep tries again.
        if (!sent.length) throw first.reason;
        for (const r of refused) this.holdBack(r.id, now);
        this.log.warn({
          msg: 'JetStream refused some outbox rows; they stay pending, the others are published',
          failed,
          published: sent.length,
          subjects: [...new Set(refused.map((r) => r.subject))].slice(0, 5),
          err: (first.reason as Error).message,
        });
      }
      return rows.length;
    });
  }

  /** Leave a refused row out of the batches for a while (doubling each time), so it holds back no other. */
  private holdBack(id: string, now: number): void {
    const delayMs = Math.min(REFUSED_RETRY_MAX_MS, Math.max(this.options.sweepMs, 2 * (this.refused.get(id)?.delayMs ?? 0)));
    this.refused.delete(id);
    if (this.refused.size >= REFUSED_KEPT) this.refused.delete(this.refused.keys().next().value!);
    this.refused.set(id, { until: now + delayMs, delayMs });
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
