/**
 * Rebuild the analytics read model (facts, rollups, event counts) by replaying the event stream
 * from its first message: `npm run analytics:replay`. Reads the analytics service's environment
 * (DATABASE_URL, NATS_URL, BUS_PREFIX, BUS_STREAM, BUS_JS_DOMAIN, CITY_TIME_ZONE, RATE_*).
 * See docs/operations.md#rebuilding-the-analytics-read-model.
 */
import 'reflect-metadata';
import { loadConfig, processEnv } from '@app/platform';
import { AnalyticsConfig } from '../apps/analytics/src/analytics.config';
import { replayAnalytics } from '../apps/analytics/src/replay/replay';

async function main(): Promise<void> {
  const config = loadConfig(AnalyticsConfig, processEnv());
  const r = await replayAnalytics(config, (m) => console.log(m));
  console.log(`replayed to stream sequence ${r.lastSeq} in ${(r.ms / 1000).toFixed(1)} s`);
}

main().catch((e: Error) => {
  console.error(e.stack ?? e.message);
  process.exit(1);
});
