/** The leaders' and analysts' server state: one TanStack Query hook per call of analytics (and dispatch's street names). */
import { hashKey, keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { analytics, dataOf, dispatch } from '../../api/clients';
import type { Figure, HotspotStatus, PeriodQuery, ReportKind, ReportSummary } from './types';

const periodParams = (p: PeriodQuery) =>
  p.period === 'custom' ? { period: p.period, from: p.from, to: p.to } : { period: p.period, from: p.from };

export function useRates(p: PeriodQuery, districtCode: string | null) {
  return useQuery({
    queryKey: ['analytics', 'rates', p, districtCode],
    queryFn: async () =>
      dataOf(await analytics.GET('/rates', { params: { query: { ...periodParams(p), districtCode: districtCode ?? undefined } } })),
    placeholderData: keepPreviousData,
  });
}

export function useBreakdown(p: PeriodQuery, districtCode: string | null, dimension: 'district' | 'street' | 'unit') {
  return useQuery({
    queryKey: ['analytics', 'breakdown', p, districtCode, dimension],
    queryFn: async () =>
      dataOf(
        await analytics.GET('/rates/breakdown', {
          params: { query: { ...periodParams(p), districtCode: districtCode ?? undefined, dimension } },
        }),
      ),
    placeholderData: keepPreviousData,
  });
}

export function useTrend(p: PeriodQuery, districtCode: string | null, granularity: 'day' | 'week' | 'month') {
  return useQuery({
    queryKey: ['analytics', 'trend', p, districtCode, granularity],
    queryFn: async () =>
      dataOf(
        await analytics.GET('/rates/trend', {
          params: { query: { ...periodParams(p), districtCode: districtCode ?? undefined, granularity } },
        }),
      ),
    placeholderData: keepPreviousData,
  });
}

export interface FigureScope {
  districtCode: string | null;
  streetCode?: string;
  unitId?: string;
}

/**
 * The orders behind one figure of one place. While another page (or 只看拉低指标) loads, the rows on screen stay;
 * when the figure, place or period changes they do not, as another figure's orders under this figure's title would
 * be read as this figure's.
 */
export function useFigureOrders(p: PeriodQuery, figure: Figure | null, scope: FigureScope, againstOnly: boolean, page: number) {
  const subject = ['analytics', 'orders', p, figure, scope];
  return useQuery({
    queryKey: [...subject, againstOnly, page],
    enabled: figure !== null,
    queryFn: async () =>
      dataOf(
        await analytics.GET('/rates/orders', {
          params: {
            query: {
              ...periodParams(p),
              figure: figure!,
              districtCode: scope.districtCode ?? undefined,
              streetCode: scope.streetCode,
              unitId: scope.unitId,
              against: againstOnly ? 'true' : undefined,
              page,
              pageSize: 20,
            },
          },
        }),
      ),
    placeholderData: (previous, previousQuery) =>
      previousQuery && hashKey(previousQuery.queryKey.slice(0, subject.length)) === hashKey(subject) ? previous : undefined,
  });
}

/** Street and township names by street code (dispatch's organisation), of one district or of all the person may see. */
export function useStreetNames(districtCode: string | null) {
  return useQuery({
    queryKey: ['dispatch', 'org', 'streets', districtCode],
    staleTime: 10 * 60_000,
    queryFn: async () => {
      const units = dataOf(await dispatch.GET('/org/units', { params: { query: { districtCode: districtCode ?? undefined } } }));
      return new Map(
        units.filter((u) => (u.kind === 'street' || u.kind === 'township') && u.streetCode).map((u) => [u.streetCode!, u.nameZh]),
      );
    },
  });
}

export function useRanking(month: string, kind: 'unit' | 'street', districtCode: string | null) {
  return useQuery({
    queryKey: ['analytics', 'ranking', month, kind, districtCode],
    queryFn: async () =>
      dataOf(await analytics.GET('/rankings/monthly', { params: { query: { month, kind, districtCode: districtCode ?? undefined } } })),
    placeholderData: keepPreviousData,
  });
}

export function useTopProblems(unitId: string, month: string, districtCode: string | null) {
  return useQuery({
    queryKey: ['analytics', 'top-problems', unitId, month, districtCode],
    queryFn: async () =>
      dataOf(
        await analytics.GET('/units/{unitId}/top-problems', {
          params: { path: { unitId }, query: { period: 'month', from: `${month}-01`, districtCode: districtCode ?? undefined, limit: 5 } },
        }),
      ),
  });
}

export function useHotspots(status: HotspotStatus | null) {
  return useQuery({
    queryKey: ['analytics', 'hotspots', status],
    queryFn: async () => dataOf(await analytics.GET('/hotspots', { params: { query: { status: status ?? undefined, limit: 200 } } })),
  });
}

export function useMapConfig() {
  return useQuery({
    queryKey: ['analytics', 'map'],
    staleTime: Infinity,
    queryFn: async () => dataOf(await analytics.GET('/hotspots/map')),
  });
}

function useInvalidating<I, O>(fn: (input: I) => Promise<O>, key: string) {
  const client = useQueryClient();
  return useMutation({ mutationFn: fn, onSuccess: () => client.invalidateQueries({ queryKey: ['analytics', key] }) });
}

export const useDetectHotspots = () =>
  useInvalidating(async (b: { from: string; to: string }) => dataOf(await analytics.POST('/hotspots/detect', { body: b })), 'hotspots');
export const useDecideHotspot = () =>
  useInvalidating(
    async ({ id, decision }: { id: string; decision: 'confirm' | 'dismiss' }) =>
      dataOf(
        decision === 'confirm'
          ? await analytics.POST('/hotspots/{id}/confirm', { params: { path: { id } } })
          : await analytics.POST('/hotspots/{id}/dismiss', { params: { path: { id } } }),
      ),
    'hotspots',
  );

export function useReports(kind: ReportKind | null) {
  return useQuery({
    queryKey: ['analytics', 'reports', kind],
    queryFn: async () => dataOf(await analytics.GET('/reports', { params: { query: { kind: kind ?? undefined, pageSize: 100 } } })),
  });
}

export const useGenerateReport = () =>
  useInvalidating(
    async (b: { kind: ReportKind; date: string; districtCode?: string }) => dataOf(await analytics.POST('/reports', { body: b })),
    'reports',
  );

/** Where the browser opens or downloads a stored report (through the console's proxy, with the session cookie). */
export const reportUrl = (r: ReportSummary, what: 'html' | 'xlsx' | 'pdf') => `/api/analytics${r.links[what]}`;
