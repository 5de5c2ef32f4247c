import { dropDatabase } from '../../libs/platform/src/testing/test-database';

export default async function globalTeardown(): Promise<void> {
  if (process.env.JIESU_HARNESS_TEMPLATE) await dropDatabase(process.env.JIESU_HARNESS_TEMPLATE);
}
