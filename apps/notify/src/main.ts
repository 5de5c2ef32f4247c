import { loadConfig, processEnv, runService } from '@app/platform';
import { NotifyConfig } from './notify.config';
import { NotifyModule } from './notify.module';

async function main(): Promise<void> {
  const config = loadConfig(NotifyConfig, processEnv());
  await runService(NotifyModule.forRoot(config), config, {
    service: 'notify',
    title: 'Jiesu notify 通知',
    description: 'People are told at once when an order needs them: console inbox, SMS, e-mail, WeCom and DingTalk group robots.',
  });
}

main().catch((e: Error) => {
  console.error(e.message);
  process.exit(1);
});
