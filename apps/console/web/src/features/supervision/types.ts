/** sla's views (its controllers return entities and interfaces: no response schema in the OpenAPI document). */
export type Reason = 'overdue' | 'unsatisfied' | 'repeat' | 'at_risk';
export type Level = 'unit' | 'district' | 'city';

export interface Item {
  id: string;
  ticketId: string;
  districtCode: string;
  unitId: string;
  reason: Reason;
  level: Level;
  cycle: number;
  status: 'open' | 'closed';
  summary: string;
  openedAt: string;
  urgeCount: number;
  lastUrgedAt: string | null;
  closedAt: string | null;
  closedBy: string | null;
  ageHours: number;
}

export interface ItemAction {
  id: string;
  at: string;
  actor: string;
  action: 'opened' | 'escalated' | 'reassigned' | 'urge' | 'comment' | 'close';
  label: string;
  note: string | null;
}

export interface ItemDetail extends Item {
  actions: ItemAction[];
}

export interface ClockView {
  id: string;
  ticketId: string;
  districtCode: string;
  unitId: string;
  kind: 'respond' | 'finish';
  cycle: number;
  startedAt: string;
  dueAt: string;
  warnedAt: string | null;
  breachedAt: string | null;
  stoppedAt: string | null;
  pausedAt: string | null;
  pauseReason: string | null;
  extendedWorkingDays: number;
  provisional: boolean;
  remainingMinutes: number | null;
  remainingWorkingMinutes: number | null;
}

export interface Extension {
  id: string;
  ticketId: string;
  districtCode: string;
  unitId: string;
  cycle: number;
  days: number;
  reason: string;
  requestedAt: string;
  status: 'pending' | 'approved' | 'refused';
  dueAtRequest: string;
  grantedDays: number;
  newDueAt: string | null;
  decidedBy: string | null;
  decidedAt: string | null;
  decisionNote: string | null;
}
