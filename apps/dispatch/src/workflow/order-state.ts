/**
 * The handling workflow of an order in dispatch. Every transition is listed in TRANSITIONS below;
 * anything else is refused with 409 and the reason. The diagram in docs/architecture.md
 * ("The dispatch state machine") is generated from this table (`stateDiagram()`,
 * `npx ts-node --transpile-only scripts/state-diagram.ts`), and order-state.spec.ts fails when it
 * differs. What each transition changes, writes and emits is in order.aggregate.ts.
 *
 * `transferred` is where an order rests on a node that no longer serves its district: the node
 * serving the new district receives it (on the same node at once, on another over the bus).
 */
export enum OrderState {
  Unrouted = 'unrouted',
  AwaitingLeader = 'awaiting_leader',
  Dispatched = 'dispatched',
  ReturnRequested = 'return_requested',
  Signed = 'signed',
  Contacted = 'contacted',
  AwaitingSignoff = 'awaiting_signoff',
  SignoffRejected = 'signoff_rejected',
  Replied = 'replied',
  Rework = 'rework',
  AwaitingCallback = 'awaiting_callback',
  Reopened = 'reopened',
  Closed = 'closed',
  Transferred = 'transferred',
}

export type OrderAction =
  | 'dispatch'
  | 'hold_for_leader'
  | 'leader_dispatch'
  | 'redispatch'
  | 'return_request'
  | 'return_accept'
  | 'return_refuse'
  | 'sign'
  | 'contact'
  | 'reply'
  | 'submit_signoff'
  | 'head_approve'
  | 'head_reject'
  | 'approve'
  | 'send_back'
  | 'close'
  | 'reopen'
  | 'reopen_to'
  | 'transfer_district'
  | 'receive_district';

/** States in which the unit is still handling the order and may reply. */
export const REPLYABLE: OrderState[] = [OrderState.Contacted, OrderState.Rework, OrderState.Reopened, OrderState.SignoffRejected];

const TRANSITIONS: Record<OrderAction, { from: OrderState[]; to: OrderState }> = {
  dispatch: { from: [OrderState.Unrouted], to: OrderState.Dispatched },
  hold_for_leader: { from: [OrderState.Unrouted], to: OrderState.AwaitingLeader },
  leader_dispatch: { from: [OrderState.AwaitingLeader], to: OrderState.Dispatched },
  redispatch: { from: [OrderState.Dispatched, OrderState.Signed, OrderState.Contacted], to: OrderState.Dispatched },
  return_request: { from: [OrderState.Dispatched, OrderState.Signed], to: OrderState.ReturnRequested },
  return_accept: { from: [OrderState.ReturnRequested], to: OrderState.Dispatched },
  return_refuse: { from: [OrderState.ReturnRequested], to: OrderState.Signed },
  sign: { from: [OrderState.Dispatched], to: OrderState.Signed },
  contact: { from: [OrderState.Signed], to: OrderState.Contacted },
  reply: { from: REPLYABLE, to: OrderState.Replied },
  submit_signoff: { from: REPLYABLE, to: OrderState.AwaitingSignoff },
  head_approve: { from: [OrderState.AwaitingSignoff], to: OrderState.Replied },
  head_reject: { from: [OrderState.AwaitingSignoff], to: OrderState.SignoffRejected },
  approve: { from: [OrderState.Replied], to: OrderState.AwaitingCallback },
  send_back: { from: [OrderState.Replied], to: OrderState.Rework },
  close: { from: [OrderState.AwaitingCallback], to: OrderState.Closed },
  reopen: { from: [OrderState.AwaitingCallback, OrderState.Closed], to: OrderState.Reopened },
  reopen_to: { from: [OrderState.AwaitingCallback, OrderState.Closed], to: OrderState.Dispatched },
  transfer_district: { from: [OrderState.Unrouted, OrderState.ReturnRequested], to: OrderState.Transferred },
  receive_district: { from: [OrderState.Transferred], to: OrderState.Unrouted },
};

/** zh-CN first: the label of each step on the timeline and in refusals. */
export const LABELS: Record<OrderAction, string> = {
  dispatch: '派单 dispatch',
  hold_for_leader: '双交办待区领导签批 hold for the district leader',
  leader_dispatch: '区领导签批派单 leader sign-off and dispatch',
  redispatch: '转办 re-dispatch',
  return_request: '申请退单 ask to return',
  return_accept: '同意退单并改派 accept the return of',
  return_refuse: '不同意退单 refuse the return of',
  sign: '签收 sign for',
  contact: '响应 record the contact with the citizen for',
  reply: '答复 reply to',
  submit_signoff: '提交一把手签批 submit for the head’s sign-off',
  head_approve: '一把手签批通过 sign off',
  head_reject: '一把手签批退回 reject the reply of',
  approve: '审核通过 approve',
  send_back: '退回重办 send back',
  close: '结案 close',
  reopen: '重办 reopen',
  reopen_to: '重办并改派 reopen to another unit',
  transfer_district: '转区 transfer to another district',
  receive_district: '转入本区 receive from another district',
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

/**
 * The state diagram (Mermaid), generated from TRANSITIONS: one arrow per state an action leaves
 * from, labelled with the action and its zh-CN name. docs/architecture.md holds this text.
 */
export function stateDiagram(): string {
  const lines = ['stateDiagram-v2', `    [*] --> ${OrderState.Unrouted}`];
  for (const [action, t] of Object.entries(TRANSITIONS) as [OrderAction, { from: OrderState[]; to: OrderState }][]) {
    const zh = LABELS[action].split(' ')[0];
    for (const from of t.from) lines.push(`    ${from} --> ${t.to}: ${action} ${zh}`);
  }
  lines.push(`    ${OrderState.Closed} --> [*]`);
  return lines.join('\n');
}

/** The markers around the generated diagram in docs/architecture.md. */
export const DIAGRAM_MARKERS = ['<!-- state-diagram: generated from order-state.ts, do not edit -->', '<!-- /state-diagram -->'] as const;

/** `doc` with the text between the markers replaced by the current diagram. */
export function withStateDiagram(doc: string): string {
  const [begin, end] = DIAGRAM_MARKERS;
  const i = doc.indexOf(begin);
  const j = doc.indexOf(end);
  if (i < 0 || j < i) throw new Error(`the state diagram's markers are missing: ${begin} … ${end}`);
  return `${doc.slice(0, i + begin.length)}\n\n\`\`\`mermaid\n${stateDiagram()}\n\`\`\`\n\n${doc.slice(j)}`;
}
