import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Registry } from 'prom-client';

/**
 * The event-loop delay histogram samples every 50 ms. prom-client's default, 10 ms, is a timer that
 * wakes the process 100 times a second whatever it is doing: about 2 ms of CPU a second on the
 * bench's host, a fifth of what an idle service spends (bench/README.md, "what an idle service
 * costs"). A block of the loop shorter than 50 ms can fall between two samples; any longer one is
 * measured whole (the lag alert is at 0.5 s).
 */
const EVENT_LOOP_SAMPLE_MS = 50;

/** One registry per app (several apps may share a process in tests). */
@Injectable()
export class MetricsRegistry {
  readonly registry = new Registry();

  constructor() {
    collectDefaultMetrics({ register: this.registry, eventLoopMonitoringPrecision: EVENT_LOOP_SAMPLE_MS });
  }
}
