import { Principal } from '@app/platform';
import { unitIdFor } from '../apps/dispatch/src/org/unit-id';
import { unitCodes } from '../apps/dispatch/src/org/xining.seed';

/** The demo roles, one user each, with the scope a real user of that role would have. */
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
};
