/**
 * The order's states as dispatch names them (its `OrderState`, through the OpenAPI document): the one
 * list the screens and the i18n test iterate. A state dispatch adds and this list lacks, or a name
 * misspelt, fails the web's typecheck (the record must have every state of the union, and no other).
 */
import type { components } from '../../api/dispatch';

export type OrderState = components['schemas']['OrderView']['state'];

const HANDLING_ORDER: Record<OrderState, number> = {
  unrouted: 0,
  awaiting_leader: 1,
  transferred: 2,
  dispatched: 3,
  signed: 4,
  contacted: 5,
  return_requested: 6,
  awaiting_signoff: 7,
  signoff_rejected: 8,
  replied: 9,
  rework: 10,
  reopened: 11,
  awaiting_callback: 12,
  closed: 13,
};

/** Every state, in the order handling reaches them. */
export const ORDER_STATES: readonly OrderState[] = (Object.keys(HANDLING_ORDER) as OrderState[]).sort(
  (a, b) => HANDLING_ORDER[a] - HANDLING_ORDER[b],
);

/** The states an order a unit can see is in: from the dispatch to its unit onwards (the worklist's 状态 filter). */
export const UNIT_STATES: readonly OrderState[] = ORDER_STATES.filter((s) => HANDLING_ORDER[s] >= HANDLING_ORDER.dispatched);
