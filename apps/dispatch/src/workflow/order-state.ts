/**
 * The handling workflow of an order in dispatch. Every transition is listed here; anything else is
 * refused with 409 and the reason.
 *
 *   unrouted ──dispatch──▶ dispatched ──sign──▶ signed ──contact──▶ contacted ──reply──▶ replied
 *   replied ──review:approved──▶ awaiting_callback ──callback ok──▶ closed
 *   replied ──review:sent_back──▶ rework ──reply──▶ replied
 *   awaiting_callback ──callback not ok──▶ reopened ──reply──▶ replied
 *   awaiting_callback ──callback unreachable──▶ closed
 */
export enum OrderState {
  Unrouted = 'unrouted',
  Dispatched = 'dispatched',
  Signed = 'signed',
  Contacted = 'contacted',
  Replied = 'replied',
  Rework = 'rework',
  AwaitingCallback = 'awaiting_callback',
  Reopened = 'reopened',
  Closed = 'closed',
}

export type OrderAction = 'dispatch' | 'sign' | 'contact' | 'reply' | 'approve' | 'send_back' | 'close' | 'reopen';

const TRANSITIONS: Record<OrderAction, { from: OrderState[]; to: OrderState }> = {
  dispatch: { from: [OrderState.Unrouted], to: OrderState.Dispatched },
  sign: { from: [OrderState.Dispatched], to: OrderState.Signed },
  contact: { from: [OrderState.Signed], to: OrderState.Contacted },
  reply: { from: [OrderState.Contacted, OrderState.Rework, OrderState.Reopened], to: OrderState.Replied },
  approve: { from: [OrderState.Replied], to: OrderState.AwaitingCallback },
  send_back: { from: [OrderState.Replied], to: OrderState.Rework },
  close: { from: [OrderState.AwaitingCallback], to: OrderState.Closed },
  reopen: { from: [OrderState.AwaitingCallback], to: OrderState.Reopened },
};

const LABELS: Record<OrderAction, string> = {
  dispatch: '派单 dispatch',
  sign: '签收 sign for',
  contact: '响应 record the contact with the citizen for',
  reply: '答复 reply to',
  approve: '审核通过 approve',
  send_back: '退回重办 send back',
  close: '结案 close',
  reopen: '重办 reopen',
};

export class IllegalTransition extends Error {
  constructor(
    readonly action: OrderAction,
    readonly state: OrderState,
  ) {
    const allowed = TRANSITIONS[action].from.join(', ');
    super(`cannot ${LABELS[action]} an order that is ${state} (allowed from: ${allowed})`);
  }
}

/** The state after `action`, or IllegalTransition. */
export function nextState(state: OrderState, action: OrderAction): OrderState {
  const t = TRANSITIONS[action];
  if (!t.from.includes(state)) throw new IllegalTransition(action, state);
  return t.to;
}
