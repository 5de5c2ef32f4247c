/** The administrators' server state: one TanStack Query hook per call (dispatch, sla, intake, the console). */
import { useMutation, useQuery, useQueryClient, type QueryKey } from '@tanstack/react-query';
import { callback, dataOf, dispatch, intake, notify, sla } from '../../api/clients';
import type { components as NotifyC } from '../../api/notify';
import type { components as DispatchC } from '../../api/dispatch';
import type { components as SlaC } from '../../api/sla';
import { requestJson } from '../../api/http';
import type {
  Account,
  AuditEntry,
  CalendarEditResult,
  CalendarStatus,
  CalendarYear,
  Category,
  DeadLetter,
  ExpiryPolicy,
  ExpiryPolicyChange,
  OrgUnit,
  RuleBody,
  SlaPolicy,
  TestBody,
} from './types';

/** openapi-fetch parses the JSON whatever the document says; these answers have no schema there. */
async function answer<T>(call: Promise<{ data?: unknown }>): Promise<T> {
  return (await call).data as T;
}

function useChange<I, O>(fn: (input: I) => Promise<O>, ...invalidate: QueryKey[]) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: () => Promise.all(invalidate.map((queryKey) => client.invalidateQueries({ queryKey }))),
  });
}

// ── organisation and routing (dispatch) ─────────────────────────────────────────────────────

export function useAllUnits() {
  return useQuery({
    queryKey: ['dispatch', 'org', 'all-units'],
    queryFn: () => answer<OrgUnit[]>(dispatch.GET('/org/units', { params: { query: { includeInactive: 'true' } } })),
  });
}

export const useUpdateUnit = () =>
  useChange(
    async ({ id, body }: { id: string; body: DispatchC['schemas']['UpdateUnitDto'] }) =>
      answer<OrgUnit>(dispatch.PATCH('/org/units/{id}', { params: { path: { id } }, body })),
    ['dispatch', 'org'],
  );

export const useAddUnit = () =>
  useChange(
    async (body: DispatchC['schemas']['CreateUnitDto']) => answer<OrgUnit>(dispatch.POST('/org/units', { body })),
    ['dispatch', 'org'],
  );

export function useRules(includeInactive: boolean) {
  return useQuery({
    queryKey: ['dispatch', 'routing', 'rules', includeInactive],
    queryFn: async () =>
      dataOf(await dispatch.GET('/routing/rules', { params: { query: { includeInactive: includeInactive ? 'true' : 'false' } } })),
  });
}

export const useAddRule = () =>
  useChange(async (body: RuleBody) => dataOf(await dispatch.POST('/routing/rules', { body })), ['dispatch', 'routing']);

export const useReviseRule = () =>
  useChange(
    async ({ id, body }: { id: string; body: RuleBody }) =>
      dataOf(await dispatch.POST('/routing/rules/{id}/revise', { params: { path: { id } }, body })),
    ['dispatch', 'routing'],
  );

export const useRetireRule = () =>
  useChange(
    async (id: string) => dataOf(await dispatch.POST('/routing/rules/{id}/deactivate', { params: { path: { id } } })),
    ['dispatch', 'routing'],
  );

/** The tester: a mutation, so it runs when asked and never refetches on live events. */
export function useTestRoute() {
  return useMutation({ mutationFn: async (body: TestBody) => dataOf(await dispatch.POST('/routing/rules/test', { body })) });
}

// ── time limits and the calendar (sla) ──────────────────────────────────────────────────────

export function usePolicies(activeOnly: boolean) {
  return useQuery({
    queryKey: ['sla', 'policies', activeOnly],
    queryFn: () => answer<SlaPolicy[]>(sla.GET('/policies', { params: { query: { active: activeOnly ? 'true' : 'false' } } })),
  });
}

export const useSavePolicy = () =>
  useChange(async (body: SlaC['schemas']['CreatePolicyDto']) => answer<SlaPolicy>(sla.POST('/policies', { body })), ['sla', 'policies']);

export const useRetirePolicy = () =>
  useChange(async (id: string) => answer<SlaPolicy>(sla.POST('/policies/{id}/retire', { params: { path: { id } } })), ['sla', 'policies']);

export function useCalendarStatus() {
  return useQuery({
    queryKey: ['sla', 'calendar', 'status'],
    queryFn: () => answer<CalendarStatus>(sla.GET('/calendar/status')),
    refetchInterval: 60_000,
  });
}

export function useCalendarYear(year: number) {
  return useQuery({
    queryKey: ['sla', 'calendar', 'year', year],
    queryFn: () => answer<CalendarYear>(sla.GET('/calendar/{year}', { params: { path: { year } } })),
  });
}

export const useDeclareYear = () =>
  useChange(
    async (body: SlaC['schemas']['DeclareYearDto']) =>
      answer<CalendarEditResult & { year: number; source: string }>(sla.POST('/calendar/years', { body })),
    ['sla', 'calendar'],
  );

export const useSetDays = () =>
  useChange(
    async (body: SlaC['schemas']['SetDaysDto']) => answer<CalendarEditResult>(sla.POST('/calendar/days', { body })),
    ['sla', 'calendar'],
  );

export const useRemoveDay = () =>
  useChange(
    async (day: string) => answer<CalendarEditResult>(sla.DELETE('/calendar/days/{day}', { params: { path: { day } } })),
    ['sla', 'calendar'],
  );

// ── categories, Open311 keys (intake) ───────────────────────────────────────────────────────

export function useAllCategories() {
  return useQuery({
    queryKey: ['intake', 'categories', 'all'],
    queryFn: () => answer<Category[]>(intake.GET('/categories', { params: { query: { all: 'true' } } })),
  });
}

export const useSaveCategory = () =>
  useChange(
    async (body: { code: string; nameZh: string; nameEn: string; keywords?: string[]; active: boolean }) =>
      answer<Category>(intake.POST('/categories', { body })),
    ['intake', 'categories'],
  );

export function useApiKeys() {
  return useQuery({ queryKey: ['intake', 'open311-keys'], queryFn: async () => dataOf(await intake.GET('/admin/open311-keys')) });
}

export const useIssueKey = () =>
  useChange(
    async (clientName: string) => dataOf(await intake.POST('/admin/open311-keys', { body: { clientName } })),
    ['intake', 'open311-keys'],
  );

export const useRevokeKey = () =>
  useChange(
    async (id: string) => dataOf(await intake.POST('/admin/open311-keys/{id}/revoke', { params: { path: { id } } })),
    ['intake', 'open311-keys'],
  );

// ── staff accounts (the console's own API) ──────────────────────────────────────────────────

export function useAccounts(q: string, state: string | undefined) {
  const query = new URLSearchParams({ limit: '200', ...(q ? { q } : {}), ...(state ? { state } : {}) });
  return useQuery({
    queryKey: ['console', 'accounts', q, state],
    queryFn: () => requestJson<{ items: Account[]; total: number }>('GET', `/admin/accounts?${query.toString()}`),
    placeholderData: (previous) => previous,
  });
}

export interface AccountBody {
  loginName?: string;
  displayName?: string;
  mobile?: string;
  email?: string;
  unitId?: string | null;
  roles?: string[];
  districts?: string[];
  password?: string;
}

export const useCreateAccount = () =>
  useChange((body: AccountBody) => requestJson<Account>('POST', '/admin/accounts', body), ['console', 'accounts']);

export const useUpdateAccount = () =>
  useChange(
    ({ id, body }: { id: string; body: AccountBody }) => requestJson<Account>('PATCH', `/admin/accounts/${id}`, body),
    ['console', 'accounts'],
  );

export const useAccountState = () =>
  useChange(
    ({ id, enable }: { id: string; enable: boolean }) =>
      requestJson<Account>('POST', `/admin/accounts/${id}/${enable ? 'enable' : 'disable'}`),
    ['console', 'accounts'],
  );

export const useResetPassword = () =>
  useChange(
    ({ id, password }: { id: string; password: string }) =>
      requestJson<Account>('POST', `/admin/accounts/${id}/reset-password`, { password }),
    ['console', 'accounts'],
  );

/** Spreadsheet import: dry run first (a report per row), then confirm. */
export function useImportAccounts() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async ({ file, confirm }: { file: File; confirm: boolean }) => {
      const type = file.name.endsWith('.csv') ? 'text/csv' : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
      const { prepare, errorOf } = await import('../../api/http');
      const url = `/admin/accounts/import?${confirm ? 'confirm=true' : 'dryRun=true'}`;
      const res = await fetch(
        prepare(new Request(url, { method: 'POST', body: file, credentials: 'same-origin', headers: { 'content-type': type } })),
      );
      if (!res.ok) throw await errorOf(res);
      return (await res.json()) as ImportReport;
    },
    onSuccess: () => client.invalidateQueries({ queryKey: ['console', 'accounts'] }),
  });
}

export interface ImportReport {
  outcome: 'dry-run' | 'imported' | 'refused';
  total: number;
  valid: number;
  invalid: number;
  imported: number;
  rows: ImportRow[];
}

export function useAudit() {
  return useQuery({ queryKey: ['console', 'audit'], queryFn: () => requestJson<AuditEntry[]>('GET', '/admin/audit?limit=100') });
}

// ── dead letters (every service) ────────────────────────────────────────────────────────────

export const SERVICES = ['intake', 'dispatch', 'sla', 'callback', 'analytics'] as const;
export type Service = (typeof SERVICES)[number];

export function useDeadLetters(service: Service, includeReplayed: boolean) {
  return useQuery({
    queryKey: [service, 'dead-letters', includeReplayed],
    // Through the console's proxy; the endpoint's query (pipes, no DTO) is not in the documents.
    queryFn: () =>
      requestJson<DeadLetter[]>('GET', `/api/${service}/admin/dead-letters?includeReplayed=${String(includeReplayed)}&limit=200`),
  });
}

export function useReplay(service: Service) {
  return useChange(
    (id: string) => requestJson<{ result: string }>('POST', `/api/${service}/admin/dead-letters/${id}/replay`),
    [service, 'dead-letters'],
  );
}

export interface ImportRow {
  row: number;
  loginName: string | null;
  ok: boolean;
  errors: { field: string; reason: string }[];
}

// ── notify's delivery log ────────────────────────────────────────────────────────────────────

export type Delivery = NotifyC['schemas']['DeliveryView'];
export const DELIVERY_STATES = ['pending', 'digest', 'digested', 'sent', 'failed', 'dead'] as const;
export const DELIVERY_CHANNELS = ['sms', 'email', 'wecom', 'dingtalk'] as const;
export type DeliveryState = (typeof DELIVERY_STATES)[number];
export type DeliveryChannel = (typeof DELIVERY_CHANNELS)[number];

/** One page of the delivery log, newest first; a page one longer than asked tells that there is a next one. */
export function useDeliveries(states: readonly DeliveryState[], channel: DeliveryChannel | undefined, page: number, pageSize: number) {
  return useQuery({
    queryKey: ['notify', 'deliveries', states, channel, page, pageSize],
    queryFn: async () => {
      const rows = dataOf(
        await notify.GET('/admin/deliveries', {
          params: {
            query: {
              state: [...(states.length ? states : DELIVERY_STATES)],
              channel,
              limit: pageSize + 1,
              offset: (page - 1) * pageSize,
            },
          },
        }),
      );
      return { rows: rows.slice(0, pageSize), more: rows.length > pageSize };
    },
    placeholderData: (previous) => previous,
  });
}

// ── callback's expiry-callback policy ────────────────────────────────────────────────────────

export function useExpiryPolicies() {
  return useQuery({
    queryKey: ['callback', 'expiry-policies'],
    queryFn: () => answer<ExpiryPolicy[]>(callback.GET('/admin/expiry-policies')),
  });
}

export function useExpiryPolicyChanges(district?: string) {
  return useQuery({
    queryKey: ['callback', 'expiry-policies', 'changes', district],
    queryFn: () =>
      requestJson<ExpiryPolicyChange[]>(
        'GET',
        `/api/callback/admin/expiry-policies/changes${district ? `?district=${encodeURIComponent(district)}` : ''}`,
      ),
  });
}

export const useSetExpiryPolicy = () =>
  useChange(
    async ({ district, enabled, note }: { district: string; enabled: boolean; note?: string }) =>
      requestJson<ExpiryPolicy>('PUT', `/api/callback/admin/expiry-policies/${encodeURIComponent(district)}`, { enabled, note }),
    ['callback', 'expiry-policies'],
  );
