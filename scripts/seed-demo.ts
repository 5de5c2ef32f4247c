/**
 * Demo data: the Xining organisation (districts by GB/T 2260 code, streets and townships, departments,
 * utilities) and a default routing table, into dispatch's schema. Idempotent: existing rows are kept.
 * Reads the dispatch service's variables, validated as the service validates them:
 *   DATABASE_URL     the database (default postgres://postgres@127.0.0.1:5432/jiesu)
 *   SERVE_DISTRICTS  a district dispatch node's codes (e.g. 630104): only those districts' units and
 *                    routing rules, plus the city tier (the city centre and the city utilities, which
 *                    the districts' rules point to). Empty: the whole organisation (the city's node).
 */
import { databaseOptions, loadConfig, processEnv } from '@app/platform';
import { DataSource } from 'typeorm';
import { DispatchConfig } from '../apps/dispatch/src/dispatch.config';
import { DISPATCH_PERSISTENCE } from '../apps/dispatch/src/dispatch.persistence';
import { seedMembers } from '../apps/dispatch/src/membership/member.seed';
import { CITY, seedXiningOrganisation } from '../apps/dispatch/src/org/xining.seed';
import { DEMO_USERS } from './demo-users';

export interface SeedResult {
  districts: string[];
  units: number;
  rules: number;
  /** Districts whose units or rules the database holds although the node does not serve them (seeded before). */
  foreign: string[];
}

export async function seedDemo(url: string, districts: string[] = []): Promise<SeedResult> {
  const ds = new DataSource(databaseOptions(url, 'dispatch', DISPATCH_PERSISTENCE, 2));
  await ds.initialize();
  try {
    const seeded = await ds.transaction(async (m) => {
      const org = await seedXiningOrganisation(m, districts);
      // The demo people are members of their units, so a unit may assign orders to them.
      await seedMembers(m, Object.values(DEMO_USERS));
      return org;
    });
    let foreign: string[] = [];
    if (districts.length) {
      const rows: { district_code: string }[] = await ds.query(
        `SELECT district_code FROM dispatch.org_unit WHERE NOT district_code = ANY($1)
         UNION SELECT district_code FROM dispatch.route_rule WHERE NOT district_code = ANY($2) ORDER BY 1`,
        [[...districts, CITY.code], districts],
      );
      foreign = rows.map((r) => r.district_code);
    }
    return { districts, ...seeded, foreign };
  } finally {
    await ds.destroy();
  }
}

/** What the script does: seed the database of DATABASE_URL for the node of SERVE_DISTRICTS. */
export async function seedDemoFromEnv(env: Record<string, string | undefined> = processEnv()): Promise<SeedResult> {
  const config = loadConfig(DispatchConfig, env);
  return seedDemo(config.DATABASE_URL, config.SERVE_DISTRICTS);
}

if (require.main === module) {
  seedDemoFromEnv()
    .then((r) => {
      const own = r.districts.filter((d) => d !== CITY.code);
      const scope = r.districts.length ? `districts ${own.join(', ')} and the city tier` : 'the whole organisation';
      console.log(`demo organisation loaded (${scope}): ${r.units} units, ${r.rules} routing rules (existing rows kept)`);
      if (r.foreign.length) {
        console.warn(
          `warning: this database also holds units or routing rules of ${r.foreign.join(', ')}, which this node does not serve ` +
            '(loaded before); see docs/operations.md#district-dispatch-nodes',
        );
      }
    })
    .catch((e: Error) => {
      console.error(e.message);
      process.exit(1);
    });
}
