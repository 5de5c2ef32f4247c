/**
 * Names instead of codes: a category code (lift) shows as its name (电梯), zh-CN first, English under
 * the switch; a district code (630104) as its name (城西区). One fetch each, cached for the session,
 * shared by every list and page (worklists, queues, the order page, supervision, search, admin).
 */
import { useQuery } from '@tanstack/react-query';
import { useCallback, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { dispatch, intake } from './clients';

interface Named {
  nameZh: string;
  nameEn: string;
}

interface CategoryRow extends Named {
  code: string;
}

interface UnitRow extends Named {
  districtCode: string;
}

export function useCategoryName(): (code: string | null | undefined) => string {
  const { i18n } = useTranslation();
  const q = useQuery({
    queryKey: ['intake', 'categories', 'all'],
    queryFn: async () => ((await intake.GET('/categories', { params: { query: { all: 'true' } } })).data ?? []) as unknown as CategoryRow[],
    staleTime: 30 * 60_000,
  });
  const byCode = useMemo(() => new Map((q.data ?? []).map((c) => [c.code, c])), [q.data]);
  const en = i18n.language === 'en';
  return useCallback(
    (code) => {
      if (!code) return '—';
      const c = byCode.get(code);
      return c ? (en ? c.nameEn : c.nameZh) : code;
    },
    [byCode, en],
  );
}

export function useDistrictName(): (code: string | null | undefined) => string {
  const { i18n } = useTranslation();
  const q = useQuery({
    queryKey: ['dispatch', 'org', 'districts', 'names'],
    queryFn: async () =>
      ((await dispatch.GET('/org/units', { params: { query: { kind: 'district_centre' } } })).data ?? []) as unknown as UnitRow[],
    staleTime: 30 * 60_000,
  });
  const byCode = useMemo(
    () =>
      new Map(
        (q.data ?? []).map((d) => [
          d.districtCode,
          {
            nameZh: d.nameZh.replace(/(接诉即办|热线)?(中心|办)$/, ''),
            nameEn: d.nameEn.replace(/\s*(12345|hotline|Jiesu)?\s*(centre|center|office)$/i, ''),
          },
        ]),
      ),
    [q.data],
  );
  const en = i18n.language === 'en';
  return useCallback(
    (code) => {
      if (!code) return '—';
      const d = byCode.get(code);
      return d ? (en ? d.nameEn : d.nameZh) : code;
    },
    [byCode, en],
  );
}
