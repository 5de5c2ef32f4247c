import { ClockKind, EventEnvelope, ReviewDecision, TicketEventType } from '@app/contracts';
import type { CallbackRow, Merge } from './facts.repository';
import { unitColumns } from './unit-attribution';

/** Merge values into the order's fact row (each column by its own rule). */
export interface MergeChange {
  kind: 'merge';
  ticketId: string;
  /** The district the order's row is created under if it is new. */
  district: string;
  values: Record<string, [unknown, Merge]>;
}

/** 转区: the order moves to `district` (the latest move wins). */
export interface MoveChange {
  kind: 'move';
  ticketId: string;
  district: string;
  streetCode: string | null;
  at: string;
}

/** A callback of the order (once per task). */
export interface CallbackChange {
  kind: 'callback';
  ticketId: string;
  district: string;
  row: CallbackRow;
}

export type FactChange = MergeChange | MoveChange | CallbackChange;

/** A unit's name as of a dispatch (the latest `seenAt` wins). */
export interface UnitNameSeen {
  unitId: string;
  districtCode: string;
  name: string;
  seenAt: string;
}

/** What one event does to the read model besides being counted in `event_daily`. */
export interface EventEffect {
  unitName?: UnitNameSeen;
  change?: FactChange;
}

const merge = (e: EventEnvelope<TicketEventType>, district: string, values: Record<string, [unknown, Merge]>): EventEffect => ({
  change: { kind: 'merge', ticketId: e.ticketId, district, values },
});

function callback(e: EventEnvelope, row: CallbackRow): EventEffect {
  return { change: { kind: 'callback', ticketId: row.ticketId, district: row.districtCode, row } };
}

/**
 * How each event lands in the fact tables, as data: the live projector (a bus batch per
 * transaction) and the replay (10,000 events per transaction) both apply exactly this, with
 * `applyEffects` (fact-batch.ts), so the two cannot drift apart. Built only from events, so replaying the stream from
 * its first message rebuilds the read model.
 */
export function effectOf(e: EventEnvelope): EventEffect {
  switch (e.type) {
    case 'ticket.accepted.v1': {
      const d = e.data;
      const l = d.location;
      return merge(e, l.districtCode, {
        order_no: [d.orderNo, 'first'],
        channel: [d.channel, 'first'],
        category_code: [d.categoryCode, 'first'],
        request_type: [d.requestType, 'first'],
        urgency: [d.urgency, 'first'],
        accepted_at: [d.acceptedAt, 'earliest'],
        street_code: [l.streetCode ?? null, 'first_here'],
        community_code: [l.communityCode ?? null, 'first_here'],
        lat: [l.lat ?? null, 'first'],
        lng: [l.lng ?? null, 'first'],
        proactive: [d.proactive, 'first'],
        // Not asked → off the wall when the citizen hid their identity from the unit, on it otherwise.
        wall_opt_out: [d.publicWallOptOut ?? d.identityHidden, 'first'],
      });
    }
    case 'ticket.redistricted.v1': {
      // 转区: every figure of the order moves to its new district (the rollup by the before/after difference).
      const d = e.data;
      return {
        change: { kind: 'move', ticketId: e.ticketId, district: d.districtCode, streetCode: d.streetCode ?? null, at: d.redistrictedAt },
      };
    }
    case 'ticket.answered.v1': {
      const d = e.data;
      return merge(e, e.district, {
        order_no: [d.orderNo, 'first'],
        channel: [d.channel, 'first'],
        category_code: [d.categoryCode, 'first'],
        request_type: [d.requestType, 'first'],
        answered_at: [d.answeredAt, 'earliest'],
      });
    }
    case 'ticket.not-accepted.v1': {
      // 不予受理: a contact of its own (never dispatched), counted as not accepted, by its reason.
      const d = e.data;
      return merge(e, e.district, {
        order_no: [d.orderNo, 'first'],
        channel: [d.channel, 'first'],
        category_code: [d.categoryCode, 'first'],
        request_type: [d.requestType, 'first'],
        street_code: [d.streetCode ?? null, 'first_here'],
        not_accepted_reason: [d.reason, 'first'],
        not_accepted_at: [d.notAcceptedAt, 'earliest'],
      });
    }
    case 'ticket.merged.v1':
      return merge(e, e.district, { merged_count: [1, 'add'] });
    case 'ticket.dispatched.v1': {
      const d = e.data;
      return {
        unitName: { unitId: d.unitId, districtCode: d.districtCode, name: d.unitName, seenAt: d.dispatchedAt },
        ...merge(e, e.district, {
          // The unit follows the first cycle's latest dispatch (转办, accepted return): unit-attribution.ts.
          ...unitColumns(d),
          street_code: [d.streetCode ?? null, 'first_here'],
          dispatched_at: [d.dispatchedAt, 'earliest'],
          cycle: [d.cycle, 'greatest'],
        }),
      };
    }
    case 'ticket.contacted.v1':
      return merge(e, e.district, { contacted_at: [e.data.contactedAt, 'earliest'] });
    case 'ticket.replied.v1': {
      const d = e.data;
      return merge(e, e.district, {
        first_replied_at: [d.repliedAt, 'earliest'],
        // The reply text and its cycle follow the latest reply; last_replied_at itself last of all.
        reply_text: [d.replyText, { by: ['reply_cycle', 'last_replied_at'] }],
        reply_cycle: [d.cycle, { by: ['reply_cycle', 'last_replied_at'] }],
        last_replied_at: [d.repliedAt, { by: ['reply_cycle', 'last_replied_at'] }],
        cycle: [d.cycle, 'greatest'],
      });
    }
    case 'ticket.reviewed.v1': {
      const sentBack = e.data.decision === ReviewDecision.SentBack ? 1 : 0;
      return merge(e, e.district, { sent_back_count: [sentBack, 'add'] });
    }
    case 'ticket.reopened.v1':
      return merge(e, e.district, { reopen_count: [1, 'add'], cycle: [e.data.cycle, 'greatest'] });
    case 'ticket.closed.v1':
      return merge(e, e.district, { closed_at: [e.data.closedAt, 'latest'] });
    case 'sla.clocks-set.v1': {
      const d = e.data;
      const due: Merge = { by: ['finish_due_cycle', 'finish_due_set_at', 'finish_due_at'] };
      // The first cycle's due times as last set (an extension, a calendar edit, a merge that made the
      // order 双交办 and brought them forward): the on-time rates compare with what the unit was held to.
      const respondDue: Merge = { by: ['respond_due_set_at'] };
      const firstDue: Merge = { by: ['first_finish_due_set_at'] };
      const firstCycle: Record<string, [unknown, Merge]> =
        d.cycle !== 1
          ? {}
          : {
              ...(d.respondDueAt ? { respond_due_at: [d.respondDueAt, respondDue], respond_due_set_at: [e.occurredAt, respondDue] } : {}),
              first_finish_due_at: [d.finishDueAt, firstDue],
              first_finish_due_set_at: [e.occurredAt, firstDue],
            };
      return merge(e, e.district, {
        ...firstCycle,
        // The wall's deadline: the latest cycle's due time, the latest setting of it (extensions, calendar edits).
        finish_due_at: [d.finishDueAt, due],
        finish_due_cycle: [d.cycle, due],
        finish_due_set_at: [e.occurredAt, due],
        cycle: [d.cycle, 'greatest'],
      });
    }
    case 'sla.breached.v1': {
      const col = e.data.kind === ClockKind.Respond ? 'respond_breached' : 'finish_breached';
      return merge(e, e.district, { [col]: [true, 'or'] });
    }
    case 'callback.completed.v1': {
      const d = e.data;
      return callback(e, {
        taskId: d.taskId,
        ticketId: e.ticketId,
        districtCode: e.district,
        unitId: d.unitId,
        cycle: d.cycle,
        completedAt: new Date(d.completedAt),
        failed: false,
        contacted: d.contacted,
        resolved: d.resolved,
        satisfaction: d.satisfaction,
        comment: d.comment ?? null,
        kind: d.kind ?? 'reply',
      });
    }
    case 'callback.failed.v1': {
      const d = e.data;
      return callback(e, {
        taskId: d.taskId,
        ticketId: e.ticketId,
        districtCode: e.district,
        unitId: d.unitId,
        cycle: d.cycle,
        completedAt: new Date(d.failedAt),
        failed: true,
        contacted: null,
        resolved: null,
        satisfaction: null,
        comment: d.reason ?? null,
        kind: d.kind ?? 'reply',
      });
    }
    // Counted only, for now: the later analytics issue builds facts from them.
    case 'ticket.supplemented.v1':
    case 'ticket.signed.v1':
    case 'ticket.assigned.v1':
    case 'ticket.returned.v1':
    case 'ticket.extension-requested.v1':
    case 'sla.warning.v1':
    case 'sla.escalated.v1':
    case 'sla.extension-decided.v1':
    case 'sla.supervision-opened.v1':
    case 'sla.supervision-closed.v1':
    case 'sla.urged.v1':
    case 'hotspot.proposed.v1':
    case 'ticket.held-for-leader.v1': // 双交办 hold: notify's; the order's facts come with its dispatch
    case 'callback.spot-checked.v1': // spot checks stay apart from the first callback: never a callback fact
      return {};
    case 'staff.membership-changed.v1': // not subscribed (facts.handlers.ts): no order's fact
    case 'category.changed.v1': // not an order's fact: category-names.handlers.ts keeps the names
    case 'callback.expiry-checked.v1': // 到期回访: like a spot check, never a callback fact
    case 'callback.overdue.v1': // notify's; no fact changes
    case 'notification.created.v1': // notify's; no order's fact
      return {};
  }
}
