import { Injectable } from '@nestjs/common';
import { Counter, Histogram } from 'prom-client';
import { MetricsRegistry } from '../metrics/metrics.registry';

@Injectable()
export class BusMetrics {
  readonly published: Counter;
  readonly publishFailed: Counter<'type'>;
  readonly consumed: Counter<'consumer' | 'outcome'>;
  readonly handlerSeconds: Histogram<'consumer'>;
  readonly batchMessages: Histogram<'consumer'>;
  readonly batchFallbacks: Counter<'consumer' | 'kind'>;

  constructor(registry: MetricsRegistry) {
    this.published = new Counter({
      name: 'jiesu_bus_published_total',
      help: 'Events published from the outbox to JetStream',
      registers: [registry.registry],
    });
    this.publishFailed = new Counter({
      name: 'jiesu_bus_publish_failed_total',
      help: 'Outbox rows JetStream did not take when published, by event type (left pending, published again at the next sweep)',
      labelNames: ['type'],
      registers: [registry.registry],
    });
    this.consumed = new Counter({
      name: 'jiesu_bus_consumed_total',
      help: 'Events consumed, by consumer and outcome (applied, duplicate, retried, dead_lettered)',
      labelNames: ['consumer', 'outcome'],
      registers: [registry.registry],
    });
    this.handlerSeconds = new Histogram({
      name: 'jiesu_bus_handler_seconds',
      help: 'Time spent applying one event (in a batch: its share of the batch)',
      labelNames: ['consumer'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry.registry],
    });
    this.batchMessages = new Histogram({
      name: 'jiesu_bus_batch_messages',
      help: 'Valid messages per batch a consumer took (applied in one transaction when more than one)',
      labelNames: ['consumer'],
      buckets: [1, 2, 4, 8, 16, 32, 64, 128],
      registers: [registry.registry],
    });
    this.batchFallbacks = new Counter({
      name: 'jiesu_bus_batch_fallbacks_total',
      help: 'Batches whose transaction failed: a failing message set aside (set_aside) or the rest applied one by one (one_by_one)',
      labelNames: ['consumer', 'kind'],
      registers: [registry.registry],
    });
  }
}
