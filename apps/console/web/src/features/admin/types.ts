/** The administrators' screens' views: the services' generated schemas where they document an answer; by hand where they do not yet (the console's accounts and audit, intake's categories, dead letters). */
import type { components as D } from '../../api/dispatch';
import type { components as I } from '../../api/intake';
import type { components as C } from '../../api/callback';
import type { components as Sla } from '../../api/sla';

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

export type Limit = { value: number; unit: S['LimitUnit'] };

/** sla's views, from its OpenAPI document. */
type S = Sla['schemas'];
export type SlaPolicy = S['SlaPolicyView'];
export type CalendarStatus = S['CalendarStatusView'];
export type CalendarDay = S['CalendarDayView'];
export type CalendarYear = S['CalendarYearView'];
export type CalendarEditResult = S['CalendarEditResultView'];

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
