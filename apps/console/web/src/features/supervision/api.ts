/**
 * The supervisors' server state: sla's supervision list, clocks and extensions, one hook per call. Keys
 * start with 'sla' (live sla.* and ticket.* events refresh them); steps invalidate sla and dispatch.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { dataOf, dispatch, sla } from '../../api/clients';
import type { operations } from '../../api/sla';
import type { ClockView, Extension, Item, ItemDetail } from './types';

export type ItemFilter = NonNullable<operations['SupervisionController_list']['parameters']['query']>;
export type AtRiskFilter = NonNullable<operations['ClocksController_atRisk']['parameters']['query']>;

export function useItems(filter: ItemFilter) {
  return useQuery({
    queryKey: ['sla', 'supervision', 'list', filter],
    queryFn: async () => dataOf(await sla.GET('/supervision', { params: { query: filter } })) as unknown as Item[],
    placeholderData: (previous) => previous,
  });
}

export function useItem(id: string | null) {
  return useQuery({
    queryKey: ['sla', 'supervision', 'item', id],
    enabled: Boolean(id),
    queryFn: async () => dataOf(await sla.GET('/supervision/{id}', { params: { path: { id: id! } } })) as unknown as ItemDetail,
  });
}

export function useAtRisk(filter: AtRiskFilter) {
  return useQuery({
    queryKey: ['sla', 'clocks', 'at-risk', filter],
    queryFn: async () => dataOf(await sla.GET('/clocks/at-risk', { params: { query: filter } })) as unknown as ClockView[],
    placeholderData: (previous) => previous,
    refetchInterval: 60_000,
  });
}

export function useClocks(ticketId: string | null) {
  return useQuery({
    queryKey: ['sla', 'clocks', 'ticket', ticketId],
    enabled: Boolean(ticketId),
    queryFn: async () => dataOf(await sla.GET('/clocks', { params: { query: { ticketId: ticketId ?? '' } } })) as unknown as ClockView[],
  });
}

export function useExtensions(status: 'pending' | 'approved' | 'refused' | undefined) {
  return useQuery({
    queryKey: ['sla', 'extensions', status ?? 'all'],
    queryFn: async () =>
      dataOf(await sla.GET('/extensions', { params: { query: { limit: 500, ...(status ? { status } : {}) } } })) as unknown as Extension[],
  });
}

/** The order behind a row (number, content, state), from dispatch; the order drawer shares the cache. */
export function useOrderBrief(ticketId: string | null) {
  return useQuery({
    queryKey: ['dispatch', 'orders', 'detail', ticketId ?? ''],
    enabled: Boolean(ticketId),
    queryFn: async () => dataOf(await dispatch.GET('/orders/{ticketId}', { params: { path: { ticketId: ticketId ?? '' } } })),
    staleTime: 30_000,
  });
}

/**
 * Order numbers for the rows of a list, in one call per 100 rows instead of one per row: every
 * `useOrderNumber` asked for in the same moment (a table rendering) joins one GET /orders?ticketIds=.
 */
const waiting = new Map<string, ((orderNo: string | null) => void)[]>();
let flush: number | undefined;

function numberOf(ticketId: string): Promise<string | null> {
  return new Promise((resolve) => {
    waiting.set(ticketId, [...(waiting.get(ticketId) ?? []), resolve]);
    flush ??= window.setTimeout(() => {
      flush = undefined;
      const batch = new Map(waiting);
      waiting.clear();
      const ids = [...batch.keys()];
      for (let i = 0; i < ids.length; i += 100) {
        const chunk = ids.slice(i, i + 100);
        void dispatch
          .GET('/orders', { params: { query: { ticketIds: chunk.join(','), limit: 100 } } })
          .then((r) => new Map((r.data ?? []).map((o) => [o.ticketId, o.orderNo])))
          .catch(() => new Map<string, string>())
          .then((found) => {
            for (const id of chunk) for (const done of batch.get(id) ?? []) done(found.get(id) ?? null);
          });
      }
    }, 10);
  });
}

export function useOrderNumber(ticketId: string) {
  return useQuery({
    queryKey: ['dispatch', 'orders', 'number', ticketId],
    queryFn: () => numberOf(ticketId),
    staleTime: 10 * 60_000,
  });
}

function useStep<I>(fn: (input: I) => Promise<unknown>) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: () => Promise.all([client.invalidateQueries({ queryKey: ['sla'] }), client.invalidateQueries({ queryKey: ['dispatch'] })]),
  });
}

const item = (id: string) => ({ params: { path: { id } } });

export const useUrge = (id: string) =>
  useStep(async (note: string) => dataOf(await sla.POST('/supervision/{id}/urge', { ...item(id), body: { note } })));
export const useComment = (id: string) =>
  useStep(async (note: string) => dataOf(await sla.POST('/supervision/{id}/comment', { ...item(id), body: { note } })));
export const useCloseItem = (id: string) =>
  useStep(async (note?: string) => dataOf(await sla.POST('/supervision/{id}/close', { ...item(id), body: note ? { note } : {} })));
export const useUrgeOrder = () =>
  useStep(async (body: { ticketId: string; note: string }) => dataOf(await sla.POST('/supervision/urge', { body })));
export const useDecide = (id: string) =>
  useStep(async (body: { approve: boolean; days?: number; note?: string }) =>
    dataOf(await sla.POST('/extensions/{id}/decision', { ...item(id), body })),
  );

const clock = (ticketId: string) => ({ params: { path: { ticketId } } });
export const usePause = (ticketId: string) =>
  useStep(async () => dataOf(await sla.POST('/clocks/{ticketId}/pause', { ...clock(ticketId), body: { reason: 'waiting_for_citizen' } })));
export const useResume = (ticketId: string) => useStep(async () => dataOf(await sla.POST('/clocks/{ticketId}/resume', clock(ticketId))));
