import { EventEnvelope } from '@app/contracts';
import { BatchWork, BatchWorkKey, HandlerContext } from '@app/platform';
import { Inject, Injectable } from '@nestjs/common';
import { ANALYTICS_CONFIG, AnalyticsConfig } from '../analytics.config';
import { addContributions, contributions, countEvents, Counts, OrderForRollup } from '../rollups/rollup';
import { effectOf, FactChange, UnitNameSeen } from './fact-effects';
import { FactsRepository } from './facts.repository';

/**
 * The read model's projection by the live consumers: how each event lands in the fact tables is
 * `effectOf` (fact-effects.ts), shared with the replay's batch projector. Built only from events, so
 * replaying the stream from its first message rebuilds it.
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
  private readonly batchWork = new BatchWorkKey('analytics facts', () => new FactsBatch(this));

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
    ctx.batch.work(this.batchWork).events.push(e);
  }

  /**
   * Apply events (in stream order) in the current transaction. Every event is counted in the daily
   * volume; the ones that carry facts change their order's rows, each order locked once (all of
   * them in one statement), its events applied in their order; the rollup moves by each order's
   * contributions after − before, summed over the batch and written once.
   */
  async projectAll(events: EventEnvelope[]): Promise<void> {
    if (!events.length) return;
    const zone = this.config.CITY_TIME_ZONE;
    const units: UnitNameSeen[] = [];
    const changes = new Map<string, FactChange[]>();
    for (const e of events) {
      const { unitName, change } = effectOf(e);
      if (unitName) units.push(unitName);
      if (change) {
        const id = change.ticketId.toLowerCase();
        const list = changes.get(id);
        if (list) list.push(change);
        else changes.set(id, [change]);
      }
    }

    const orders = await this.facts.lockOrders([...changes].map(([ticketId, list]) => ({ ticketId, districtCode: list[0].district })));
    const delta = new Map<string, Counts>();
    for (const [id, list] of changes) {
      const before = orders.get(id);
      if (!before) throw new Error(`order ${id} was not locked`);
      let after = before;
      for (const change of list) after = await this.apply(change, after);
      if (after === before) continue;
      addContributions(delta, contributions(before.fact, before.callbacks, zone), -1);
      addContributions(delta, contributions(after.fact, after.callbacks, zone), 1);
    }

    await this.facts.upsertUnitNames(units);
    await this.facts.addEventCounts(countEvents(events, zone));
    await this.facts.addToRollup(delta);
  }

  private async apply(change: FactChange, before: OrderForRollup): Promise<OrderForRollup> {
    switch (change.kind) {
      case 'merge':
        return { ...before, fact: await this.facts.upsertTicket(change.ticketId, change.district, change.values) };
      case 'move':
        return {
          ...before,
          fact: (await this.facts.moveDistrict(change.ticketId, change.district, change.streetCode, change.at)) ?? before.fact,
        };
      case 'callback': {
        const added = await this.facts.upsertCallback(change.row);
        return added ? { ...before, callbacks: [...before.callbacks, added] } : before;
      }
    }
  }
}

/** The events of one bus batch, projected together at its end. */
class FactsBatch implements BatchWork {
  readonly events: EventEnvelope[] = [];

  constructor(private readonly projector: FactsProjector) {}

  flush(): Promise<void> {
    return this.projector.projectAll(this.events);
  }
}
