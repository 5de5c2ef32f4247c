import { MetricsRegistry, scrapeSnapshot } from '@app/platform';
import { Injectable } from '@nestjs/common';
import { Gauge } from 'prom-client';
import { TasksRepository } from './tasks/tasks.repository';

/** callback's own series on /metrics: the agents' queue, read at each scrape. */
@Injectable()
export class CallbackMetrics {
  constructor(registry: MetricsRegistry, tasks: TasksRepository) {
    const registers = [registry.registry];
    const read = scrapeSnapshot(() => tasks.queueCounts());
    new Gauge({
      name: 'jiesu_callback_tasks_waiting',
      help: 'Callback tasks not finished, by kind (reply, first_contact, spot_check) and state (pending, claimed)',
      labelNames: ['kind', 'state'],
      registers,
      async collect() {
        const s = await read();
        if (!s) return;
        this.reset();
        for (const r of s) this.set({ kind: r.kind, state: r.state }, r.waiting);
      },
    });
    new Gauge({
      name: 'jiesu_callback_tasks_overdue',
      help: 'Callback tasks not finished whose due time has passed, by kind',
      labelNames: ['kind'],
      registers,
      async collect() {
        const s = await read();
        if (!s) return;
        this.reset();
        const byKind = new Map<string, number>();
        for (const r of s) byKind.set(r.kind, (byKind.get(r.kind) ?? 0) + r.overdue);
        for (const [kind, n] of byKind) this.set({ kind }, n);
      },
    });
  }
}
