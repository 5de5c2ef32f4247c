/** The person's own inbox in notify: one TanStack Query hook per call. */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { dataOf, notify } from '../../api/clients';
import type { components } from '../../api/notify';

export type NotificationView = components['schemas']['NotificationView'];

export function useUnreadCount(enabled: boolean) {
  return useQuery({
    queryKey: ['notify', 'unread'],
    queryFn: async () => dataOf(await notify.GET('/inbox/unread-count')).unread,
    enabled,
  });
}

export function useInbox(enabled: boolean) {
  return useQuery({
    queryKey: ['notify', 'inbox'],
    queryFn: async () => dataOf(await notify.GET('/inbox', { params: { query: { limit: 50 } } })),
    enabled,
  });
}

function useInboxStep<I>(fn: (input: I) => Promise<unknown>) {
  const client = useQueryClient();
  return useMutation({ mutationFn: fn, onSuccess: () => client.invalidateQueries({ queryKey: ['notify'] }) });
}

export function useMarkRead() {
  return useInboxStep(async (id: string) => dataOf(await notify.POST('/inbox/{id}/read', { params: { path: { id } } })));
}

export function useMarkAllRead() {
  return useInboxStep(async () => dataOf(await notify.POST('/inbox/read-all')));
}
