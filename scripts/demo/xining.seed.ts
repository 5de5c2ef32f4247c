import { EntityManager } from 'typeorm';
import { RouteRule } from '../../apps/dispatch/src/routing/route-rule.entity';
import { OrgUnit, UnitKind } from '../../apps/dispatch/src/org/org-unit.entity';
import { unitIdFor } from '../../apps/dispatch/src/org/unit-id';
import { catalogueCategory } from '../../libs/contracts/src/categories/categories';
import { CITY_PLACES } from '../../libs/contracts/src/places/places';

/**
 * Demo organisation: Xining (630100) with its districts by GB/T 2260 code, their streets and
 * townships and their communities and villages (from the city's place list in @app/contracts), the functional departments named in the domain brief, the city's utilities, and a
 * default routing table per district. District codes are GB/T 2260; the nine-digit township codes
 * follow the national statistical scheme but are illustrative — a real deployment loads its own.
 */
export const CITY = { code: '630100', zh: '西宁市', en: 'Xining' };

/** The districts with their streets and townships (`[suffix, zh, en]`), from the city's place list. */
export const DISTRICTS: { code: string; zh: string; en: string; streets: [string, string, string][] }[] = CITY_PLACES.map((d) => ({
  code: d.code,
  zh: d.nameZh,
  en: d.nameEn,
  streets: d.streets.map((st): [string, string, string] => [st.code.slice(d.code.length), st.nameZh, st.nameEn]),
}));

/** District departments (区/县职能部门) and the categories each takes by default. */
export const DEPARTMENTS: { key: string; zh: string; en: string; categories: string[] }[] = [
  {
    key: 'market_regulation',
    zh: '市场监督管理局',
    en: 'Market Regulation Bureau',
    categories: ['lift', 'consumer_rights', 'food_safety'],
  },
  {
    key: 'human_resources',
    zh: '人力资源和社会保障局',
    en: 'Human Resources and Social Security Bureau',
    categories: ['wage_arrears', 'social_security'],
  },
  { key: 'education', zh: '教育局', en: 'Education Bureau', categories: ['education'] },
  { key: 'health', zh: '卫生健康局', en: 'Health Commission', categories: ['health'] },
  { key: 'ecology_environment', zh: '生态环境局', en: 'Ecology and Environment Bureau', categories: ['pollution', 'cooking_fumes'] },
  { key: 'culture_tourism', zh: '文体旅游局', en: 'Culture, Sports and Tourism Bureau', categories: ['tourism'] },
  { key: 'housing', zh: '住房和城乡建设局', en: 'Housing and Construction Bureau', categories: ['construction'] },
  { key: 'water_affairs', zh: '水务局', en: 'Water Affairs Bureau', categories: ['drainage'] },
  {
    key: 'city_management',
    zh: '城市管理局',
    en: 'City Management Bureau',
    categories: ['street_vendor', 'street_light', 'road', 'tree', 'garbage'],
  },
];

/** City-level public utilities (供热、供水、燃气、供电). */
export const UTILITIES: { key: string; zh: string; en: string; categories: string[] }[] = [
  { key: 'heating', zh: '西宁市供热有限公司', en: 'Xining Heating Company', categories: ['heating'] },
  { key: 'water', zh: '西宁市供水集团', en: 'Xining Water Supply Group', categories: ['water'] },
  { key: 'gas', zh: '西宁燃气公司', en: 'Xining Gas Company', categories: ['gas'] },
  { key: 'power', zh: '国网西宁供电公司', en: 'State Grid Xining Power Supply', categories: ['power'] },
];

/** Categories a street office handles itself when the street is known (属地管理). */
export const STREET_CATEGORIES = ['noise', 'property', 'parking', 'garbage', 'street_vendor', 'neighbourhood'];

/**
 * Communities and villages (社区/村) under each street, from the city's place list: the street office
 * passes orders down to them. A community unit's code is its twelve-digit community code, as a street
 * unit's code is its street code.
 */
export const COMMUNITIES: { street: string; code: string; zh: string; en: string }[] = CITY_PLACES.flatMap((d) =>
  d.streets.flatMap((st) => st.communities.map((c) => ({ street: st.code, code: c.code, zh: c.nameZh, en: c.nameEn }))),
);

/**
 * The three community units seeded before communities carried their twelve-digit codes
 * (`630104004-c01` …). A unit's id is derived from its code when it is created and is its identity
 * from then on (orders, members, accounts, other services' copies point at it), so these keep the id
 * of their first code; dispatch's migration CommunityCodes renames their codes in place.
 */
export const LEGACY_COMMUNITY_CODES: Record<string, string> = {
  '630104004001': '630104004-c01',
  '630104004002': '630104004-c02',
  '630105001001': '630105001-c01',
};

/** Departments with a resident desk (常驻专席) seated in each district centre. */
export const RESIDENT_DESKS = ['market_regulation'];

export const unitCodes = {
  cityCentre: () => `${CITY.code}-centre`,
  residentDesk: (d: string, key: string) => `${d}-desk-${key}`,
  community: (communityCode: string) => communityCode,
  districtCentre: (d: string) => `${d}-centre`,
  department: (d: string, key: string) => `${d}-dept-${key}`,
  utility: (key: string) => `${CITY.code}-utility-${key}`,
  street: (streetCode: string) => streetCode,
};

/** The id of the unit of a code: derived from the code, or for a renamed unit from its first code. */
export function unitIdOf(code: string): string {
  return unitIdFor(LEGACY_COMMUNITY_CODES[code] ?? code);
}

function unit(
  code: string,
  kind: UnitKind,
  nameZh: string,
  nameEn: string,
  districtCode: string,
  parentCode: string | null,
  streetCode: string | null = null,
): OrgUnit {
  return Object.assign(new OrgUnit(), {
    id: unitIdOf(code),
    code,
    kind,
    nameZh,
    nameEn,
    districtCode,
    streetCode,
    parentId: parentCode ? unitIdOf(parentCode) : null,
    requiresHeadSignoff: false,
    dualSignoffRequired: false,
    active: true,
  });
}

/** A category's Chinese name for a rule's note: staff read the notes in the timeline and the routing table. */
function categoryZh(code: string): string {
  return catalogueCategory(code)?.zh ?? code;
}

function rule(
  districtCode: string,
  categoryPrefix: string | null,
  streetCode: string | null,
  unitCode: string,
  priority: number,
  note: string,
): RouteRule {
  return Object.assign(new RouteRule(), {
    id: unitIdFor(`rule:${districtCode}:${categoryPrefix ?? '*'}:${streetCode ?? '*'}`),
    districtCode,
    categoryPrefix,
    streetCode,
    requestType: null,
    urgency: null,
    flag: null,
    unitId: unitIdFor(unitCode),
    priority,
    active: true,
    note,
  });
}

export function xiningOrganisation(): { units: OrgUnit[]; rules: RouteRule[] } {
  const units: OrgUnit[] = [
    unit(unitCodes.cityCentre(), 'city_centre', `${CITY.zh}12345热线服务中心`, `${CITY.en} 12345 Hotline Centre`, CITY.code, null),
  ];
  const rules: RouteRule[] = [];
  for (const u of UTILITIES) units.push(unit(unitCodes.utility(u.key), 'utility', u.zh, u.en, CITY.code, unitCodes.cityCentre()));
  for (const d of DISTRICTS) {
    const centre = unitCodes.districtCentre(d.code);
    units.push(unit(centre, 'district_centre', `${d.zh}接诉即办中心`, `${d.en} District Hotline Centre`, d.code, unitCodes.cityCentre()));
    for (const dep of DEPARTMENTS) {
      units.push(unit(unitCodes.department(d.code, dep.key), 'department', `${d.zh}${dep.zh}`, `${d.en} ${dep.en}`, d.code, centre));
      for (const c of dep.categories)
        rules.push(rule(d.code, c, null, unitCodes.department(d.code, dep.key), 100, `${categoryZh(c)} → ${d.zh}${dep.zh}`));
    }
    for (const key of RESIDENT_DESKS) {
      const dep = DEPARTMENTS.find((x) => x.key === key)!;
      units.push(
        unit(
          unitCodes.residentDesk(d.code, key),
          'resident_desk',
          `${dep.zh}驻${d.zh}中心专席`,
          `${dep.en} resident desk, ${d.en}`,
          d.code,
          centre,
        ),
      );
    }
    for (const u of UTILITIES)
      for (const c of u.categories) rules.push(rule(d.code, c, null, unitCodes.utility(u.key), 100, `${categoryZh(c)} → ${u.zh}`));
    for (const [suffix, zh, en] of d.streets) {
      const code = `${d.code}${suffix}`;
      units.push(
        unit(unitCodes.street(code), suffix.startsWith('1') ? 'township' : 'street', `${d.zh}${zh}`, `${d.en} ${en}`, d.code, centre, code),
      );
      // Known street: its own matters go straight to the street office (直派街乡镇).
      for (const c of STREET_CATEGORIES)
        rules.push(rule(d.code, c, code, unitCodes.street(code), 150, `${categoryZh(c)}（${zh}）→ 直派街乡镇`));
      rules.push(rule(d.code, null, code, unitCodes.street(code), 50, `其他诉求（${zh}）→ 直派街乡镇`));
      for (const c of COMMUNITIES.filter((x) => x.street === code))
        units.push(unit(unitCodes.community(c.code), 'community', `${d.zh}${zh}${c.zh}`, `${d.en} ${c.en}`, d.code, code, code));
    }
    // Nothing matched: the district's city-management bureau takes it (a dispatcher can re-dispatch).
    rules.push(rule(d.code, null, null, unitCodes.department(d.code, 'city_management'), 0, `未匹配规则 → ${d.zh}城市管理局兜底`));
  }
  return { units, rules };
}

/**
 * The part of the demo organisation a dispatch node holds. `districts` is the node's
 * SERVE_DISTRICTS: empty (the city's node) is the whole organisation; otherwise those districts'
 * units (district centre, departments, resident desks, streets and townships, communities) and
 * routing rules, plus the city tier (units of the city's code: the city centre and the city
 * utilities), which serves every district and which the districts' rules point to. A code that is
 * neither a demo district nor the city is refused, so a mistyped SERVE_DISTRICTS does not seed a
 * node with nothing.
 */
export function nodeOrganisation(districts: string[] = []): { units: OrgUnit[]; rules: RouteRule[] } {
  const known = new Set([CITY.code, ...DISTRICTS.map((d) => d.code)]);
  const unknown = districts.filter((d) => !known.has(d));
  if (unknown.length) {
    throw new Error(`SERVE_DISTRICTS: ${unknown.join(', ')} is not a district of the demo organisation (known: ${[...known].join(', ')})`);
  }
  const { units, rules } = xiningOrganisation();
  const keep = (code: string) => districts.length === 0 || districts.includes(code) || code === CITY.code;
  return { units: units.filter((x) => keep(x.districtCode)), rules: rules.filter((x) => keep(x.districtCode)) };
}

/**
 * Load the demo organisation a node holds (`nodeOrganisation`). Idempotent: existing rows are kept
 * as they are, and nothing is deleted.
 */
export async function seedXiningOrganisation(m: EntityManager, districts: string[] = []): Promise<{ units: number; rules: number }> {
  const { units, rules } = nodeOrganisation(districts);
  await m.createQueryBuilder().insert().into(OrgUnit).values(units).orIgnore().execute();
  await m.createQueryBuilder().insert().into(RouteRule).values(rules).orIgnore().execute();
  return { units: units.length, rules: rules.length };
}
