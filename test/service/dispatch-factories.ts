import {
  EventEnvelope,
  CallbackChannel,
  Channel,
  ContactMethod,
  ReplyOutcome,
  RequestType,
  ReviewDecision,
  Satisfaction,
  TicketFlag,
  Urgency,
} from '@app/contracts';
import { loadConfig, Principal } from '@app/platform';
import { ServiceTier, serviceTier, strictFake } from '@app/platform/testing';
import { Provider } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DISPATCH_CONFIG, DispatchConfig } from '../../apps/dispatch/src/dispatch.config';
import { DISPATCH_PERSISTENCE } from '../../apps/dispatch/src/dispatch.persistence';
import { MembershipRepository } from '../../apps/dispatch/src/membership/membership.repository';
import { MembershipService } from '../../apps/dispatch/src/membership/membership.service';
import { OrgRepository } from '../../apps/dispatch/src/org/org.repository';
import { unitIdFor } from '../../apps/dispatch/src/org/unit-id';
import { RoutingRepository } from '../../apps/dispatch/src/routing/routing.repository';
import { RoutingService } from '../../apps/dispatch/src/routing/routing.service';
import { CitizenContacts } from '../../apps/dispatch/src/workflow/citizen-contact';
import { DispatcherStepsService } from '../../apps/dispatch/src/workflow/dispatcher-steps.service';
import { DistrictTransferService } from '../../apps/dispatch/src/workflow/district-transfer.service';
import { JointService } from '../../apps/dispatch/src/workflow/joint.service';
import { OrderSteps } from '../../apps/dispatch/src/workflow/order-steps';
import { UnitStepsService } from '../../apps/dispatch/src/workflow/unit-steps.service';
import { TimelineEntry, WorkOrder } from '../../apps/dispatch/src/workflow/work-order.entity';
import { WorkflowRepository } from '../../apps/dispatch/src/workflow/workflow.repository';
import { WorkflowService } from '../../apps/dispatch/src/workflow/workflow.service';
import { DEMO_USERS } from '../../scripts/demo-users';

/** Dispatch's workflow with its real repositories; intake's contact query (over NATS) is a strict fake. */
export const DISPATCH_STEPS: Provider[] = [
  { provide: DISPATCH_CONFIG, useValue: loadConfig(DispatchConfig, {}) },
  { provide: CitizenContacts, useValue: strictFake<CitizenContacts>('CitizenContacts') },
  OrgRepository,
  RoutingRepository,
  RoutingService,
  MembershipRepository,
  MembershipService,
  WorkflowRepository,
  OrderSteps,
  WorkflowService,
  UnitStepsService,
  DispatcherStepsService,
  DistrictTransferService,
  JointService,
];

export function dispatchTier(): Promise<ServiceTier> {
  return serviceTier({ service: 'dispatch', persistence: DISPATCH_PERSISTENCE, providers: DISPATCH_STEPS });
}

export const CHENGXI = '630104';
export const CHENGBEI = '630105';
export const unit = {
  market: unitIdFor('630104-dept-market_regulation'),
  environment: unitIdFor('630104-dept-ecology_environment'),
  tourism: unitIdFor('630104-dept-culture_tourism'),
  labour: unitIdFor('630104-dept-human_resources'),
  chengbeiMarket: unitIdFor('630105-dept-market_regulation'),
  chengbeiCityManagement: unitIdFor('630105-dept-city_management'),
};
export const people: Record<string, Principal> = {
  ...DEMO_USERS,
  tourismHead: { id: 'head-630104-tourism', roles: ['unit_head'], districts: [CHENGXI], units: [unit.tourism] },
  environmentHead: { id: 'head-630104-env', roles: ['unit_head'], districts: [CHENGXI], units: [unit.environment] },
};

let orderSeq = 0;

/**
 * intake's `ticket.accepted.v1` handled by dispatch, as the consumer host would: the order is
 * created and routed by the district's rules. Default: a lift complaint in Chengxi (→ the
 * market-regulation bureau).
 */
export async function accept(tier: ServiceTier, o: AcceptedOptions = {}): Promise<string> {
  const e = acceptedEvent(tier, o);
  await tier.transaction(() => tier.get(WorkflowService).onAccepted(e));
  return e.ticketId;
}

export interface AcceptedOptions {
  district?: string;
  category?: string;
  flags?: TicketFlag[];
  proactive?: boolean;
  streetCode?: string;
}

/** intake's `ticket.accepted.v1` for a new order (`accept`'s event, not yet handled). */
export function acceptedEvent(tier: ServiceTier, o: AcceptedOptions = {}): EventEnvelope<'ticket.accepted.v1'> {
  const ticketId = randomUUID();
  const district = o.district ?? CHENGXI;
  return tier.event('ticket.accepted.v1', {
    ticketId,
    district,
    producer: 'intake',
    data: {
      orderNo: `20260302-${String(++orderSeq).padStart(6, '0')}`,
      channel: Channel.Phone,
      requestType: RequestType.Complaint,
      categoryCode: o.category ?? 'lift',
      urgency: Urgency.Ordinary,
      content: '电梯忽上忽下',
      location: { address: '西宁市城西区胜利路12号', districtCode: district, ...(o.streetCode ? { streetCode: o.streetCode } : {}) },
      identityHidden: false,
      proactive: o.proactive ?? false,
      flags: o.flags ?? [],
      acceptedAt: tier.clock.now().toISOString(),
    },
  });
}

export async function orderOf(tier: ServiceTier, ticketId: string): Promise<WorkOrder> {
  const o = await tier.get(WorkflowRepository).find(ticketId);
  if (!o) throw new Error(`no order ${ticketId}`);
  return o;
}

export function timelineOf(tier: ServiceTier, ticketId: string): Promise<TimelineEntry[]> {
  return tier.get(WorkflowRepository).timeline(ticketId);
}

export async function lastEntry(tier: ServiceTier, ticketId: string): Promise<TimelineEntry> {
  const t = await timelineOf(tier, ticketId);
  return t[t.length - 1];
}

/** A Chengxi lift order the market-regulation bureau signed for and replied to (cycle 1). */
export async function repliedOrder(tier: ServiceTier, o: Parameters<typeof accept>[1] = {}): Promise<string> {
  const id = await accept(tier, o);
  const u = tier.get(UnitStepsService);
  await u.sign(people.handlerMarket, id);
  await u.contact(people.handlerMarket, id, { method: ContactMethod.Phone });
  await u.reply(people.handlerMarket, id, { outcome: ReplyOutcome.Resolved, replyText: '已督促物业检修电梯' });
  return id;
}

/** ... and approved by the Chengxi dispatcher: awaiting the callback. */
export async function awaitingCallback(tier: ServiceTier, o: Parameters<typeof accept>[1] = {}): Promise<string> {
  const id = await repliedOrder(tier, o);
  await tier.get(DispatcherStepsService).review(people.dispatcher, id, { decision: ReviewDecision.Approved });
  return id;
}

/** callback's verdict on the order's current cycle, handled by dispatch. */
export async function callbackCompleted(
  tier: ServiceTier,
  ticketId: string,
  verdict: { resolved: boolean; satisfaction: Satisfaction },
): Promise<void> {
  const order = await orderOf(tier, ticketId);
  const e = tier.event('callback.completed.v1', {
    ticketId,
    district: order.districtCode,
    producer: 'callback',
    data: {
      taskId: randomUUID(),
      unitId: order.unitId!,
      cycle: order.cycle,
      contacted: true,
      ...verdict,
      channel: CallbackChannel.Phone,
      completedAt: tier.clock.now().toISOString(),
    },
  });
  await tier.transaction(() => tier.get(WorkflowService).onCallbackCompleted(e));
}
