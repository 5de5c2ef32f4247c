/** Views the administrators' screens read where the services' documents carry no response schema. */
import type { components as D } from '../../api/dispatch';
import type { components as I } from '../../api/intake';
import type { components as C } from '../../api/callback';

export type OrgUnit = D['schemas']['OrgUnitView'];
export type RouteRule = D['schemas']['RouteRuleView'];
export type RouteTest = D['schemas']['RouteTestView'];
export type RuleBody = D['schemas']['CreateRouteRuleDto'];
export type TestBody = D['schemas']['TestRouteDto'];
export type ApiKeys = I['schemas']['ApiKeysView'];
export type IssuedKey = I['schemas']['IssuedApiKeyView'];

export interface Category {
  code: string;
  parentCode: string | null;
  level: number;
  nameZh: string;
  nameEn: string;
  keywords: string[];
  active: boolean;
}

export interface Limit {
  value: number;
  unit: 'hours' | 'working_days';
}

export interface SlaPolicy {
  id: string;
  name: string;
  version: number;
  supersedesId: string | null;
  districtCode: string | null;
  requestType: string | null;
  categoryPrefix: string | null;
  urgency: string | null;
  flag: string | null;
  respondValue: number;
  respondUnit: Limit['unit'];
  finishValue: number;
  finishUnit: Limit['unit'];
  warnPercent: number;
  warnWorkingDaysBefore: number | null;
  maxExtensionWorkingDays: number;
  autoApproveExtensionWorkingDays: number;
  pauseOn: ('waiting_for_citizen' | 'extension_pending')[];
  escalation: { target: 'unit' | 'district' | 'city'; afterWorkingDays: number }[];
  priority: number;
  active: boolean;
  createdAt: string;
}

export interface CalendarStatus {
  today: string;
  zone: string;
  alarm: boolean;
  years: { year: number; source: 'database' | 'library' | null }[];
  missingYears: { year: number; reasons: string[]; provisionalClocks: number }[];
  provisionalClocks: number;
  failingClocks: number;
  pendingRecomputes: number;
}

export interface CalendarDay {
  day: string;
  working: boolean;
  note: string | null;
}

export interface CalendarYear {
  year: number;
  source: string | null;
  overrides: CalendarDay[];
}

export interface CalendarEditResult {
  days: number;
  clocksMoved: number;
  clocksRecomputed: number;
}

export interface Account {
  id: string;
  loginName: string;
  displayName: string;
  roles: string[];
  districts: string[];
  unitId: string | null;
  unitName: string | null;
  mobileMasked: string | null;
  emailMasked: string | null;
  totpEnabled: boolean;
  state: string;
  locked: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface AuditEntry {
  id: string;
  at: string;
  actorId: string | null;
  actorName: string | null;
  action: string;
  targetId: string | null;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
}

export interface DeadLetter {
  id: string;
  consumer: string;
  subject: string;
  eventId: string | null;
  eventType: string | null;
  payload: string;
  reason: string;
  errors: unknown;
  deliveries: number;
  createdAt: string;
  replayedAt: string | null;
}

/** callback's 到期回访 policy of one district, and one change of it (newest first). */
export type ExpiryPolicy = C['schemas']['ExpiryPolicyView'];
export type ExpiryPolicyChange = C['schemas']['ExpiryPolicyChangeView'];
