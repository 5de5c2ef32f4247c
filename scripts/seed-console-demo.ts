/**
 * Demo staff accounts: one console account for every entry of scripts/demo-users.ts (the single list
 * of demo people), all with the one demo password, each announced to dispatch through the console's
 * outbox (staff.membership-changed.v1, published when the console starts). Idempotent: existing
 * accounts are kept as they are. Run after the migrations and the demo organisation (seed-demo).
 * Reads the console's variables (DATABASE_URL, PII_KEYS, PII_HASH_KEY, BUS_PREFIX, ...).
 */
import {
  busOptionsOf,
  databaseOptions,
  loadConfig,
  Outbox,
  PiiCipher,
  Principal,
  processEnv,
  standaloneTxHost,
  SystemClock,
} from '@app/platform';
import { mkdirSync, writeFileSync } from 'node:fs';
import { DataSource } from 'typeorm';
import { AccountsRepository } from '../apps/console/src/accounts/accounts.repository';
import { AccountsService } from '../apps/console/src/accounts/accounts.service';
import { UnitDirectory, UnitInfo } from '../apps/console/src/accounts/unit-directory';
import { AuditRepository } from '../apps/console/src/audit/audit.repository';
import { PasswordHasher } from '../apps/console/src/auth/passwords';
import { SessionsRepository } from '../apps/console/src/auth/sessions.repository';
import { ConsoleConfig } from '../apps/console/src/console.config';
import { CONSOLE_PERSISTENCE } from '../apps/console/src/console.persistence';
import { DEMO_USERS } from './demo-users';

/** The one password of every demo account (development and demos only). */
export const DEMO_PASSWORD = 'jiesu-demo-2026';

/** `handlerMarket` → `handler-market`: the demo login names. */
export function demoLoginName(key: string): string {
  return key.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();
}

/** The seed runs before dispatch does: it reads the demo organisation dispatch's seed wrote. */
class SeededUnits {
  constructor(private readonly ds: DataSource) {}
  async find(_actor: Principal, unitId: string): Promise<UnitInfo> {
    const rows: { id: string; name_zh: string; district_code: string }[] = await this.ds.query(
      `SELECT id, name_zh, district_code FROM dispatch.org_unit WHERE id = $1`,
      [unitId],
    );
    if (!rows[0]) throw new Error(`unit ${unitId} is not in dispatch's organisation: run the demo organisation seed first`);
    return { id: rows[0].id, name: rows[0].name_zh, districtCode: rows[0].district_code };
  }
}

export interface ConsoleSeedResult {
  created: string[];
  kept: string[];
}

export async function seedConsoleDemo(env: Record<string, string | undefined> = processEnv()): Promise<ConsoleSeedResult> {
  const config = loadConfig(ConsoleConfig, env);
  const ds = new DataSource(databaseOptions(config.DATABASE_URL, 'console', CONSOLE_PERSISTENCE, 2));
  await ds.initialize();
  try {
    const txHost = standaloneTxHost(ds);
    const repo = new AccountsRepository(txHost);
    const hasher = new PasswordHasher();
    await hasher.onModuleInit();
    const accounts = new AccountsService(
      txHost,
      repo,
      new AuditRepository(txHost),
      new Outbox(busOptionsOf({ service: 'console', config }), txHost),
      new PiiCipher(config.PII_KEYS, config.PII_HASH_KEY),
      hasher,
      new SessionsRepository(txHost),
      new SeededUnits(ds) as unknown as UnitDirectory,
      config,
      new SystemClock(),
    );
    const result: ConsoleSeedResult = { created: [], kept: [] };
    for (const [key, p] of Object.entries(DEMO_USERS)) {
      const loginName = demoLoginName(key);
      if (await repo.findByLogin(loginName)) {
        result.kept.push(loginName);
        continue;
      }
      await accounts.create('system', {
        loginName,
        displayName: p.name ?? loginName,
        roles: p.roles,
        districts: p.districts,
        unitId: p.units[0],
        password: DEMO_PASSWORD,
      });
      result.created.push(loginName);
    }
    return result;
  } finally {
    await ds.destroy();
  }
}

if (require.main === module) {
  seedConsoleDemo()
    .then((r) => {
      console.log(`demo staff accounts: ${r.created.length} created, ${r.kept.length} kept; password ${DEMO_PASSWORD} for each of`);
      console.log(`  ${[...r.created, ...r.kept].join(', ')}`);
      // for the summary `npm start` prints once everything is up; a container's read-only tree has none
      try {
        mkdirSync('.data', { recursive: true });
        writeFileSync('.data/console-demo-logins.json', JSON.stringify({ logins: [...r.created, ...r.kept], password: DEMO_PASSWORD }));
      } catch {
        // nothing to print the summary from: the lines above said it
      }
    })
    .catch((e: Error) => {
      console.error(e.message);
      process.exit(1);
    });
}
