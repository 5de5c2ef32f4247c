import './tracing';
import { loadConfig, processEnv, runService } from '@app/platform';
import cookieParser from 'cookie-parser';
import { raw } from 'express';
import { SessionsService } from './auth/sessions.service';
import { ConsoleConfig } from './console.config';
import { ConsoleModule } from './console.module';
import { ServiceTokens } from './keys/service-tokens';
import { apiProxy } from './proxy/api-proxy';
import { spaHandlers } from './web-static/spa';

const SPREADSHEET_TYPES = [
  'text/csv',
  'text/plain',
  'application/octet-stream',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
];

async function main(): Promise<void> {
  const config = loadConfig(ConsoleConfig, processEnv());
  await runService(ConsoleModule.forRoot(config), config, {
    service: 'console',
    // answers notify's staff-contact query (console.staff-contact.v1)
    queries: true,
    title: 'Jiesu console 门户',
    description:
      'The only origin a browser talks to: sessions, staff accounts, single sign-on, and /api/<service>/... with short-lived tokens.',
    beforeInit: (app) => {
      app.use(cookieParser());
      // before the JSON parser: proxied bodies stream through untouched
      app.use(apiProxy(app.get(SessionsService), app.get(ServiceTokens), config));
      app.use('/admin/accounts/import', raw({ type: SPREADSHEET_TYPES, limit: '10mb' }));
      for (const h of spaHandlers(config.CONSOLE_WEB_DIR)) app.use(h);
    },
  });
}

main().catch((e: Error) => {
  console.error(e.message);
  process.exit(1);
});
