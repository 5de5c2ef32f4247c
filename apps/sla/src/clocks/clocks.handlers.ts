import { EventEnvelope } from '@app/contracts';
import { BatchWorkKey, currentTrace, HandlerContext, OnEvent } from '@app/platform';
import { Injectable } from '@nestjs/common';
import { SupervisionService } from '../supervision/supervision.service';
import { ClockLifecycleService, Dispatch } from './clock-lifecycle.service';

@Injectable()
export class ClocksHandlers {
  /**
   * A batch's dispatches, applied together at its end (ClockLifecycleService.onDispatchedAll), each
   * one's supervision right after its clocks, in its message's trace.
   */
  private readonly dispatches = BatchWorkKey.collecting<Dispatch>('sla dispatches', async (dispatches) => {
    await this.clocks.onDispatchedAll(dispatches, async (e, flags) => {
      if (flags) await this.supervision.onDispatched({ ...e, data: { ...e.data, flags } });
    });
  });

  constructor(
    private readonly clocks: ClockLifecycleService,
    private readonly supervision: SupervisionService,
  ) {}

  /**
   * Clocks start, and a repeat or concentrated request (双交办) goes on the supervision list, by the
   * dispatch's flags and those of merges sla saw before it; a re-dispatch in the same cycle (转办, an
   * accepted return) moves the clocks and the open items to the new unit instead, and never reopens
   * a 双交办 item a supervisor has closed. Applied at the end of the batch, with the message's trace
   * kept for what it publishes then.
   */
  @OnEvent('ticket.dispatched.v1')
  async dispatched(e: EventEnvelope<'ticket.dispatched.v1'>, ctx: HandlerContext): Promise<void> {
    ctx.batch.work(this.dispatches).items.push({ event: e, trace: currentTrace() });
  }

  /**
   * 合并: a merge that makes the order 双交办 moves its running clocks to the flagged policy and puts
   * it on the supervision list; before its dispatch, its flags are kept for the dispatch.
   */
  @OnEvent('ticket.merged.v1')
  async merged(e: EventEnvelope<'ticket.merged.v1'>): Promise<void> {
    await this.clocks.onMerged(e);
    await this.supervision.onMerged(e);
  }

  @OnEvent('ticket.contacted.v1')
  contacted(e: EventEnvelope<'ticket.contacted.v1'>): Promise<void> {
    return this.clocks.onContacted(e);
  }

  @OnEvent('ticket.replied.v1')
  replied(e: EventEnvelope<'ticket.replied.v1'>): Promise<void> {
    return this.clocks.onReplied(e);
  }

  @OnEvent('ticket.reviewed.v1')
  reviewed(e: EventEnvelope<'ticket.reviewed.v1'>): Promise<void> {
    return this.clocks.onReviewed(e);
  }

  @OnEvent('ticket.reopened.v1')
  reopened(e: EventEnvelope<'ticket.reopened.v1'>): Promise<void> {
    return this.clocks.onReopened(e);
  }

  @OnEvent('ticket.closed.v1')
  closed(e: EventEnvelope<'ticket.closed.v1'>): Promise<void> {
    return this.clocks.onClosed(e);
  }
}
