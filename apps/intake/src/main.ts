import './tracing';
import { loadConfig, processEnv, runService } from '@app/platform';
import { IntakeConfig } from './intake.config';
import { IntakeModule } from './intake.module';

async function main(): Promise<void> {
  const config = loadConfig(IntakeConfig, processEnv());
  await runService(IntakeModule.forRoot(config), config, {
    service: 'intake',
    title: 'Jiesu intake 接诉',
    description: 'Every channel enters here: orders, citizens (encrypted), first-contact answers.',
    queries: true,
  });
}

main().catch((e: Error) => {
  console.error(e.message);
  process.exit(1);
});
