/**
 * Demo data: the Xining organisation (districts by GB/T 2260 code, streets and townships, departments,
 * utilities) and a default routing table, into dispatch's schema. Idempotent.
 * DATABASE_URL selects the database (default postgres://postgres@127.0.0.1:5432/jiesu).
 */
import { databaseOptions } from '@app/platform';
import { DataSource } from 'typeorm';
import { DISPATCH_PERSISTENCE } from '../apps/dispatch/src/dispatch.persistence';
import { seedXiningOrganisation } from '../apps/dispatch/src/org/xining.seed';

export async function seedDemo(url: string, districts: string[] = []): Promise<{ units: number; rules: number }> {
  const ds = new DataSource(databaseOptions(url, 'dispatch', DISPATCH_PERSISTENCE, 2));
  await ds.initialize();
  try {
    return await ds.transaction((m) => seedXiningOrganisation(m, districts));
  } finally {
    await ds.destroy();
  }
}

if (require.main === module) {
  const url = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/jiesu';
  seedDemo(url)
    .then((r) => console.log(`demo organisation loaded: ${r.units} units, ${r.rules} routing rules (existing rows kept)`))
    .catch((e: Error) => {
      console.error(e.message);
      process.exit(1);
    });
}
