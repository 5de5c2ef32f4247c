/**
 * The handling unit's server state: one TanStack Query hook per call of dispatch's order API (and
 * intake's attachments). Query keys start with the answering service, so the live events
 * (useLiveEvents) refresh them; every step invalidates dispatch's queries, so each list moves at once.
 */
import { useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { dataOf, dispatch, intake } from '../../api/clients';
import type { components, operations } from '../../api/dispatch';

export type Order = components['schemas']['OrderView'];
export type OrderDetail = components['schemas']['OrderDetailView'];
export type TimelineEntry = components['schemas']['TimelineEntryView'];
export type OrgUnit = components['schemas']['OrgUnitView'];
export type WorklistFilter = NonNullable<operations['WorkflowController_list']['parameters']['query']>;
export type ReplyInput = components['schemas']['ReplyDto'];
export type ContactInput = components['schemas']['ContactDto'];

export const orderKeys = {
  all: ['dispatch', 'orders'] as const,
  list: (f: WorklistFilter) => ['dispatch', 'orders', 'list', f] as const,
  detail: (id: string) => ['dispatch', 'orders', 'detail', id] as const,
  units: (q: object) => ['dispatch', 'units', q] as const,
  attachments: (id: string) => ['intake', 'attachments', id] as const,
};

/** What the worklist and the sign-off queues ask for when they open (the boot prefetches these very keys). */
export const WORKLIST_OPENING: WorklistFilter = { limit: 500 };
export const SIGNOFF_OPENING: WorklistFilter = { state: 'awaiting_signoff', limit: 500 };
/** 双交办 waiting for the district leader: held before its dispatch, or in hand (its reply waits for the sign-off). */
export const LEADER_OPENING: WorklistFilter = { awaitingLeader: 'true', limit: 500 };

const worklistQuery = (filter: WorklistFilter) => ({
  queryKey: orderKeys.list(filter),
  queryFn: async () => dataOf(await dispatch.GET('/orders', { params: { query: filter } })),
});

export function useWorklist(filter: WorklistFilter) {
  return useQuery({ ...worklistQuery(filter), placeholderData: (previous) => previous });
}

/** Starts the lists a screen opens with, into the same cache entries its hooks read (see nav.tsx `prefetch`). */
export function prefetchWorklists(client: QueryClient, filters: WorklistFilter[]): Promise<unknown> {
  return Promise.all(filters.map((f) => client.prefetchQuery(worklistQuery(f))));
}

export function useOrder(id: string | null) {
  return useQuery({
    queryKey: orderKeys.detail(id ?? ''),
    enabled: Boolean(id),
    queryFn: async () => dataOf(await dispatch.GET('/orders/{ticketId}', { params: { path: { ticketId: id! } } })),
  });
}

/** Units of the caller's districts (and the city's), for pickers and for showing a unit's name. */
export function useUnits(query: { districtCode?: string; parentId?: string } = {}) {
  return useQuery({
    queryKey: orderKeys.units(query),
    queryFn: async () => dataOf(await dispatch.GET('/org/units', { params: { query } })),
    staleTime: 5 * 60_000,
  });
}

export function useAttachments(id: string, enabled: boolean) {
  return useQuery({
    queryKey: orderKeys.attachments(id),
    enabled,
    queryFn: async () => dataOf(await intake.GET('/tickets/{id}/attachments', { params: { path: { id } } })),
  });
}

/** A step on an order: on success every dispatch list and the order itself refetch. */
function useStep<I, O>(fn: (input: I) => Promise<O>) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: () => client.invalidateQueries({ queryKey: ['dispatch'] }),
  });
}

const path = (ticketId: string) => ({ params: { path: { ticketId } } });

export const useSign = (id: string) => useStep(async () => dataOf(await dispatch.POST('/orders/{ticketId}/sign', path(id))));

export const useContact = (id: string) =>
  useStep(async (body: ContactInput) => dataOf(await dispatch.POST('/orders/{ticketId}/contact', { ...path(id), body })));

export const useReply = (id: string) =>
  useStep(async (body: ReplyInput) => dataOf(await dispatch.POST('/orders/{ticketId}/reply', { ...path(id), body })));

export const useExtension = (id: string) =>
  useStep(async (body: components['schemas']['ExtensionRequestDto']) =>
    dataOf(await dispatch.POST('/orders/{ticketId}/extension', { ...path(id), body })),
  );

export const useReturnRequest = (id: string) =>
  useStep(async (body: components['schemas']['ReturnRequestDto']) =>
    dataOf(await dispatch.POST('/orders/{ticketId}/return', { ...path(id), body })),
  );

export const useAssign = (id: string) =>
  useStep(async (body: components['schemas']['AssignDto']) =>
    dataOf(await dispatch.POST('/orders/{ticketId}/assign', { ...path(id), body })),
  );

export const useSignoff = (id: string) =>
  useStep(async (body: components['schemas']['SignoffDto']) =>
    dataOf(await dispatch.POST('/orders/{ticketId}/signoff', { ...path(id), body })),
  );

export const useLeaderDispatch = (id: string) =>
  useStep(async (body: components['schemas']['LeaderDispatchDto']) =>
    dataOf(await dispatch.POST('/orders/{ticketId}/leader-dispatch', { ...path(id), body })),
  );

/** 双交办 in hand: the district leader signs off an order a merge made 双交办; its unit's reply may then go out. */
export const useLeaderSignoff = (id: string) =>
  useStep(async (body: components['schemas']['LeaderSignoffDto']) =>
    dataOf(await dispatch.POST('/orders/{ticketId}/leader-signoff', { ...path(id), body })),
  );

/** 吹哨报到 by the head of the lead unit: co-units of the district join the order. */
export const useCallCoUnits = (id: string) =>
  useStep(async (body: components['schemas']['CoUnitsDto']) =>
    dataOf(await dispatch.POST('/orders/{ticketId}/co-units', { ...path(id), body })),
  );

export const useCoSign = (id: string) => useStep(async () => dataOf(await dispatch.POST('/orders/{ticketId}/co-sign', path(id))));

export const useCoSubmit = (id: string) =>
  useStep(async (body: components['schemas']['CoPartDto']) =>
    dataOf(await dispatch.POST('/orders/{ticketId}/co-submit', { ...path(id), body })),
  );

/** 显示号码: dispatch checks the caller handles the order; intake decrypts the contact and audits the reveal. */
export function useReveal(id: string) {
  return useMutation({
    mutationFn: async (purpose: string) =>
      dataOf(await dispatch.POST('/orders/{ticketId}/reveal', { params: { path: { ticketId: id } }, body: { purpose } })),
  });
}

/** An evidence photo: the raw bytes to intake's attachments API; the reply links to it. */
export function useUploadEvidence(id: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (file: File) => {
      const uploaded = dataOf(
        await intake.POST('/tickets/{id}/attachments', {
          params: { path: { id }, query: { fileName: file.name } },
          body: file as unknown as string,
          bodySerializer: (b: unknown) => b as BodyInit,
          headers: { 'content-type': file.type || 'application/octet-stream' },
        }),
      ) as unknown as { id: string; fileName: string };
      return { name: uploaded.fileName, url: `${window.location.origin}/api/intake/tickets/${id}/attachments/${uploaded.id}` };
    },
    onSuccess: () => client.invalidateQueries({ queryKey: orderKeys.attachments(id) }),
  });
}
