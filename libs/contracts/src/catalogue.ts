import { HotspotProposedV1 } from './analytics/hotspot-proposed.v1';
import { CallbackCompletedV1 } from './callback/callback-completed.v1';
import { CallbackFailedV1 } from './callback/callback-failed.v1';
import { TicketClosedV1 } from './dispatch/ticket-closed.v1';
import { TicketContactedV1 } from './dispatch/ticket-contacted.v1';
import { TicketDispatchedV1 } from './dispatch/ticket-dispatched.v1';
import { TicketHeldForLeaderV1 } from './dispatch/ticket-held-for-leader.v1';
import { TicketExtensionRequestedV1 } from './dispatch/ticket-extension-requested.v1';
import { TicketRepliedV1 } from './dispatch/ticket-replied.v1';
import { TicketRedistrictedV1 } from './dispatch/ticket-redistricted.v1';
import { TicketReopenedV1 } from './dispatch/ticket-reopened.v1';
import { TicketReturnedV1 } from './dispatch/ticket-returned.v1';
import { TicketReviewedV1 } from './dispatch/ticket-reviewed.v1';
import { TicketSignedV1 } from './dispatch/ticket-signed.v1';
import { TicketAssignedV1 } from './dispatch/ticket-assigned.v1';
import { TicketAcceptedV1 } from './intake/ticket-accepted.v1';
import { TicketAnsweredV1 } from './intake/ticket-answered.v1';
import { TicketNotAcceptedV1 } from './intake/ticket-not-accepted.v1';
import { TicketMergedV1 } from './intake/ticket-merged.v1';
import { TicketSupplementedV1 } from './intake/ticket-supplemented.v1';
import { SlaBreachedV1 } from './sla/sla-breached.v1';
import { SlaClocksSetV1 } from './sla/sla-clocks-set.v1';
import { SlaEscalatedV1 } from './sla/sla-escalated.v1';
import { SlaExtensionDecidedV1 } from './sla/sla-extension-decided.v1';
import { SlaSupervisionClosedV1 } from './sla/sla-supervision-closed.v1';
import { SlaSupervisionOpenedV1 } from './sla/sla-supervision-opened.v1';
import { SlaUrgedV1 } from './sla/sla-urged.v1';
import { SlaWarningV1 } from './sla/sla-warning.v1';
import { CallbackSpotCheckedV1 } from './callback/callback-spot-checked.v1';
import { StaffMembershipChangedV1 } from './console/staff-membership-changed.v1';
import { CallbackOverdueV1 } from './callback/callback-overdue.v1';
import { CallbackExpiryCheckedV1 } from './callback/callback-expiry-checked.v1';
import { NotificationCreatedV1 } from './notify/notification-created.v1';
import { CategoryChangedV1 } from './intake/category-changed.v1';

/**
 * The event catalogue: event type → payload class. The type is the subject's tail
 * (`hotline.<district>.<type>`), so adding a message is adding one line here (see docs/contracts.md).
 */
export const EVENT_CATALOGUE = {
  'ticket.accepted.v1': TicketAcceptedV1,
  'ticket.answered.v1': TicketAnsweredV1,
  'ticket.not-accepted.v1': TicketNotAcceptedV1,
  'ticket.merged.v1': TicketMergedV1,
  'ticket.supplemented.v1': TicketSupplementedV1,
  'ticket.dispatched.v1': TicketDispatchedV1,
  'ticket.signed.v1': TicketSignedV1,
  'ticket.assigned.v1': TicketAssignedV1,
  'ticket.contacted.v1': TicketContactedV1,
  'ticket.returned.v1': TicketReturnedV1,
  'ticket.extension-requested.v1': TicketExtensionRequestedV1,
  'ticket.replied.v1': TicketRepliedV1,
  'ticket.reviewed.v1': TicketReviewedV1,
  'ticket.reopened.v1': TicketReopenedV1,
  'ticket.closed.v1': TicketClosedV1,
  'ticket.redistricted.v1': TicketRedistrictedV1,
  'ticket.held-for-leader.v1': TicketHeldForLeaderV1,
  'sla.clocks-set.v1': SlaClocksSetV1,
  'sla.warning.v1': SlaWarningV1,
  'sla.breached.v1': SlaBreachedV1,
  'sla.escalated.v1': SlaEscalatedV1,
  'sla.extension-decided.v1': SlaExtensionDecidedV1,
  'sla.supervision-opened.v1': SlaSupervisionOpenedV1,
  'sla.supervision-closed.v1': SlaSupervisionClosedV1,
  'sla.urged.v1': SlaUrgedV1,
  'callback.completed.v1': CallbackCompletedV1,
  'callback.failed.v1': CallbackFailedV1,
  'hotspot.proposed.v1': HotspotProposedV1,
  'callback.spot-checked.v1': CallbackSpotCheckedV1,
  'staff.membership-changed.v1': StaffMembershipChangedV1,
  'callback.overdue.v1': CallbackOverdueV1,
  'callback.expiry-checked.v1': CallbackExpiryCheckedV1,
  'notification.created.v1': NotificationCreatedV1,
  'category.changed.v1': CategoryChangedV1,
} as const;

export type EventType = keyof typeof EVENT_CATALOGUE;

/** Subject tail → payload type. `publish<T extends EventType>(type: T, data: ContractMap[T])`. */
export type ContractMap = {
  [K in EventType]: InstanceType<(typeof EVENT_CATALOGUE)[K]>;
};

export const EVENT_TYPES = Object.keys(EVENT_CATALOGUE) as EventType[];

/** The events not necessarily about one order: their envelope's `ticketId` may be null. Every other event names its order. */
export const NON_TICKET_EVENT_TYPES = [
  'hotspot.proposed.v1',
  'staff.membership-changed.v1',
  'notification.created.v1',
  'category.changed.v1',
] as const;
export type NonTicketEventType = (typeof NON_TICKET_EVENT_TYPES)[number];
/** The events about one order: `ticketId` is always set (the consumers validate it). */
export type TicketEventType = Exclude<EventType, NonTicketEventType>;

export function isTicketEventType(type: string): type is TicketEventType {
  return isEventType(type) && !(NON_TICKET_EVENT_TYPES as readonly string[]).includes(type);
}

export function isEventType(value: string): value is EventType {
  return Object.prototype.hasOwnProperty.call(EVENT_CATALOGUE, value);
}

/** The version number is the `vN` suffix of the type. */
export function versionOf(type: EventType): number {
  return Number(type.slice(type.lastIndexOf('.v') + 2));
}

/** Default first subject token; deployments (and test runs) may use another to stay apart. */
export const DEFAULT_SUBJECT_PREFIX = 'hotline';

/** `hotline.630104.ticket.accepted.v1`: the district code is always the second token. */
export function subjectFor(prefix: string, district: string, type: EventType): string {
  return `${prefix}.${district}.${type}`;
}

/** A filter for one event type across the districts given (`*` = all districts). */
export function subjectFilter(prefix: string, district: string, type: EventType | '>'): string {
  return `${prefix}.${district}.${type}`;
}

/** Parse a subject back into its parts; null if it is not one of ours. */
export function parseSubject(subject: string): { prefix: string; district: string; type: string } | null {
  const m = /^([A-Za-z0-9_-]+)\.(\d{6})\.(.+)$/.exec(subject);
  return m ? { prefix: m[1], district: m[2], type: m[3] } : null;
}
