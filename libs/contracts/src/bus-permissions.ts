import { ContractMap, EventType } from './catalogue';
import { QueryPattern } from './queries';

/** The services that hold a NATS user of their own (deploy/nats). */
export const BUS_SERVICES = ['intake', 'dispatch', 'sla', 'callback', 'analytics', 'console', 'notify'] as const;
export type BusService = (typeof BUS_SERVICES)[number];

/**
 * The one service allowed to emit each event type. NATS lets no other user publish the type's
 * subjects (deploy/nats is generated from this table), so on a subject of this type a consumer
 * knows who sent it. Adding an event type is adding one line here too.
 */
export const EVENT_PRODUCER: Record<EventType, BusService> = {
  'ticket.accepted.v1': 'intake',
  'ticket.answered.v1': 'intake',
  'ticket.not-accepted.v1': 'intake',
  'ticket.merged.v1': 'intake',
  'ticket.supplemented.v1': 'intake',
  'ticket.dispatched.v1': 'dispatch',
  'ticket.signed.v1': 'dispatch',
  'ticket.assigned.v1': 'dispatch',
  'ticket.contacted.v1': 'dispatch',
  'ticket.returned.v1': 'dispatch',
  'ticket.extension-requested.v1': 'dispatch',
  'ticket.replied.v1': 'dispatch',
  'ticket.reviewed.v1': 'dispatch',
  'ticket.reopened.v1': 'dispatch',
  'ticket.closed.v1': 'dispatch',
  'ticket.redistricted.v1': 'dispatch',
  'ticket.held-for-leader.v1': 'dispatch',
  'sla.clocks-set.v1': 'sla',
  'sla.warning.v1': 'sla',
  'sla.breached.v1': 'sla',
  'sla.escalated.v1': 'sla',
  'sla.extension-decided.v1': 'sla',
  'sla.supervision-opened.v1': 'sla',
  'sla.supervision-closed.v1': 'sla',
  'sla.urged.v1': 'sla',
  'callback.completed.v1': 'callback',
  'callback.failed.v1': 'callback',
  'callback.spot-checked.v1': 'callback',
  'hotspot.proposed.v1': 'analytics',
  'staff.membership-changed.v1': 'console',
  'callback.overdue.v1': 'callback',
  'callback.expiry-checked.v1': 'callback',
  'notification.created.v1': 'notify',
  'category.changed.v1': 'intake',
};

/**
 * The event types each service's durable consumers read (`@OnEvent`); NATS lets a service create
 * consumers on these subjects only. `all`: every subject of the stream (analytics projects every
 * order event and replays the stream from its start). A unit test holds this table to the
 * `@OnEvent` declarations in the apps.
 */
export const EVENT_CONSUMERS: Record<BusService, readonly EventType[] | 'all'> = {
  intake: [
    'hotspot.proposed.v1',
    'ticket.assigned.v1',
    'ticket.closed.v1',
    'ticket.dispatched.v1',
    'ticket.redistricted.v1',
    'ticket.reopened.v1',
    'ticket.replied.v1',
    'ticket.reviewed.v1',
  ],
  dispatch: [
    'callback.completed.v1',
    'callback.failed.v1',
    'sla.clocks-set.v1',
    'sla.extension-decided.v1',
    'sla.warning.v1',
    'sla.breached.v1',
    'sla.escalated.v1',
    'sla.supervision-closed.v1',
    'sla.supervision-opened.v1',
    'sla.urged.v1',
    'staff.membership-changed.v1',
    'ticket.accepted.v1',
    'ticket.merged.v1',
    'ticket.redistricted.v1',
    'ticket.supplemented.v1',
  ],
  sla: [
    'callback.completed.v1',
    'ticket.closed.v1',
    'ticket.contacted.v1',
    'ticket.dispatched.v1',
    'ticket.extension-requested.v1',
    'ticket.merged.v1',
    'ticket.redistricted.v1',
    'ticket.reopened.v1',
    'ticket.replied.v1',
    'ticket.reviewed.v1',
  ],
  callback: [
    'ticket.accepted.v1',
    'ticket.answered.v1',
    'ticket.closed.v1',
    'ticket.merged.v1',
    'ticket.redistricted.v1',
    'ticket.replied.v1',
    'ticket.reviewed.v1',
    'sla.breached.v1',
  ],
  analytics: 'all',
  console: [],
  notify: [
    'callback.overdue.v1',
    'category.changed.v1',
    'sla.breached.v1',
    'sla.clocks-set.v1',
    'sla.escalated.v1',
    'sla.supervision-closed.v1',
    'sla.supervision-opened.v1',
    'sla.urged.v1',
    'sla.warning.v1',
    'staff.membership-changed.v1',
    'ticket.accepted.v1',
    'ticket.dispatched.v1',
    'ticket.held-for-leader.v1',
    'ticket.reopened.v1',
    'ticket.reviewed.v1',
    'ticket.supplemented.v1',
  ],
};

/**
 * Services that read every event as it is published, without a consumer (core NATS): the console's
 * live feed, which forwards to each person what concerns them.
 */
export const LIVE_READERS: readonly BusService[] = ['console'];

/** Request/reply queries: the service that answers each, and those that may ask. */
export const QUERY_ROUTES: Record<QueryPattern, { answeredBy: BusService; askedBy: readonly BusService[] }> = {
  'intake.citizen-contact.reveal.v2': { answeredBy: 'intake', askedBy: ['dispatch', 'callback'] },
  'intake.citizen-contact.reveal.v1': { answeredBy: 'intake', askedBy: [] },
  'intake.survey-sms-contact.v1': { answeredBy: 'intake', askedBy: ['callback'] },
  'console.staff-contact.v1': { answeredBy: 'console', askedBy: ['notify'] },
};

/**
 * The services a district node runs (dispatch only, today): its user `<service>-<district>` may
 * publish only under its own district and read only its own district's subjects.
 */
export const DISTRICT_NODE_SERVICES: readonly BusService[] = ['dispatch'];

/**
 * Event types a district node receives from another district. Each travels under its *sender's*
 * district (the order's district before the move), so NATS lets only that district's node publish it
 * and a node cannot move another district's order; its payload names the district it leaves (`from`,
 * which must be the subject's: a consumer dead-letters one that claims another) and the district that
 * is to receive it (`to`). A district node's consumer of such a type reads it from every district and
 * applies only those addressed to its own (the others are taken and ignored).
 */
export const ADDRESSED_EVENTS: {
  readonly [T in EventType]?: { from: (data: ContractMap[T]) => string; to: (data: ContractMap[T]) => string };
} = {
  'ticket.redistricted.v1': { from: (d) => d.fromDistrictCode, to: (d) => d.districtCode },
};

/** The district an event of an addressed type is for; undefined for every other type. */
export function addresseeOf(type: EventType, data: unknown): string | undefined {
  return (ADDRESSED_EVENTS[type] as { to: (d: unknown) => string } | undefined)?.to(data);
}

/** The district an event of an addressed type says it leaves; undefined for every other type. */
export function senderOf(type: EventType, data: unknown): string | undefined {
  return (ADDRESSED_EVENTS[type] as { from: (d: unknown) => string } | undefined)?.from(data);
}
