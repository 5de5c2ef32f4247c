import { ClockKind, EventEnvelope } from '@app/contracts';
import { CLOCK, Clock } from '@app/platform';
import { Inject, Injectable } from '@nestjs/common';
import { PolicyCache } from '../policies/policy-cache';
import { SupervisionService } from '../supervision/supervision.service';
import { ClockSchedules } from './clock-schedules.service';
import { ClocksRepository } from './clocks.repository';
import { applyDispatch } from './reassign';

/** 转办 / an accepted return: a dispatch of a cycle whose clocks exist hands them to the new unit. */
@Injectable()
export class ClockReassignmentService {
  constructor(
    private readonly clocks: ClocksRepository,
    private readonly policyCache: PolicyCache,
    private readonly schedules: ClockSchedules,
    private readonly supervision: SupervisionService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /**
   * The clocks keep running from the cycle's first dispatch, but name the unit that holds the order
   * now (reassign.ts: a late older dispatch never takes them back; a clock stopped before the
   * re-dispatch keeps its unit), and the cycle's open supervision items follow the finish clock's
   * unit. Only when the first dispatch itself arrives after a re-dispatch does a clock's start move
   * (back), and its due time with it.
   */
  async onRedispatched(e: EventEnvelope<'ticket.dispatched.v1'>): Promise<void> {
    const d = e.data;
    const dispatch = { unitId: d.unitId, at: new Date(d.dispatchedAt) };
    const cycle = await this.clocks.ofCycle(e.ticketId, d.cycle);
    let moved = false;
    for (const c of cycle) {
      const r = applyDispatch(c, dispatch);
      if (!r) continue;
      const restarted = r.startedAt.getTime() !== c.startedAt.getTime();
      Object.assign(c, r);
      await this.clocks.reassign(c);
      if (!restarted) continue;
      // One clock that cannot be recomputed (its policy row gone) is recorded; the hand-over still applies.
      await this.schedules.isolated(c, 'event', this.clock.now(), async () => {
        moved = this.schedules.recompute(c, await this.policyCache.get(c.policyId), this.clock.now()).changed || moved;
        await this.clocks.updateState(c);
      });
    }
    const finish = cycle.find((c) => c.kind === ClockKind.Finish);
    if (!finish) return;
    // One announcement for the cycle once both clocks are written, so dispatch never keeps a half-moved pair.
    if (moved) await this.schedules.announceCycle(finish);
    const name = finish.unitId === d.unitId ? d.unitName : null;
    await this.supervision.onReassigned(e.ticketId, d.cycle, finish.unitId, name, dispatch.at);
  }
}
