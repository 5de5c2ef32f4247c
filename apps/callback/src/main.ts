import './tracing';
import { loadConfig, processEnv, runService } from '@app/platform';
import { CallbackConfig } from './callback.config';
import { CallbackModule } from './callback.module';

async function main(): Promise<void> {
  const config = loadConfig(CallbackConfig, processEnv());
  await runService(CallbackModule.forRoot(config), config, {
    service: 'callback',
    title: 'Jiesu callback 回访',
    description: 'Every finished order is called back: contacted? resolved? satisfied?',
  });
}

main().catch((e: Error) => {
  console.error(e.message);
  process.exit(1);
});
