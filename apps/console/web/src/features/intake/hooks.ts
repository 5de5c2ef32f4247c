/** One TanStack Query hook per intake (and organisation) call the operator's screens make. */
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { dispatch, intake } from '../../api/clients';
import type { paths } from '../../api/intake';
import type { AssistBody, AssistView, Category, CreateTicketBody, CreatedTicket, OrgUnit, TicketPage } from './types';

/** openapi-fetch parses the JSON whatever the document says; these answers have no schema there yet. */
async function answer<T>(call: Promise<{ data?: unknown }>): Promise<T> {
  return (await call).data as T;
}

export function useCategories() {
  return useQuery({
    queryKey: ['intake', 'categories'],
    queryFn: () => answer<Category[]>(intake.GET('/categories', { params: { query: { all: 'false' } } })),
    staleTime: 10 * 60_000,
  });
}

export function useDistricts() {
  return useQuery({
    queryKey: ['dispatch', 'org', 'districts'],
    queryFn: () => answer<OrgUnit[]>(dispatch.GET('/org/units', { params: { query: { kind: 'district_centre' } } })),
    staleTime: 10 * 60_000,
  });
}

export function useStreets(districtCode: string | undefined) {
  return useQuery({
    queryKey: ['dispatch', 'org', 'streets', districtCode],
    enabled: Boolean(districtCode),
    staleTime: 10 * 60_000,
    queryFn: async () => {
      const [streets, townships] = await Promise.all(
        (['street', 'township'] as const).map((kind) =>
          answer<OrgUnit[]>(dispatch.GET('/org/units', { params: { query: { districtCode, kind } } })),
        ),
      );
      return [...streets, ...townships];
    },
  });
}

/** A value that settles `ms` after the last change (typing). */
export function useDebounced<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const t = window.setTimeout(() => setSettled(value), ms);
    return () => window.clearTimeout(t);
  }, [value, ms]);
  return settled;
}

/** 智能辅助: suggestion, place, duplicates, repeat calls and articles for what is typed so far. */
export function useAssist(body: AssistBody | null) {
  return useQuery({
    queryKey: ['intake', 'assist', body],
    enabled: Boolean(body?.content.trim()),
    placeholderData: keepPreviousData,
    staleTime: 30_000,
    queryFn: ({ signal }) => answer<AssistView>(intake.POST('/tickets/assist', { body: body!, signal })),
  });
}

export type SearchParams = NonNullable<paths['/tickets/search']['get']['parameters']['query']>;

export function useTicketSearch(query: SearchParams | null) {
  return useQuery({
    queryKey: ['intake', 'search', query],
    enabled: query !== null,
    placeholderData: keepPreviousData,
    queryFn: ({ signal }) => answer<TicketPage>(intake.GET('/tickets/search', { params: { query: query ?? undefined }, signal })),
  });
}

export function useCreateTicket() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ body, key }: { body: CreateTicketBody; key: string }) =>
      answer<CreatedTicket>(intake.POST('/tickets', { body, params: { header: { 'Idempotency-Key': key } } })),
    onSuccess: () => void client.invalidateQueries({ queryKey: ['intake', 'search'] }),
  });
}

export function useAddSupplement() {
  return useMutation({
    mutationFn: ({ ticketId, text }: { ticketId: string; text: string }) =>
      answer<unknown>(intake.POST('/tickets/{id}/supplements', { params: { path: { id: ticketId } }, body: { text } })),
  });
}
