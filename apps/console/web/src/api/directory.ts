/**
 * 通讯录 (the console's GET /directory/*): the people of a unit for staff pickers, and the names behind
 * the account ids that timelines and records carry. Keys start with 'console' (no bus event changes them).
 */
import { useQuery } from '@tanstack/react-query';
import { requestJson } from './http';

export interface Person {
  id: string;
  displayName: string;
  unitId: string | null;
  unitName: string | null;
  roles: string[];
}

export function useUnitPeople(unitId: string | null | undefined) {
  return useQuery({
    queryKey: ['console', 'directory', 'people', unitId ?? ''],
    enabled: Boolean(unitId),
    queryFn: () => requestJson<Person[]>('GET', `/directory/people?unitId=${encodeURIComponent(unitId!)}`),
    staleTime: 5 * 60_000,
  });
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A function from an actor id to a person's name (the id itself while unknown, or for non-accounts). */
export function usePeopleNames(ids: readonly (string | null | undefined)[]): (id: string) => string {
  const wanted = [...new Set(ids.filter((x): x is string => Boolean(x && UUID.test(x))))].sort().slice(0, 100);
  const q = useQuery({
    queryKey: ['console', 'directory', 'names', wanted.join(',')],
    enabled: wanted.length > 0,
    queryFn: () => requestJson<Person[]>('GET', `/directory/names?ids=${wanted.join(',')}`),
    staleTime: 10 * 60_000,
  });
  const byId = new Map((q.data ?? []).map((p) => [p.id, p.displayName]));
  return (id) => byId.get(id) ?? id;
}
