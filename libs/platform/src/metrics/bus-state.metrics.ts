import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { JetStreamManager, NatsConnection } from 'nats';
import { Gauge } from 'prom-client';
import { DataSource } from 'typeorm';
import { BUS_OPTIONS, BusOptions, NATS_CONNECTION } from '../bus/bus.tokens';
import { ConsumerHost } from '../bus/consumer-host';
import { jetStreamOptions } from '../bus/jetstream';
import { MetricsRegistry } from './metrics.registry';
import { scrapeSnapshot } from './scrape-snapshot';

interface DbState {
  outboxPending: number;
  outboxOldestAgeSeconds: number;
  deadLetters: { consumer: string; reason: string; count: number }[];
}

interface ConsumerState {
  durable: string;
  pending: number;
  ackPending: number;
  redelivered: number;
}

/**
 * The bus as an operator needs to see it, read at each scrape: outbox rows not yet published and
 * the age of the oldest (the relay is stuck or NATS unreachable), open dead letters per durable and
 * reason, and each durable's JetStream state (messages not yet delivered, delivered but not acked,
 * redelivered). One database query and one consumer-info request per durable per scrape.
 */
@Injectable()
export class BusStateMetrics {
  private jsm?: Promise<JetStreamManager>;

  constructor(
    registry: MetricsRegistry,
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
    @Inject(BUS_OPTIONS) private readonly options: BusOptions,
    private readonly host: ConsumerHost,
  ) {
    const registers = [registry.registry];
    const db = scrapeSnapshot(() => this.readDb());
    const js = scrapeSnapshot(() => this.readConsumers());
    new Gauge({
      name: 'jiesu_outbox_pending',
      help: 'Outbox rows written but not yet published to JetStream',
      registers,
      async collect() {
        const s = await db();
        if (s) this.set(s.outboxPending);
      },
    });
    new Gauge({
      name: 'jiesu_outbox_oldest_pending_age_seconds',
      help: 'Age of the oldest outbox row not yet published (0 when none waits)',
      registers,
      async collect() {
        const s = await db();
        if (s) this.set(s.outboxOldestAgeSeconds);
      },
    });
    new Gauge({
      name: 'jiesu_dead_letters_open',
      help: 'Dead letters not replayed yet, by durable consumer and reason',
      labelNames: ['consumer', 'reason'],
      registers,
      async collect() {
        const s = await db();
        if (!s) return;
        this.reset();
        for (const d of s.deadLetters) this.set({ consumer: d.consumer, reason: d.reason }, d.count);
      },
    });
    const perConsumer = (name: string, help: string, pick: (c: ConsumerState) => number) =>
      new Gauge({
        name,
        help,
        labelNames: ['consumer'],
        registers,
        async collect() {
          const s = await js();
          if (!s) return;
          this.reset();
          for (const c of s) this.set({ consumer: c.durable }, pick(c));
        },
      });
    perConsumer(
      'jiesu_bus_consumer_pending',
      'Messages in the stream a durable consumer has not been delivered yet (its backlog)',
      (c) => c.pending,
    );
    perConsumer('jiesu_bus_consumer_ack_pending', 'Messages delivered to a durable consumer and not acknowledged yet', (c) => c.ackPending);
    perConsumer(
      'jiesu_bus_consumer_redelivered',
      'Messages of a durable consumer delivered more than once and not acknowledged yet (handlers failing or too slow)',
      (c) => c.redelivered,
    );
  }

  private async readDb(): Promise<DbState> {
    const schema = `"${this.options.schema}"`;
    const [o] = await this.dataSource.query<{ pending: string; age: string | null }[]>(
      `SELECT count(*) AS pending, extract(epoch FROM now() - min(created_at)) AS age
         FROM ${schema}.outbox WHERE published_at IS NULL`,
    );
    const dead = await this.dataSource.query<{ consumer: string; reason: string; count: string }[]>(
      `SELECT consumer, reason, count(*) AS count FROM ${schema}.dead_letter WHERE replayed_at IS NULL GROUP BY consumer, reason`,
    );
    return {
      outboxPending: Number(o.pending),
      outboxOldestAgeSeconds: Math.max(0, Number(o.age ?? 0)),
      deadLetters: dead.map((d) => ({ consumer: d.consumer, reason: d.reason, count: Number(d.count) })),
    };
  }

  private async readConsumers(): Promise<ConsumerState[]> {
    if (!this.host.consumers.length) return [];
    this.jsm ??= this.nc.jetstreamManager(jetStreamOptions(this.options.jsDomain));
    const jsm = await this.jsm.catch((e: unknown) => {
      this.jsm = undefined;
      throw e;
    });
    const out: ConsumerState[] = [];
    for (const r of this.host.consumers) {
      const info = await jsm.consumers.info(this.options.stream, r.durable).catch(() => undefined);
      if (info)
        out.push({ durable: r.durable, pending: info.num_pending, ackPending: info.num_ack_pending, redelivered: info.num_redelivered });
    }
    return out;
  }
}
