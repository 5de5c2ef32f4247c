/**
 * Shared vocabulary of the hotline. Values are stable wire identifiers (lower snake case); the labels
 * citizens and staff read live in each service (zh-CN first, English second).
 */

/** Where a request came in (受理渠道). */
export enum Channel {
  Phone = 'phone_12345',
  Web = 'web',
  MayorMailbox = 'mayor_mailbox',
  OnlineOpinion = 'online_opinion',
  Media = 'media',
  GridWorker = 'grid_worker',
  VideoPatrol = 'video_patrol',
  ProblemWall = 'problem_wall',
  WalkIn = 'walk_in',
  Open311 = 'open311',
}

/** 诉求类型: complaint, help request, inquiry, suggestion, report of wrongdoing, praise. */
export enum RequestType {
  Complaint = 'complaint',
  Help = 'help',
  Inquiry = 'inquiry',
  Suggestion = 'suggestion',
  Report = 'report',
  Praise = 'praise',
}

/** 急迫诉求见面办 / 合理诉求马上办 / 长期诉求持续办. */
export enum Urgency {
  Urgent = 'urgent',
  Ordinary = 'ordinary',
  LongTerm = 'long_term',
}

/**
 * 不予受理: why a contact is not accepted, the matters the statutes keep from the hotline (in
 * litigation, arbitration, administrative review or petition procedures, or already lawfully concluded).
 */
export enum NotAcceptedReason {
  Litigation = 'litigation',
  Arbitration = 'arbitration',
  AdministrativeReview = 'administrative_review',
  Petition = 'petition',
  Concluded = 'concluded',
}

/** Flags that raise the handling level (双交办). */
export enum TicketFlag {
  Repeat = 'repeat',
  Concentrated = 'concentrated',
}

/** How the handler reached the citizen (响应方式). */
export enum ContactMethod {
  Phone = 'phone',
  Visit = 'visit',
  Sms = 'sms',
  Other = 'other',
}

/** 办结结果: resolved, explained (e.g. policy answer), cannot be resolved (with the reason). */
export enum ReplyOutcome {
  Resolved = 'resolved',
  Explained = 'explained',
  Unresolvable = 'unresolvable',
}

export enum ReviewDecision {
  Approved = 'approved',
  SentBack = 'sent_back',
}

/** 满意 / 基本满意 / 不满意. */
export enum Satisfaction {
  Satisfied = 'satisfied',
  BasicallySatisfied = 'basically_satisfied',
  Unsatisfied = 'unsatisfied',
}

/** Why an order closed (结案原因), in `ticket.closed.v1`: dispatch sets it, callback and others compare it. */
export enum CloseReason {
  /** 回访满意: the citizen's callback answer closed it. */
  CallbackSatisfied = 'callback_satisfied',
  /** 回访未接通: the callback could not reach the citizen. */
  CallbackUnreachable = 'callback_unreachable',
  /** 未诉先办: a proactive order has no citizen to call back; approval closes it. */
  ProactiveNoCallback = 'proactive_no_callback',
}

export enum CallbackChannel {
  Phone = 'phone',
  Sms = 'sms',
  Web = 'web',
}

/** The two clocks every dispatched order carries. */
export enum ClockKind {
  Respond = 'respond',
  Finish = 'finish',
}

export enum ReopenSource {
  Callback = 'callback',
  Dispatcher = 'dispatcher',
}

export enum EscalationTarget {
  Unit = 'unit',
  District = 'district',
  City = 'city',
}
