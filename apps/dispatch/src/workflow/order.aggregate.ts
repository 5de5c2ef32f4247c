import {
  CloseReason,
  ContactMethod,
  ContractMap,
  EventType,
  ReopenSource,
  ReplyOutcome,
  ReviewDecision,
  Satisfaction,
  TicketAcceptedV1,
  TicketRedistrictedV1,
} from '@app/contracts';
import { FieldValidationException } from '@app/platform';
import { ConflictException } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { IllegalTransition, LABELS, nextState, OrderAction, OrderState } from './order-state';
import { TimelineEntry, WorkOrder } from './work-order.entity';
import { inHandHoldNote } from './timeline-text';

/** The actor of steps dispatch takes on its own (routing, a callback verdict, a transfer received). */
export const SYSTEM = 'system:dispatch';

export type TimelineData = Record<string, string | number | boolean | null>;

/**
 * What staff read of a timeline entry is a sentence the console builds from its action and `data`
 * (unit and people by id, resolved to names; methods, outcomes, reasons by code, translated), plus
 * `data.remark`: the words a person typed (a reason, a note, the reply text) or a routing rule's
 * note, or null. `note` stays the entry's log line for the API (Chinese and English, ids included);
 * entries written before `remark` existed have no `remark` key, and the console shows their note.
 */
function remark(text: string | null | undefined): TimelineData {
  return { remark: text ?? null };
}
export type TimelineInput = Omit<TimelineEntry, 'id' | 'seq'>;

/** A timeline entry (for entries that are not a transition of the order: sla's alerts, co-units). */
export function entry(
  ticketId: string,
  at: Date,
  actor: string,
  action: string,
  fromState: string | null,
  toState: string | null,
  note: string | null,
  data: TimelineData = {},
): TimelineInput {
  return { ticketId, at, actor, action, fromState, toState, note, data };
}

/** An event the order's transaction publishes when it is committed. */
export interface PendingEvent<T extends EventType = EventType> {
  type: T;
  district: string;
  data: ContractMap[T];
}

/** A unit the order goes to (the fields a transition needs of it). */
export interface AssignedUnit {
  id: string;
  nameZh: string;
  nameEn: string;
}

/** The fields an order brings with it (from intake's acceptance, or from another district's node). */
export type OrderFacts = Pick<
  WorkOrder,
  | 'orderNo'
  | 'districtCode'
  | 'streetCode'
  | 'communityCode'
  | 'categoryCode'
  | 'requestType'
  | 'urgency'
  | 'flags'
  | 'content'
  | 'address'
  | 'identityHidden'
  | 'proactive'
  | 'acceptedAt'
>;

/** What an order's arrival event says of it, in the shape both arrival events share. */
type ArrivalSnapshot = Pick<
  TicketRedistrictedV1['order'],
  'orderNo' | 'categoryCode' | 'requestType' | 'urgency' | 'flags' | 'content' | 'address' | 'identityHidden' | 'proactive' | 'acceptedAt'
>;

/** event → order facts, once for both ways an order arrives (accepted by intake, transferred in). */
export function factsOf(
  s: ArrivalSnapshot,
  districtCode: string,
  streetCode: string | null,
  communityCode: string | null = null,
): OrderFacts {
  return {
    orderNo: s.orderNo,
    districtCode,
    streetCode,
    communityCode,
    categoryCode: s.categoryCode,
    requestType: s.requestType,
    urgency: s.urgency,
    flags: s.flags,
    content: s.content,
    address: s.address,
    identityHidden: s.identityHidden,
    proactive: s.proactive,
    acceptedAt: new Date(s.acceptedAt),
  };
}

export function acceptedFacts(d: TicketAcceptedV1): OrderFacts {
  const l = d.location;
  return factsOf({ ...d, address: l.address }, l.districtCode, l.streetCode ?? null, l.communityCode ?? null);
}

export function redistrictedFacts(d: TicketRedistrictedV1): OrderFacts {
  return factsOf(d.order, d.districtCode, d.streetCode ?? null);
}

/** A new order row in `state`, in its first cycle, with no unit. */
export function newOrder(ticketId: string, state: OrderState, facts: OrderFacts): WorkOrder {
  return Object.assign(new WorkOrder(), {
    ticketId,
    ...facts,
    state,
    unitId: null,
    assignmentId: null,
    ruleId: null,
    cycle: 1,
    assignedAt: null,
    returnable: true,
    suggestedUnitId: null,
    suggestedRuleId: null,
    assignees: [],
    subUnitId: null,
    attachments: [],
    repliedBy: null,
    reworkCount: 0,
    outcome: null,
    replyText: null,
    respondDueAt: null,
    finishDueAt: null,
    respondWarnAt: null,
    finishWarnAt: null,
    dueCycle: 0,
    dueSetAt: null,
    leaderHoldAt: null,
    transferredTo: null,
  });
}

/** 409 with the reason unless `action` is allowed from the order's state now. */
export function guard(order: WorkOrder, action: OrderAction): void {
  try {
    nextState(order.state, action);
  } catch (e) {
    if (e instanceof IllegalTransition) throw new ConflictException(e.message);
    throw e;
  }
}

/**
 * An order in one transaction (the order aggregate). Each transition below is the one place that
 * says what it changes on the order, which timeline entry it writes and which event it emits; the
 * step services authorise and call one of them, and `OrderSteps.commit` writes the row, the
 * timeline entries and the events together. Nothing here touches the database: the effects are
 * collected (`entries`, `events`, `coUnitsReleased`) and written on commit, in the order they
 * happened.
 */
export class Order {
  readonly entries: TimelineInput[] = [];
  readonly events: PendingEvent[] = [];
  /** The co-units (吹哨报到) are released on commit. */
  coUnitsReleased = false;

  constructor(
    readonly row: WorkOrder,
    readonly now: Date,
  ) {}

  get ticketId(): string {
    return this.row.ticketId;
  }

  get state(): OrderState {
    return this.row.state;
  }

  // ── routing (派单) ─────────────────────────────────────────────────────────────────────────

  /**
   * 派单 / 区领导签批派单 / 转办 / 同意退单并改派: a new assignment to `unit` and `ticket.dispatched.v1`
   * for the same cycle (sla keeps the cycle's clocks of the first dispatch: a re-dispatch does not
   * restart the time limit). An accepted return may not be returned again (首接负责).
   */
  dispatch(
    action: 'dispatch' | 'leader_dispatch' | 'redispatch' | 'return_accept',
    unit: AssignedUnit,
    ruleId: string | null,
    actor: string,
    note: string | null,
    remarkOverride?: string | null,
  ): void {
    guard(this.row, action);
    const o = this.row;
    const previous = o.unitId;
    if (action === 'return_accept') o.returnable = false;
    this.assignTo(unit, ruleId);
    const label = `${LABELS[action].split(' ')[0]} → ${unit.nameZh} ${unit.nameEn}`;
    this.move(action, actor, note ? `${label}; ${note}` : label, {
      unitId: unit.id,
      previousUnitId: previous,
      ruleId,
      assignmentId: o.assignmentId,
      ...remark(remarkOverride === undefined ? note : remarkOverride),
    });
    this.emit('ticket.dispatched.v1', {
      assignmentId: o.assignmentId!,
      unitId: unit.id,
      unitName: unit.nameZh,
      districtCode: o.districtCode,
      ...(o.streetCode ? { streetCode: o.streetCode } : {}),
      categoryCode: o.categoryCode,
      requestType: o.requestType,
      urgency: o.urgency,
      flags: o.flags,
      ...(ruleId ? { ruleId } : {}),
      cycle: o.cycle,
      dispatchedAt: this.now.toISOString(),
    });
  }

  /** 双交办: a flagged order waits for the district leader's sign-off. */
  holdForLeader(note: string, centreUnitId: string, suggestedUnitId: string | null): void {
    this.move('hold_for_leader', SYSTEM, note, { flags: this.row.flags.join(','), suggestedUnitId, ...remark(null) });
    // The district leader is told of this hold (notify), not of every flagged order.
    this.emit('ticket.held-for-leader.v1', {
      flags: this.row.flags,
      centreUnitId,
      ...(suggestedUnitId ? { suggestedUnitId } : {}),
      heldAt: this.now.toISOString(),
    });
  }

  /**
   * 双交办 in hand: a merge made the order repeat or concentrated while a unit has it, and the district
   * asks for its leader's sign-off. The unit keeps the order and goes on handling it (no transition);
   * its reply waits for the leader (`leaderSignoff`): nothing sends it out before (`reply`,
   * `headApprove`). The leader is told as of a hold before dispatch (`ticket.held-for-leader.v1`),
   * without a suggested unit: the order has its unit.
   */
  holdInHand(centreUnitId: string): void {
    const o = this.row;
    o.leaderHoldAt = this.now;
    this.write('leader_hold', SYSTEM, o.state, o.state, inHandHoldNote(o.flags), {
      cycle: o.cycle,
      flags: o.flags.join(','),
      unitId: o.unitId,
      ...remark(null),
    });
    this.emit('ticket.held-for-leader.v1', { flags: o.flags, centreUnitId, heldAt: this.now.toISOString() });
  }

  /** 区领导签批 of an order held in hand (`holdInHand`): its reply may go out now. The state stays. */
  leaderSignoff(actor: string, note: string | null): void {
    const o = this.row;
    if (!o.leaderHoldAt) {
      throw new ConflictException(`order ${o.orderNo} is not waiting for the district leader's sign-off 该工单无需区领导签批`);
    }
    o.leaderHoldAt = null;
    this.write('leader_signoff', actor, o.state, o.state, `区领导签批 signed off by the district leader${note ? `: ${note}` : ''}`, {
      cycle: o.cycle,
      ...remark(note),
    });
  }

  /** No rule placed the order: it waits in the dispatcher's queue (a timeline entry, no transition). */
  awaitDispatcher(): void {
    this.write(
      'unrouted',
      SYSTEM,
      null,
      OrderState.Unrouted,
      '无匹配派单规则，待派单员派单 no routing rule matched; waiting for a dispatcher',
      remark(null),
    );
  }

  /** What routing suggests, kept for the dispatcher and the leader. */
  suggest(unitId: string | null, ruleId: string | null): void {
    this.row.suggestedUnitId = unitId;
    this.row.suggestedRuleId = ruleId;
  }

  // ── the unit's steps ──────────────────────────────────────────────────────────────────────

  /** 签收. */
  sign(actor: string): void {
    this.move('sign', actor, null, remark(null));
    this.emit('ticket.signed.v1', {
      assignmentId: this.row.assignmentId!,
      unitId: this.row.unitId!,
      signedBy: actor,
      signedAt: this.now.toISOString(),
    });
  }

  /** 响应: how and when the citizen was reached; the time may be earlier than now, never before the assignment. */
  contact(actor: string, c: { method: ContactMethod; note?: string; contactedAt?: string }): void {
    guard(this.row, 'contact');
    const at = c.contactedAt ? new Date(c.contactedAt) : this.now;
    if (at > this.now || (this.row.assignedAt && at < this.row.assignedAt)) {
      throw new FieldValidationException([{ field: 'contactedAt', reason: 'contactedAt must lie between the assignment and now' }]);
    }
    this.move('contact', actor, c.note ? `${c.method}: ${c.note}` : c.method, { method: c.method, ...remark(c.note) });
    this.emit('ticket.contacted.v1', {
      assignmentId: this.row.assignmentId!,
      unitId: this.row.unitId!,
      method: c.method,
      ...(c.note ? { note: c.note } : {}),
      contactedAt: at.toISOString(),
    });
  }

  /**
   * 办结答复: the reply is recorded; a unit that requires its head's sign-off (一把手签批) holds it
   * (`submit_signoff`, no event) until the head signs, otherwise it goes out (`ticket.replied.v1`).
   */
  reply(
    actor: string,
    r: { outcome: ReplyOutcome; replyText: string; attachments?: { name: string; url: string }[] },
    headSignoff: boolean,
  ): void {
    guard(this.row, headSignoff ? 'submit_signoff' : 'reply');
    // Submitting to the unit's own head sends nothing out; the head's approval does (headApprove).
    if (!headSignoff) this.assertLeaderSigned();
    const o = this.row;
    o.outcome = r.outcome;
    o.replyText = r.replyText;
    o.attachments = r.attachments?.map((a) => ({ name: a.name, url: a.url })) ?? [];
    o.repliedBy = actor;
    const data = { outcome: r.outcome, attachments: o.attachments.length, ...remark(r.replyText) };
    if (headSignoff) {
      this.move('submit_signoff', actor, `${r.outcome}: ${r.replyText}`, data);
      return;
    }
    this.move('reply', actor, r.outcome, data);
    this.emitReplied();
  }

  /** 一把手签批通过: the held reply goes out. */
  headApprove(actor: string, reason: string | null): void {
    guard(this.row, 'head_approve');
    this.assertLeaderSigned();
    this.move('head_approve', actor, reason, { repliedBy: this.row.repliedBy, ...remark(reason) });
    this.emitReplied();
  }

  /** 一把手签批退回: back to the handler. */
  headReject(actor: string, reason: string): void {
    this.move('head_reject', actor, reason, remark(reason));
  }

  /** 申请退单, with the deadline it was asked within. */
  requestReturn(actor: string, reason: string, deadline: Date): void {
    this.move('return_request', actor, reason, { deadline: deadline.toISOString(), ...remark(reason) });
    this.emit('ticket.returned.v1', {
      assignmentId: this.row.assignmentId!,
      unitId: this.row.unitId!,
      reason,
      returnedAt: this.now.toISOString(),
    });
  }

  /** 不同意退单: the unit keeps the order as signed for, and may not return it again (首接负责). */
  refuseReturn(actor: string, reason: string): void {
    guard(this.row, 'return_refuse');
    this.row.returnable = false;
    this.move('return_refuse', actor, reason, remark(reason));
  }

  /** 分派/下派: handlers named and/or a community under the street; the state stays. */
  assign(actor: string, a: { subUnit?: AssignedUnit; assignees?: string[] }): void {
    const o = this.row;
    let note = '';
    if (a.subUnit) {
      o.subUnitId = a.subUnit.id;
      note += `下派 → ${a.subUnit.nameZh} ${a.subUnit.nameEn}`;
    }
    if (a.assignees) {
      o.assignees = a.assignees;
      note += `${note ? '; ' : ''}分派承办人 assigned to ${a.assignees.join(', ')}`;
    }
    this.write('assign', actor, o.state, o.state, note, {
      cycle: o.cycle,
      subUnitId: o.subUnitId,
      assignees: o.assignees.join(','),
      ...remark(null),
    });
    // intake lets the people named and the sub-unit's members reveal the citizen (they call them).
    this.emit('ticket.assigned.v1', {
      assignmentId: o.assignmentId!,
      unitId: o.unitId!,
      ...(o.subUnitId ? { subUnitId: o.subUnitId } : {}),
      assignees: o.assignees,
      cycle: o.cycle,
      assignedBy: actor,
      assignedAt: this.now.toISOString(),
    });
  }

  /** 申请延期: sla decides; the state stays. */
  requestExtension(actor: string, requestId: string, days: number, reason: string): void {
    const o = this.row;
    this.emit('ticket.extension-requested.v1', {
      requestId,
      assignmentId: o.assignmentId!,
      unitId: o.unitId!,
      days,
      reason,
      requestedAt: this.now.toISOString(),
      cycle: o.cycle,
      requestedBy: actor,
    });
    this.write('extension_requested', actor, o.state, o.state, `申请延期 ${days} working days: ${reason}`, {
      requestId,
      days,
      cycle: o.cycle,
      ...remark(reason),
    });
  }

  // ── joint handling (吹哨报到): the co-units' steps are on the order's timeline; the state stays ──

  coUnitsAdded(actor: string, units: { id: string; nameZh: string }[], note?: string): void {
    const o = this.row;
    const names = units.map((u) => u.nameZh);
    this.write('co_units_added', actor, o.state, o.state, `吹哨报到 co-units: ${names.join(', ')}${note ? `; ${note}` : ''}`, {
      cycle: o.cycle,
      unitIds: units.map((u) => u.id).join(','),
      ...remark(note),
    });
  }

  coSigned(actor: string, unitId: string): void {
    this.write('co_sign', actor, this.row.state, this.row.state, '协办签收 co-unit signed', { unitId, ...remark(null) });
  }

  coSubmitted(actor: string, unitId: string, partText: string): void {
    this.write('co_submit', actor, this.row.state, this.row.state, `协办反馈 co-unit part: ${partText}`, { unitId, ...remark(partText) });
  }

  // ── review, callback, close, reopen ────────────────────────────────────────────────────────

  /**
   * 审核: approved, the order waits for its callback (a proactive order, with nobody to call back,
   * closes at once); sent back, a new cycle of rework. The event names the cycle reviewed.
   */
  review(actor: string, decision: ReviewDecision, reason: string | undefined): void {
    const approved = decision === ReviewDecision.Approved;
    guard(this.row, approved ? 'approve' : 'send_back');
    const reviewedCycle = this.row.cycle;
    if (!approved) this.nextCycle();
    this.move(approved ? 'approve' : 'send_back', actor, reason ?? null, remark(reason));
    this.emit('ticket.reviewed.v1', {
      assignmentId: this.row.assignmentId!,
      unitId: this.row.unitId!,
      decision,
      outcome: this.row.outcome!,
      ...(reason ? { reason } : {}),
      reviewedBy: actor,
      cycle: reviewedCycle,
      reviewedAt: this.now.toISOString(),
    });
    // 未诉先办: nobody asked, so nobody is called back; the approved reply ends the order.
    if (approved && this.row.proactive) {
      this.close(CloseReason.ProactiveNoCallback, '未诉先办无诉求人，审核通过即结案 proactive order: no citizen to call back');
    }
  }

  /** 结案: the callback verdict, an unreachable citizen, or a proactive order approved. */
  close(closeReason: CloseReason, note: string, satisfaction?: Satisfaction, attempts?: number): void {
    this.move('close', SYSTEM, note, { closeReason, satisfaction: satisfaction ?? null, attempts: attempts ?? null, ...remark(null) });
    this.emit('ticket.closed.v1', {
      unitId: this.row.unitId!,
      outcome: this.row.outcome!,
      ...(satisfaction ? { satisfaction } : {}),
      closeReason,
      cycle: this.row.cycle,
      closedAt: this.now.toISOString(),
    });
  }

  /**
   * 重办: a new cycle (counted as rework), after an unsatisfied callback or by the dispatcher, for the
   * same unit (which replies again) or for another (which signs for it first, and may return it).
   */
  reopen(
    actor: string,
    source: ReopenSource,
    reason: string,
    other: AssignedUnit | null = null,
    verdict?: { resolved: boolean; satisfaction: Satisfaction },
  ): void {
    const action = other ? 'reopen_to' : 'reopen';
    guard(this.row, action);
    const previousUnitId = this.row.unitId;
    this.nextCycle();
    // The rule that chose the previous unit is not why the order is with another: a dispatcher's choice, no rule.
    if (other) {
      this.assignTo(other, null);
      this.row.returnable = true;
    }
    this.move(action, actor, reason, {
      unitId: this.row.unitId,
      previousUnitId,
      source,
      ...(verdict ? { resolved: verdict.resolved, satisfaction: verdict.satisfaction } : {}),
      // A callback's verdict is in the data; the dispatcher's reason is what they typed.
      ...remark(verdict ? null : reason),
    });
    this.emit('ticket.reopened.v1', {
      assignmentId: this.row.assignmentId!,
      unitId: this.row.unitId!,
      source,
      reason,
      cycle: this.row.cycle,
      reopenedAt: this.now.toISOString(),
    });
  }

  // ── 转区 ──────────────────────────────────────────────────────────────────────────────────

  /**
   * 转区: the order leaves its district without a unit. A return request ends here (the next unit may
   * not return it: 首接负责); its co-units go too (they are the old district's, and the new lead unit
   * could never reply while they had not submitted their part). `ticket.redistricted.v1` goes under
   * the district the order leaves (so a node can move only its own orders), addressed to the new
   * one, with what its node needs to take the order over.
   */
  transferDistrict(actor: string, t: { districtCode: string; streetCode?: string; reason: string }, coUnits: string[]): void {
    guard(this.row, 'transfer_district');
    const o = this.row;
    const from = o.districtCode;
    const previousUnitId = o.unitId;
    if (o.state === OrderState.ReturnRequested) o.returnable = false;
    this.release();
    this.unassign();
    // The new district holds a flagged order for its own leader on arrival, if it asks for that.
    o.leaderHoldAt = null;
    o.suggestedUnitId = null;
    o.suggestedRuleId = null;
    o.transferredTo = t.districtCode;
    this.move('transfer_district', actor, `转区 ${from} → ${t.districtCode}; ${t.reason}`, {
      fromDistrict: from,
      toDistrict: t.districtCode,
      previousUnitId,
      ...(coUnits.length ? { releasedCoUnits: coUnits.join(',') } : {}),
      ...remark(t.reason),
    });
    this.emit(
      'ticket.redistricted.v1',
      {
        fromDistrictCode: from,
        districtCode: t.districtCode,
        ...(t.streetCode ? { streetCode: t.streetCode } : {}),
        reason: t.reason,
        redistrictedBy: actor,
        order: {
          orderNo: o.orderNo,
          categoryCode: o.categoryCode,
          requestType: o.requestType,
          urgency: o.urgency,
          flags: o.flags,
          content: o.content,
          address: o.address,
          identityHidden: o.identityHidden,
          proactive: o.proactive,
          cycle: o.cycle,
          reworkCount: o.reworkCount,
          returnable: o.returnable,
          acceptedAt: o.acceptedAt.toISOString(),
        },
        redistrictedAt: this.now.toISOString(),
      },
      // Under the district the order leaves: only its node may publish it (ADDRESSED_EVENTS).
      from,
    );
  }

  /**
   * 转入本区: the node serving the new district takes the order (unrouted, for its rules or its
   * dispatcher). `place`: where it now is, when the transfer was made on this node.
   */
  receiveDistrict(actor: string, from: string, reason: string, place?: { districtCode: string; streetCode: string | null }): void {
    if (place) {
      this.row.districtCode = place.districtCode;
      this.row.streetCode = place.streetCode;
      this.row.communityCode = null;
    }
    this.row.transferredTo = null;
    this.move('receive_district', actor, `自 ${from} 转入 received from ${from}; ${reason}`, {
      fromDistrict: from,
      toDistrict: this.row.districtCode,
      ...remark(reason),
    });
  }

  // ── the pieces transitions share (each exists once) ────────────────────────────────────────

  /**
   * A new assignment to `unit`: a new assignment id from now, nobody named, no community, and the
   * routing rule that chose this unit (null when a person chose it): the one place `ruleId` is set.
   */
  private assignTo(unit: AssignedUnit, ruleId: string | null): void {
    this.row.unitId = unit.id;
    this.row.ruleId = ruleId;
    this.row.assignmentId = randomUUID();
    this.row.assignedAt = this.now;
    this.resetHands();
  }

  /** No unit at all (the order left the district). */
  private unassign(): void {
    Object.assign(this.row, { unitId: null, assignmentId: null, ruleId: null, assignedAt: null });
    this.resetHands();
  }

  /** The handlers named and the community passed to belong to an assignment: a new one starts without them. */
  private resetHands(): void {
    this.row.assignees = [];
    this.row.subUnitId = null;
  }

  /** A new cycle of handling, counted as rework (重办, 退回重办). */
  private nextCycle(): void {
    this.row.cycle += 1;
    this.row.reworkCount += 1;
  }

  /** The co-units (吹哨报到) are rid of the order. */
  private release(): void {
    this.coUnitsReleased = true;
  }

  private emitReplied(): void {
    const o = this.row;
    this.emit('ticket.replied.v1', {
      assignmentId: o.assignmentId!,
      unitId: o.unitId!,
      outcome: o.outcome!,
      replyText: o.replyText!,
      cycle: o.cycle,
      repliedAt: this.now.toISOString(),
    });
  }

  /** 双交办 in hand: nothing sends the reply out before the district leader has signed the order off. */
  private assertLeaderSigned(): void {
    const held = this.row.leaderHoldAt;
    if (held) {
      throw new ConflictException(
        `双交办：答复须经区领导签批 the reply of order ${this.row.orderNo} waits for the district leader's sign-off (held since ${held.toISOString()})`,
      );
    }
  }

  /** The guarded state change with its timeline entry (the cycle always in its data). */
  private move(action: OrderAction, actor: string, note: string | null, data: TimelineData = {}): void {
    guard(this.row, action);
    const from = this.row.state;
    this.row.state = nextState(from, action);
    this.write(action, actor, from, this.row.state, note, { cycle: this.row.cycle, ...data });
  }

  private write(action: string, actor: string, from: string | null, to: string | null, note: string | null, data: TimelineData = {}): void {
    this.entries.push(entry(this.row.ticketId, this.now, actor, action, from, to, note, data));
  }

  private emit<T extends EventType>(type: T, data: ContractMap[T], district = this.row.districtCode): void {
    this.events.push({ type, district, data });
  }
}
