import { addresseeOf, EventType } from '@app/contracts';
import { inDistrict, Principal } from '@app/platform';

/** What the browser receives of a bus event: enough to refresh the right lists and ring, nothing private. */
export interface LiveEvent {
  type: string;
  district: string;
  /** A hand-over (ticket.redistricted.v1) travels under the district it leaves; the one it goes to. */
  toDistrict?: string;
  ticketId: string | null;
  occurredAt: string;
  data?: {
    orderNo?: string;
    urgency?: string;
    unitId?: string;
    categoryCode?: string;
    /** notification.created.v1: the person it is for, and what the toast shows. */
    recipientId?: string;
    notificationId?: string;
    kind?: string;
    title?: string;
    body?: string;
    urgent?: boolean;
  };
}

const NOTIFICATION = 'notification.created.v1';

/** Roles that see their district's whole flow; the others (handler, unit head) see only their units' orders. */
const DISTRICT_WIDE = ['operator', 'dispatcher', 'supervisor', 'analyst', 'callback_agent', 'admin'];

/** Reduces an envelope from the bus to a LiveEvent, or null when it is not one. */
export function toLiveEvent(raw: unknown): LiveEvent | null {
  if (!raw || typeof raw !== 'object') return null;
  const e = raw as { type?: unknown; district?: unknown; ticketId?: unknown; occurredAt?: unknown; data?: Record<string, unknown> };
  if (typeof e.type !== 'string' || typeof e.district !== 'string' || typeof e.occurredAt !== 'string') return null;
  const d = e.data ?? {};
  const data: NonNullable<LiveEvent['data']> = {};
  for (const k of ['orderNo', 'urgency', 'unitId', 'categoryCode'] as const) {
    if (typeof d[k] === 'string') data[k] = d[k];
  }
  if (e.type === NOTIFICATION) {
    for (const k of ['recipientId', 'notificationId', 'kind', 'title', 'body'] as const) {
      if (typeof d[k] === 'string') data[k] = d[k];
    }
    if (typeof d.urgent === 'boolean') data.urgent = d.urgent;
  }
  let to: unknown;
  try {
    to = addresseeOf(e.type as EventType, d);
  } catch {
    to = undefined;
  }
  return {
    type: e.type,
    district: e.district,
    ...(typeof to === 'string' ? { toDistrict: to } : {}),
    ticketId: typeof e.ticketId === 'string' ? e.ticketId : null,
    occurredAt: e.occurredAt,
    ...(Object.keys(data).length ? { data } : {}),
  };
}

/** May this person see this event? Districts for the district-wide roles; units for the units' people. */
export function visibleTo(user: Principal, event: LiveEvent): boolean {
  // A notification is its recipient's alone, whatever their role.
  if (event.type === NOTIFICATION) return event.data?.recipientId === user.id;
  if (user.roles.some((r) => DISTRICT_WIDE.includes(r))) {
    return inDistrict(user, event.district) || (event.toDistrict !== undefined && inDistrict(user, event.toDistrict));
  }
  const unitId = event.data?.unitId;
  return Boolean(unitId && user.units.includes(unitId) && inDistrict(user, event.district));
}
