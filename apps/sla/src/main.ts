import './tracing';
import { loadConfig, processEnv, runService } from '@app/platform';
import { SlaConfig } from './sla.config';
import { SlaModule } from './sla.module';

async function main(): Promise<void> {
  const config = loadConfig(SlaConfig, processEnv());
  await runService(SlaModule.forRoot(config), config, {
    service: 'sla',
    title: 'Jiesu SLA 督办',
    description: 'Time limits on the statutory working-day calendar, warnings and breaches.',
  });
}

main().catch((e: Error) => {
  console.error(e.message);
  process.exit(1);
});
