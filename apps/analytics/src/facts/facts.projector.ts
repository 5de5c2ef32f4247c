import { EventEnvelope } from '@app/contracts';
import { BatchWorkKey, HandlerContext } from '@app/platform';
import { Inject, Injectable } from '@nestjs/common';
import { ANALYTICS_CONFIG, AnalyticsConfig } from '../analytics.config';
import { countEvents } from '../rollups/rollup';
import { applyEffects, touchedBy } from './fact-batch';
import { effectOf } from './fact-effects';
import { FactsRepository } from './facts.repository';

/**
 * The read model's projection by the live consumers: how each event lands in the fact tables is
 * `effectOf` (fact-effects.ts), applied by `applyEffects` (fact-batch.ts), both shared with the
 * replay's batch projector. Built only from events, so replaying the stream from its first message
 * rebuilds it.
 *
 * The consumers apply a batch of events in one transaction (BUS_BATCH), one consumer per event type,
 * several batches at once, over the same orders, days and districts. So that they never deadlock,
 * a batch's handlers only collect its events; at the end of the batch (BatchScope) they are applied
 * together, and every transaction takes its rows in one global order: the orders' rows first, all
 * in one statement, in ticket order; then the unit names in unit order; then the daily volume
 * (`event_daily`) and the daily rollup (`rate_daily`) each once, in key order, with the sums of the
 * whole batch. A lone event is a batch of one, written the same way.
 */
@Injectable()
export class FactsProjector {
  private readonly batchWork = BatchWorkKey.collecting<EventEnvelope>('analytics facts', (events) => this.projectAll(events));

  constructor(
    private readonly facts: FactsRepository,
    @Inject(ANALYTICS_CONFIG) private readonly config: AnalyticsConfig,
  ) {}

  /**
   * Project `e` in the current transaction: at the end of its batch when the bus gives one
   * (`ctx.batch`), at once otherwise.
   */
  async project(e: EventEnvelope, ctx?: HandlerContext): Promise<void> {
    if (!ctx) return this.projectAll([e]);
    ctx.batch.work(this.batchWork).items.push(e);
  }

  /**
   * Apply events (in stream order) in the current transaction. Every event is counted in the daily
   * volume; the orders the events change are created if new and locked, all in one statement, and
   * read with their callbacks; the events are applied to them in memory (`applyEffects`, as the
   * replay applies them), and each changed row is written once, all in one statement; the rollup
   * moves by each order's contributions after − before, summed over the batch and written once. A
   * batch costs the same few statements however many events it holds.
   */
  async projectAll(events: EventEnvelope[]): Promise<void> {
    if (!events.length) return;
    const zone = this.config.CITY_TIME_ZONE;
    const effects = events.map(effectOf);
    const { districts, taskIds } = touchedBy(effects);
    const { orders, knownTasks } = await this.facts.lockOrders(districts, taskIds);
    const { units, newCallbacks, delta } = applyEffects(effects, orders, knownTasks, NONE_CREATED, zone);
    await this.facts.updateFacts([...orders.values()].filter((o) => o.changed).map((o) => o.fact));
    await this.facts.insertCallbacks(newCallbacks);
    await this.facts.upsertUnitNames(units);
    await this.facts.addEventCounts(countEvents(events, zone));
    await this.facts.addToRollup(delta);
  }
}

/** The live projector creates every order's row when it locks it: none is created by the batch itself. */
const NONE_CREATED: ReadonlySet<string> = new Set();
