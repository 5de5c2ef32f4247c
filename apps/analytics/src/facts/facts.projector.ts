import { EventEnvelope } from '@app/contracts';
import { Inject, Injectable } from '@nestjs/common';
import { ANALYTICS_CONFIG, AnalyticsConfig } from '../analytics.config';
import { contributions, OrderForRollup, rollupDelta } from '../rollups/rollup';
import { effectOf, FactChange } from './fact-effects';
import { FactsRepository } from './facts.repository';

/**
 * The read model's projection, one event per transaction (the live consumers): how each event lands
 * in the fact tables is `effectOf` (fact-effects.ts), shared with the replay's batch projector.
 * Built only from events, so replaying the stream from its first message rebuilds it.
 */
@Injectable()
export class FactsProjector {
  constructor(
    private readonly facts: FactsRepository,
    @Inject(ANALYTICS_CONFIG) private readonly config: AnalyticsConfig,
  ) {}

  /**
   * Every event lands in the daily volume rollup; the ones that carry facts also in the fact tables.
   * A fact change locks and reads the order (one statement), changes it (its write returns what it
   * wrote, so nothing is read twice), and moves the daily rollup by the difference together with
   * the event's count (one statement).
   */
  async project(e: EventEnvelope): Promise<void> {
    const effect = effectOf(e);
    if (effect.unitName) await this.facts.upsertUnitName(effect.unitName);
    if (!effect.change) return this.facts.applyRollupDelta([], e);
    const change = effect.change;
    const zone = this.config.CITY_TIME_ZONE;
    const before = await this.facts.lockOrder(change.ticketId, change.district);
    const after = await this.apply(change, before);
    const delta = rollupDelta(contributions(before.fact, before.callbacks, zone), contributions(after.fact, after.callbacks, zone));
    await this.facts.applyRollupDelta(delta, e);
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
