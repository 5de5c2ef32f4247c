import './tracing';
import { loadConfig, processEnv, runService } from '@app/platform';
import { AnalyticsConfig } from './analytics.config';
import { AnalyticsModule } from './analytics.module';

async function main(): Promise<void> {
  const config = loadConfig(AnalyticsConfig, processEnv());
  await runService(AnalyticsModule.forRoot(config), config, {
    service: 'analytics',
    title: 'Jiesu analytics 统计分析',
    description: 'Read model from events; response, resolution and satisfaction rates.',
  });
}

main().catch((e: Error) => {
  console.error(e.message);
  process.exit(1);
});
