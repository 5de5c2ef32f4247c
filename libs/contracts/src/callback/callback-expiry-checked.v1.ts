import { CallbackSpotCheckedV1 } from './callback-spot-checked.v1';

/**
 * callback → analytics: the citizen was called because the order's time limit expired without a
 * reply (到期回访, the Beijing rule, where the district's policy asks for it). Its own kind: like a
 * spot check it never closes or reopens the order and is not a callback of a reply in the rates.
 * Same fields as a spot check (`checkedTaskId` and `agreesWithCallback` are never set).
 */
export class CallbackExpiryCheckedV1 extends CallbackSpotCheckedV1 {}
