/**
 * What a callback is about: a unit's approved reply (the default, and the only kind before this
 * field existed) or an answer the operator gave at first contact (直接答复, sampled by policy).
 */
export enum CallbackKind {
  Reply = 'reply',
  FirstContact = 'first_contact',
}

/** How a spot check (抽查回访) ended. */
export enum SpotCheckOutcome {
  Answered = 'answered',
  Unreachable = 'unreachable',
}
