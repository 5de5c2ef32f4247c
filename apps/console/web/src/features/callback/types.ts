/** The callback service's views (its controllers return interfaces, so the OpenAPI document has no schema for them). */
export type TaskKind = 'reply' | 'first_contact' | 'spot_check';
export type TaskState = 'pending' | 'claimed' | 'completed' | 'failed';
export type AttemptResult = 'no_answer' | 'busy' | 'wrong_number' | 'refused';
export type Satisfaction = 'satisfied' | 'basically_satisfied' | 'unsatisfied';

export interface Task {
  id: string;
  ticketId: string;
  districtCode: string;
  unitId: string;
  cycle: number;
  kind: TaskKind;
  state: TaskState;
  dueAt: string;
  claimedBy: string | null;
  claimedAt: string | null;
  attempts: number;
  lastAttemptAt: string | null;
  repeatCall: boolean;
  identityHidden: boolean;
  contacted: boolean | null;
  resolved: boolean | null;
  satisfaction: Satisfaction | null;
  comment: string | null;
  channel: 'phone' | 'sms' | 'web' | null;
  finishedAt: string | null;
  createdAt: string;
  orderNo: string | null;
  publicReply: string | null;
  overdue: boolean;
  callableFrom: string | null;
  claimedUntil: string | null;
}

export interface Attempt {
  id: string;
  agent: string;
  result: AttemptResult;
  at: string;
}

export interface TaskDetail extends Task {
  attemptLog: Attempt[];
}

export interface SentLink {
  linkId: string;
  channel: string;
  sentTo: string;
  expiresAt: string;
}
