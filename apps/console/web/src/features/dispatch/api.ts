/** The dispatcher's server state: one TanStack Query hook per call of dispatch's queue and step API. */
import { useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { dataOf, dispatch } from '../../api/clients';
import type { components } from '../../api/dispatch';

export const QUEUES = ['unrouted', 'returned', 'leader', 'review', 'city'] as const;
export type Queue = (typeof QUEUES)[number];
export type QueueCounts = components['schemas']['QueueCounts'];
export type BulkResult = components['schemas']['BulkDispatchReply'];

/** The queue the dispatcher's screen opens on (the boot prefetches it and the counts). */
export const OPENING_QUEUE: Queue = 'unrouted';

const countsQuery = {
  queryKey: ['dispatch', 'queue-counts'],
  queryFn: async () => dataOf(await dispatch.GET('/orders/queue/counts')),
};

const queueQuery = (queue: Queue) => ({
  queryKey: ['dispatch', 'queue', queue],
  queryFn: async () => dataOf(await dispatch.GET('/orders/queue', { params: { query: { queue, limit: 500 } } })),
});

export function useQueueCounts() {
  return useQuery(countsQuery);
}

export function useQueue(queue: Queue) {
  return useQuery({ ...queueQuery(queue), placeholderData: (previous) => previous });
}

/** Starts what the queues screen opens with, into the cache entries its hooks read (see nav.tsx `prefetch`). */
export function prefetchOpeningQueue(client: QueryClient): Promise<unknown> {
  return Promise.all([client.prefetchQuery(countsQuery), client.prefetchQuery(queueQuery(OPENING_QUEUE))]);
}

export function useSuggestion(id: string) {
  return useQuery({
    queryKey: ['dispatch', 'suggestion', id],
    queryFn: async () => dataOf(await dispatch.GET('/orders/{ticketId}/suggestion', { params: { path: { ticketId: id } } })),
  });
}

function useStep<I, O>(fn: (input: I) => Promise<O>) {
  const client = useQueryClient();
  return useMutation({ mutationFn: fn, onSuccess: () => client.invalidateQueries({ queryKey: ['dispatch'] }) });
}

const path = (ticketId: string) => ({ params: { path: { ticketId } } });
type S = components['schemas'];

export const useDispatchOrder = (id: string) =>
  useStep(async (body: S['DispatchDto']) => dataOf(await dispatch.POST('/orders/{ticketId}/dispatch', { ...path(id), body })));
export const useRedispatch = (id: string) =>
  useStep(async (body: S['RedispatchDto']) => dataOf(await dispatch.POST('/orders/{ticketId}/redispatch', { ...path(id), body })));
export const useTransferDistrict = (id: string) =>
  useStep(async (body: S['TransferDistrictDto']) =>
    dataOf(await dispatch.POST('/orders/{ticketId}/transfer-district', { ...path(id), body })),
  );
export const useReturnDecision = (id: string) =>
  useStep(async (body: S['ReturnDecisionDto']) => dataOf(await dispatch.POST('/orders/{ticketId}/return-decision', { ...path(id), body })));
export const useCoUnits = (id: string) =>
  useStep(async (body: S['CoUnitsDto']) => dataOf(await dispatch.POST('/orders/{ticketId}/co-units', { ...path(id), body })));
export const useReview = (id: string) =>
  useStep(async (body: S['ReviewDto']) => dataOf(await dispatch.POST('/orders/{ticketId}/review', { ...path(id), body })));
export const useReopen = (id: string) =>
  useStep(async (body: S['ReopenDto']) => dataOf(await dispatch.POST('/orders/{ticketId}/reopen', { ...path(id), body })));
export const useBulkDispatch = () =>
  useStep(async (body: S['BulkDispatchDto']) => dataOf(await dispatch.POST('/orders/bulk-dispatch', { body })));
