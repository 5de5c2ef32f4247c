/** The units a dispatcher may send an order to, as picker options (the bulk bar and the order drawer share them). */
import { useTranslation } from 'react-i18next';
import { useUnits, type OrgUnit } from '../handling/api';

const ASSIGNABLE = new Set(['street', 'township', 'community', 'department', 'utility', 'resident_desk']);

export function useUnitOptions(districtCode: string) {
  const { i18n } = useTranslation();
  const units = useUnits({ districtCode }).data ?? [];
  const city = useUnits({}).data ?? [];
  const all = [...units, ...city.filter((u) => u.districtCode !== districtCode && u.kind === 'utility')];
  const seen = new Set<string>();
  return all
    .filter((u: OrgUnit) => u.active && ASSIGNABLE.has(u.kind) && !seen.has(u.id) && seen.add(u.id))
    .map((u) => ({ value: u.id, label: i18n.language === 'en' ? u.nameEn : u.nameZh }));
}
