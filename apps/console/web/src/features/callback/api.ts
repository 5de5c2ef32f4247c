/**
 * The callback queue's server state: one hook per call of the callback service's task API. Keys start
 * with 'callback', so live events (ticket.*, callback.*) refresh them; every step invalidates them.
 */
import { useMutation, useQueries, useQuery, useQueryClient } from '@tanstack/react-query';
import { callback, dataOf } from '../../api/clients';
import type { operations } from '../../api/callback';
import type { Task } from './types';

export type TaskFilter = NonNullable<operations['TasksController_list']['parameters']['query']>;

export const taskKeys = {
  list: (f: TaskFilter) => ['callback', 'tasks', 'list', f] as const,
  detail: (id: string) => ['callback', 'tasks', 'detail', id] as const,
};

export function useTasks(filter: TaskFilter) {
  return useQuery({
    queryKey: taskKeys.list(filter),
    queryFn: async () => dataOf(await callback.GET('/tasks', { params: { query: filter } })) as unknown as Task[],
    placeholderData: (previous) => previous,
  });
}

/** Several lists at once (a team works more than one kind of task; the API filters one kind at a time). */
export function useTaskLists(filters: TaskFilter[]) {
  return useQueries({
    queries: filters.map((filter) => ({
      queryKey: taskKeys.list(filter),
      queryFn: async () => dataOf(await callback.GET('/tasks', { params: { query: filter } })),
    })),
  });
}

export function useTask(id: string | null) {
  return useQuery({
    queryKey: taskKeys.detail(id ?? ''),
    enabled: Boolean(id),
    queryFn: async () => dataOf(await callback.GET('/tasks/{id}', { params: { path: { id: id! } } })),
  });
}

function useStep<I>(fn: (input: I) => Promise<unknown>) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: () => client.invalidateQueries({ queryKey: ['callback', 'tasks'] }),
  });
}

const path = (id: string) => ({ params: { path: { id } } });

/** 领取下一个: the earliest-due open task of the team; a 404 means the queue is empty. */
export function useTakeNext() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async () => dataOf(await callback.POST('/tasks/next')) as unknown as Task,
    onSuccess: () => client.invalidateQueries({ queryKey: ['callback', 'tasks'] }),
  });
}

export const useClaim = (id: string) => useStep(async () => dataOf(await callback.POST('/tasks/{id}/claim', path(id))));
export const useRelease = (id: string) => useStep(async () => dataOf(await callback.POST('/tasks/{id}/release', path(id))));
export const useAttempt = (id: string) =>
  useStep(async (result: 'no_answer' | 'busy' | 'wrong_number' | 'refused') =>
    dataOf(await callback.POST('/tasks/{id}/attempts', { ...path(id), body: { result } })),
  );
export const useComplete = (id: string) =>
  useStep(
    async (body: {
      contacted: boolean;
      resolved: boolean;
      satisfaction: 'satisfied' | 'basically_satisfied' | 'unsatisfied';
      comment?: string;
    }) => dataOf(await callback.POST('/tasks/{id}/complete', { ...path(id), body: { ...body, channel: 'phone' } })),
  );

/** 显示号码 — 将被记录: intake decrypts the contact for the holder of the task and audits the reveal. */
export function useRevealContact(id: string) {
  return useMutation({
    mutationFn: async () => dataOf(await callback.GET('/tasks/{id}/contact', path(id))),
  });
}

/** 发送短信评价链接: the link goes to the citizen's phone only; staff see where and until when. */
export function useSendSms(id: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async () => dataOf(await callback.POST('/tasks/{id}/sms', path(id))),
    onSuccess: () => client.invalidateQueries({ queryKey: ['callback', 'tasks'] }),
  });
}
