import { useTranslation } from 'react-i18next';
/** One TanStack Query hook per intake (and organisation) call the operator's screens make. */
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { dataOf, intake } from '../../api/clients';
import type { components, paths } from '../../api/intake';
import type { AssistBody, AssistView, Category, CreateTicketBody, CreatedTicket, TicketPage } from './types';

type PlacesView = components['schemas']['PlacesView'];

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

/**
 * The city's place list (districts → streets/townships → communities/villages) from intake's
 * GET /places: one document of a few thousand rows, revalidated by its ETag, looked up by code here.
 */
export function usePlaces() {
  return useQuery({
    queryKey: ['intake', 'places'],
    staleTime: 60 * 60_000,
    queryFn: async () => placeBook(dataOf(await intake.GET('/places'))),
  });
}

export type PlaceBook = ReturnType<typeof placeBook>;

/**
 * Codes of a place (district, street, community…) as one line of names in the current language,
 * "城西区 · 胜利路街道 · 胜利路社区"; a code the list does not know is left out, or shown as it is with `orCode`.
 */
export function usePlaceLine(): (codes: (string | null | undefined)[], orCode?: boolean) => string {
  const places = usePlaces();
  const { i18n } = useTranslation();
  const lang = i18n.language === 'en' ? 'nameEn' : 'nameZh';
  return (codes, orCode = false) =>
    codes
      .map((code) => places.data?.nameOf(code, lang) ?? (orCode ? code : undefined))
      .filter(Boolean)
      .join(' · ');
}

function placeBook(view: PlacesView) {
  const names = new Map<string, { nameZh: string; nameEn: string }>();
  const streets = new Map<string, PlacesView['districts'][number]['streets']>();
  const communities = new Map<string, PlacesView['districts'][number]['streets'][number]['communities']>();
  for (const d of view.districts) {
    names.set(d.code, d);
    streets.set(d.code, d.streets);
    for (const s of d.streets) {
      names.set(s.code, s);
      communities.set(s.code, s.communities);
      for (const c of s.communities) names.set(c.code, c);
    }
  }
  return {
    districts: view.districts,
    streetsOf: (districtCode?: string) => (districtCode ? (streets.get(districtCode) ?? []) : []),
    communitiesOf: (streetCode?: string) => (streetCode ? (communities.get(streetCode) ?? []) : []),
    /** The name of a district, street or community code, in the language asked for. */
    nameOf: (code: string | null | undefined, lang: 'nameZh' | 'nameEn') => (code ? names.get(code)?.[lang] : undefined),
  };
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
    // Not under 'intake': a live event must not refetch what the operator is typing against.
    queryKey: ['assist', body],
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
