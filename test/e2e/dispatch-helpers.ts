/** Helpers for the dispatch suites: users minted for them, district nodes, order shapes. */
import { configureServiceApp, loadConfig, Principal } from '@app/platform';
import { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { DispatchConfig } from '../../apps/dispatch/src/dispatch.config';
import { DispatchModule } from '../../apps/dispatch/src/dispatch.module';
import { createTestDatabase } from '@app/platform/testing';
import { unitIdFor } from '../../apps/dispatch/src/org/unit-id';
import { unitCodes, unitIdOf } from '../../scripts/demo/xining.seed';
import { migrateAll } from '../../scripts/migrate';
import { seedDemoFromEnv } from '../../scripts/seed-demo';

export type NodeDatabase = Awaited<ReturnType<typeof createTestDatabase>>;

/**
 * A node's own database, made as its migration Job makes it (deploy/k8s/overlays/district-node/migrate):
 * dispatch's migrations, then the seed with the node's SERVE_DISTRICTS (its districts + the city tier).
 */
export async function createNodeDatabase(env: Record<string, string>, districts: string): Promise<NodeDatabase> {
  const db = await createTestDatabase();
  await migrateAll(db.url, ['dispatch'], () => undefined);
  await seedDemoFromEnv({ ...env, DATABASE_URL: db.url, SERVE_DISTRICTS: districts });
  return db;
}

/** A district dispatch node (SERVE_DISTRICTS=`districts`) on its own database, on the platform's bus. */
export async function bootDispatchNode(env: Record<string, string>, databaseUrl: string, districts: string): Promise<INestApplication> {
  const config = loadConfig(DispatchConfig, { ...env, DATABASE_URL: databaseUrl, SERVE_DISTRICTS: districts });
  const ref = await Test.createTestingModule({ imports: [DispatchModule.forRoot(config)] }).compile();
  const app = ref.createNestApplication({ logger: ['error', 'warn'] });
  configureServiceApp(app, config, { service: 'dispatch', title: 'dispatch', description: `dispatch node ${districts}` });
  await app.startAllMicroservices();
  await app.init();
  return app;
}

export const U = {
  chengxiCentre: unitIdFor(unitCodes.districtCentre('630104')),
  chengbeiCentre: unitIdFor(unitCodes.districtCentre('630105')),
  market: unitIdFor(unitCodes.department('630104', 'market_regulation')),
  housing: unitIdFor(unitCodes.department('630104', 'housing')),
  ecology: unitIdFor(unitCodes.department('630104', 'ecology_environment')),
  cityMgmt: unitIdFor(unitCodes.department('630104', 'city_management')),
  desk: unitIdFor(unitCodes.residentDesk('630104', 'market_regulation')),
  shengli: unitIdFor(unitCodes.street('630104004')),
  shengliCommunity: unitIdOf(unitCodes.community('630104004001')),
  chengbeiMarket: unitIdFor(unitCodes.department('630105', 'market_regulation')),
  xiaoqiao: unitIdFor(unitCodes.street('630105002')),
};

/** Users minted for these suites (the demo users cover the rest). */
export const USERS = {
  handlerHousing: { id: 'h-630104-housing', roles: ['handler'], districts: ['630104'], units: [U.housing] },
  inspector2: { id: 'h-630104-market-2', roles: ['handler'], districts: ['630104'], units: [U.market] },
  handlerEcology: { id: 'h-630104-ecology', roles: ['handler'], districts: ['630104'], units: [U.ecology] },
  handlerCityMgmt: { id: 'h-630104-citymgmt', roles: ['handler'], districts: ['630104'], units: [U.cityMgmt] },
  headShengli: { id: 'head-630104004', roles: ['unit_head'], districts: ['630104'], units: [U.shengli] },
  handlerCommunity: { id: 'h-630104004-c01', roles: ['handler'], districts: ['630104'], units: [U.shengliCommunity] },
  // District B (Chengbei): every role that could act on a Chengxi order if scope were not enforced.
  bHandler: { id: 'h-630105-market', roles: ['handler'], districts: ['630105'], units: [U.chengbeiMarket] },
  bStreet: { id: 'h-630105002', roles: ['handler'], districts: ['630105'], units: [U.xiaoqiao] },
  bHead: { id: 'head-630105-market', roles: ['unit_head'], districts: ['630105'], units: [U.chengbeiMarket] },
  bLeader: { id: 'leader-630105', roles: ['unit_head'], districts: ['630105'], units: [U.chengbeiCentre] },
  bDispatcher: { id: 'disp-630105', roles: ['dispatcher'], districts: ['630105'], units: [] },
  bSupervisor: { id: 'sup-630105', roles: ['supervisor'], districts: ['630105'], units: [] },
  bAdmin: { id: 'admin-630105', roles: ['admin'], districts: ['630105'], units: [] },
} satisfies Record<string, Principal>;

export interface Order {
  ticketId: string;
  orderNo: string;
  districtCode: string;
  state: string;
  unitId: string | null;
  ruleId: string | null;
  suggestedUnitId: string | null;
  suggestedRuleId: string | null;
  assignmentId: string | null;
  cycle: number;
  reworkCount: number;
  returnable: boolean;
  assignees: string[];
  subUnitId: string | null;
  finishDueAt: string | null;
  attachments: { name: string; url: string }[];
  coUnits: { unitId: string; state: string; partText: string | null }[];
  timeline: { action: string; actor: string; fromState: string | null; toState: string | null; note: string | null }[];
}
