import { Principal } from '@app/platform';
import { unitIdFor } from '../apps/dispatch/src/org/unit-id';
import { COMMUNITIES, DISTRICTS, LEGACY_COMMUNITY_CODES, unitCodes, unitIdOf } from './demo/xining.seed';

const CHENGXI = '630104';
const CHENGBEI = '630105';

/** A handler of one unit: the unit's district (or every district for a city utility). */
function handler(id: string, name: string, unitCode: string, district: string): Principal {
  return { id, name, roles: ['handler'], districts: [district], units: [unitIdOf(unitCode)] };
}

/**
 * The communities with a demo person: those seeded before communities had twelve-digit codes. Their
 * people keep the key and id they were given then (`community630104004c01`, `h-630104004-c01`): a
 * database seeded earlier holds accounts by those names.
 */
const COMMUNITY_PEOPLE = Object.entries(LEGACY_COMMUNITY_CODES).map(([code, legacy]) => ({
  code,
  key: legacy.replace('-', ''),
  id: `h-${legacy}`,
}));

/**
 * One handler per street office and township of a district (keys `street630104001` ...; `skip`: streets
 * that already have a person), and one per community that had a person before communities carried twelve-digit codes
 * (`community630104004c01` ...: COMMUNITY_PEOPLE).
 */
function streetPeople(districtCode: string, skip: string[] = []): Record<string, Principal> {
  const d = DISTRICTS.find((x) => x.code === districtCode)!;
  const out: Record<string, Principal> = {};
  for (const [suffix, zh, en] of d.streets) {
    const code = `${d.code}${suffix}`;
    if (!skip.includes(code))
      out[`street${code}`] = handler(`h-${code}`, `${zh}承办人 ${en} street handler`, unitCodes.street(code), d.code);
    for (const p of COMMUNITY_PEOPLE.filter((x) => x.code.startsWith(code))) {
      const c = COMMUNITIES.find((x) => x.code === p.code)!;
      out[`community${p.key}`] = handler(p.id, `${c.zh}承办人 ${c.en} handler`, unitCodes.community(c.code), d.code);
    }
  }
  return out;
}

/**
 * The demo people: every role, and a person in every unit the seed stories of the domain brief touch
 * (the Chengxi lift: the resident desk's liaison and two inspectors; the billiard-room noise: the
 * street, its community, the environment bureau and city management; unpaid wages: labour
 * inspection; the scenic spot: tourism; heating and water: the city utilities; every Chengxi and
 * Chengbei street). One list: tokens today (scripts/mint-tokens.ts), login accounts tomorrow.
 * Existing keys stay as they are: the tests use them.
 */
export const DEMO_USERS: Record<string, Principal> = {
  operator: { id: 'op-001', name: '话务员 Operator', roles: ['operator'], districts: ['*'], units: [] },
  dispatcher: { id: 'disp-630104', name: '城西区派单员 Chengxi dispatcher', roles: ['dispatcher'], districts: ['630104'], units: [] },
  cityDispatcher: { id: 'disp-city', name: '市热线派单员 City dispatcher', roles: ['dispatcher'], districts: ['*'], units: [] },
  handlerMarket: {
    id: 'h-630104-market',
    name: '城西区市场监管局承办人 Chengxi market-regulation handler',
    roles: ['handler'],
    districts: ['630104'],
    units: [unitIdFor(unitCodes.department('630104', 'market_regulation'))],
  },
  handlerStreet: {
    id: 'h-630104004',
    name: '胜利路街道承办人 Shengli Road street handler',
    roles: ['handler'],
    districts: ['630104'],
    units: [unitIdFor(unitCodes.street('630104004'))],
  },
  unitHead: {
    id: 'head-630104-market',
    name: '城西区市场监管局负责人 Chengxi market-regulation head',
    roles: ['unit_head'],
    districts: ['630104'],
    units: [unitIdFor(unitCodes.department('630104', 'market_regulation'))],
  },
  districtLeader: {
    id: 'leader-630104',
    name: '城西区分管领导 Chengxi district leader',
    roles: ['unit_head'],
    districts: ['630104'],
    units: [unitIdFor(unitCodes.districtCentre('630104'))],
  },
  deskMarket: {
    id: 'desk-630104-market',
    name: '市场监管局驻城西区中心专席 Market-regulation resident desk, Chengxi',
    roles: ['handler'],
    districts: ['630104'],
    units: [unitIdFor(unitCodes.residentDesk('630104', 'market_regulation'))],
  },
  dispatcherChengbei: {
    id: 'disp-630105',
    name: '城北区派单员 Chengbei dispatcher',
    roles: ['dispatcher'],
    districts: ['630105'],
    units: [],
  },
  supervisor: { id: 'sup-city', name: '督办员 Supervisor', roles: ['supervisor'], districts: ['*'], units: [] },
  callbackAgent: { id: 'cb-001', name: '回访员 Callback agent', roles: ['callback_agent'], districts: ['*'], units: [] },
  analyst: { id: 'an-001', name: '分析员 Analyst', roles: ['analyst'], districts: ['*'], units: [] },
  admin: { id: 'admin', name: '管理员 Admin', roles: ['admin'], districts: ['*'], units: [] },
  // the billiard-room story (domain.md): the head of Shengli Road's street office calls in the bureaus (吹哨报到)
  headStreet: {
    id: 'head-630104004',
    name: '胜利路街道负责人 Shengli Road street head',
    roles: ['unit_head'],
    districts: [CHENGXI],
    units: [unitIdFor(unitCodes.street('630104004'))],
  },
  // the Chengxi lift story (domain.md): the desk's liaison (deskMarket) assigns the bureau's two inspectors
  inspectorMarket1: {
    id: 'insp-630104-market-1',
    name: '城西区市场监管局检查员一 Chengxi market-regulation inspector 1',
    roles: ['handler'],
    districts: [CHENGXI],
    units: [unitIdFor(unitCodes.department(CHENGXI, 'market_regulation'))],
  },
  inspectorMarket2: {
    id: 'insp-630104-market-2',
    name: '城西区市场监管局检查员二 Chengxi market-regulation inspector 2',
    roles: ['handler'],
    districts: [CHENGXI],
    units: [unitIdFor(unitCodes.department(CHENGXI, 'market_regulation'))],
  },
  // Chengxi's bureaus
  handlerEnvironment: handler(
    'h-630104-environment',
    '城西区生态环境局承办人 Chengxi ecology and environment handler',
    unitCodes.department(CHENGXI, 'ecology_environment'),
    CHENGXI,
  ),
  handlerCityManagement: handler(
    'h-630104-city-management',
    '城西区城市管理局承办人 Chengxi city management handler',
    unitCodes.department(CHENGXI, 'city_management'),
    CHENGXI,
  ),
  handlerLabour: handler(
    'h-630104-labour',
    '城西区人社局劳动保障监察承办人 Chengxi human resources (labour inspection) handler',
    unitCodes.department(CHENGXI, 'human_resources'),
    CHENGXI,
  ),
  handlerEducation: handler(
    'h-630104-education',
    '城西区教育局承办人 Chengxi education handler',
    unitCodes.department(CHENGXI, 'education'),
    CHENGXI,
  ),
  handlerTourism: handler(
    'h-630104-tourism',
    '城西区文体旅游局承办人 Chengxi culture, sports and tourism handler',
    unitCodes.department(CHENGXI, 'culture_tourism'),
    CHENGXI,
  ),
  handlerHealth: handler(
    'h-630104-health',
    '城西区卫生健康局承办人 Chengxi health handler',
    unitCodes.department(CHENGXI, 'health'),
    CHENGXI,
  ),
  handlerHousing: handler(
    'h-630104-housing',
    '城西区住建局承办人 Chengxi housing handler',
    unitCodes.department(CHENGXI, 'housing'),
    CHENGXI,
  ),
  handlerWaterAffairs: handler(
    'h-630104-water-affairs',
    '城西区水务局承办人 Chengxi water affairs handler',
    unitCodes.department(CHENGXI, 'water_affairs'),
    CHENGXI,
  ),
  // the city's utilities serve every district
  handlerWater: handler('h-utility-water', '西宁市供水集团承办人 Xining water supply handler', unitCodes.utility('water'), '*'),
  handlerHeating: handler('h-utility-heating', '西宁市供热公司承办人 Xining heating handler', unitCodes.utility('heating'), '*'),
  handlerGas: handler('h-utility-gas', '西宁燃气公司承办人 Xining gas handler', unitCodes.utility('gas'), '*'),
  handlerPower: handler('h-utility-power', '国网西宁供电公司承办人 Xining power supply handler', unitCodes.utility('power'), '*'),
  // every street office and township of Chengxi and Chengbei, and the seeded communities
  ...streetPeople(CHENGXI, ['630104004']), // Shengli Road: handlerStreet
  ...streetPeople(CHENGBEI),
};
