import './tracing';
import { loadConfig, processEnv, runService } from '@app/platform';
import { DispatchConfig } from './dispatch.config';
import { DispatchModule } from './dispatch.module';

async function main(): Promise<void> {
  const config = loadConfig(DispatchConfig, processEnv());
  await runService(DispatchModule.forRoot(config), config, {
    service: 'dispatch',
    title: 'Jiesu dispatch 派单与办理',
    description: 'Organisation, routing and the handling workflow of every order.',
  });
}

main().catch((e: Error) => {
  console.error(e.message);
  process.exit(1);
});
