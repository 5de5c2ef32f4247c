import { EventEnvelope } from '@app/contracts';
import { BatchWorkKey, HandlerContext, OnEvent } from '@app/platform';
import { Injectable } from '@nestjs/common';
import { DistrictTransferService } from './district-transfer.service';
import { Arrival } from './order-steps';
import { WorkflowService } from './workflow.service';

/** Bus edge of dispatch: maps events to the workflow, nothing more. */
@Injectable()
export class WorkflowHandlers {
  /** A batch's due times, applied together at its end (WorkflowService.onClocksSet). */
  private readonly clocksSet = BatchWorkKey.collecting<EventEnvelope<'sla.clocks-set.v1'>>('dispatch due times', (events) =>
    this.workflow.onClocksSet(events),
  );

  /** A batch's new orders, inserted together at its end (WorkflowService.commitArrivals). */
  private readonly arrivals = BatchWorkKey.collecting<Arrival>('dispatch new orders', (arrivals) => this.workflow.commitArrivals(arrivals));

  constructor(
    private readonly workflow: WorkflowService,
    private readonly transfers: DistrictTransferService,
  ) {}

  /** Routed in the event's handler (in its trace), written with the batch's other new orders at its end. */
  @OnEvent('ticket.accepted.v1')
  async onAccepted(e: EventEnvelope<'ticket.accepted.v1'>, ctx: HandlerContext): Promise<void> {
    ctx.batch.work(this.arrivals).items.push(await this.workflow.arrive(e));
  }

  @OnEvent('callback.completed.v1')
  onCallbackCompleted(e: EventEnvelope<'callback.completed.v1'>): Promise<void> {
    return this.workflow.onCallbackCompleted(e);
  }

  @OnEvent('callback.failed.v1')
  onCallbackFailed(e: EventEnvelope<'callback.failed.v1'>): Promise<void> {
    return this.workflow.onCallbackFailed(e);
  }

  @OnEvent('sla.extension-decided.v1')
  onExtensionDecided(e: EventEnvelope<'sla.extension-decided.v1'>): Promise<void> {
    return this.workflow.onExtensionDecided(e);
  }

  @OnEvent('sla.clocks-set.v1')
  async onClocksSet(e: EventEnvelope<'sla.clocks-set.v1'>, ctx: HandlerContext): Promise<void> {
    ctx.batch.work(this.clocksSet).items.push(e);
  }

  @OnEvent('ticket.redistricted.v1')
  onRedistricted(e: EventEnvelope<'ticket.redistricted.v1'>): Promise<void> {
    return this.transfers.onRedistricted(e);
  }

  @OnEvent('sla.supervision-opened.v1', 'sla.supervision-closed.v1')
  onSupervision(e: EventEnvelope<'sla.supervision-opened.v1'> | EventEnvelope<'sla.supervision-closed.v1'>): Promise<void> {
    return this.workflow.onSupervision(e);
  }

  @OnEvent('ticket.merged.v1')
  onMerged(e: EventEnvelope<'ticket.merged.v1'>): Promise<void> {
    return this.workflow.onMerged(e);
  }

  @OnEvent('ticket.supplemented.v1')
  onSupplemented(e: EventEnvelope<'ticket.supplemented.v1'>): Promise<void> {
    return this.workflow.onSupplemented(e);
  }

  @OnEvent('sla.urged.v1')
  onUrged(e: EventEnvelope<'sla.urged.v1'>): Promise<void> {
    return this.workflow.onUrged(e);
  }

  @OnEvent('sla.warning.v1', 'sla.breached.v1', 'sla.escalated.v1')
  onSlaAlert(e: EventEnvelope<'sla.warning.v1'> | EventEnvelope<'sla.breached.v1'> | EventEnvelope<'sla.escalated.v1'>): Promise<void> {
    return this.workflow.onSlaAlert(e);
  }
}
