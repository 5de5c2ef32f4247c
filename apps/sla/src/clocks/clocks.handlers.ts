import {
  EventEnvelope,
  TicketClosedV1,
  TicketContactedV1,
  TicketDispatchedV1,
  TicketRepliedV1,
  TicketReopenedV1,
  TicketReviewedV1,
} from '@app/contracts';
import { OnEvent } from '@app/platform';
import { Injectable } from '@nestjs/common';
import { SupervisionService } from '../supervision/supervision.service';
import { ClocksService } from './clocks.service';

@Injectable()
export class ClocksHandlers {
  constructor(
    private readonly clocks: ClocksService,
    private readonly supervision: SupervisionService,
  ) {}

  /**
   * Clocks start, and a repeat or concentrated request (双交办) goes on the supervision list; a
   * re-dispatch in the same cycle (转办, an accepted return) moves the clocks and the open items to
   * the new unit instead, and never reopens a 双交办 item a supervisor has closed.
   */
  @OnEvent('ticket.dispatched.v1')
  async dispatched(e: EventEnvelope<TicketDispatchedV1>): Promise<void> {
    if (await this.clocks.onDispatched(e)) await this.supervision.onDispatched(e);
  }

  @OnEvent('ticket.contacted.v1')
  contacted(e: EventEnvelope<TicketContactedV1>): Promise<void> {
    return this.clocks.onContacted(e);
  }

  @OnEvent('ticket.replied.v1')
  replied(e: EventEnvelope<TicketRepliedV1>): Promise<void> {
    return this.clocks.onReplied(e);
  }

  @OnEvent('ticket.reviewed.v1')
  reviewed(e: EventEnvelope<TicketReviewedV1>): Promise<void> {
    return this.clocks.onReviewed(e);
  }

  @OnEvent('ticket.reopened.v1')
  reopened(e: EventEnvelope<TicketReopenedV1>): Promise<void> {
    return this.clocks.onReopened(e);
  }

  @OnEvent('ticket.closed.v1')
  closed(e: EventEnvelope<TicketClosedV1>): Promise<void> {
    return this.clocks.onClosed(e);
  }
}
