// Global setup runs outside jest's module registry (no moduleNameMapper): resolve @app/* here.
import { register } from 'tsconfig-paths';
import { join } from 'node:path';
register({
  baseUrl: join(__dirname, '..', '..'),
  paths: { '@app/contracts': ['libs/contracts/src'], '@app/platform': ['libs/platform/src'], '@app/platform/*': ['libs/platform/src/*'] },
});
import { assertBuildFresh } from './apps';
import { createHarnessTemplate } from './harness';

/** Checks the build once, and makes the migrated + seeded template every harness of this run clones. */
export default async function globalSetup(): Promise<void> {
  assertBuildFresh();
  process.env.JIESU_HARNESS_TEMPLATE = await createHarnessTemplate();
}
