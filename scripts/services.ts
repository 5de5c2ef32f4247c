import { PersistenceSpec } from '@app/platform';
import { ANALYTICS_PERSISTENCE } from '../apps/analytics/src/analytics.persistence';
import { CONSOLE_PERSISTENCE } from '../apps/console/src/console.persistence';
import { CALLBACK_PERSISTENCE } from '../apps/callback/src/callback.persistence';
import { DISPATCH_PERSISTENCE } from '../apps/dispatch/src/dispatch.persistence';
import { INTAKE_PERSISTENCE } from '../apps/intake/src/intake.persistence';
import { SLA_PERSISTENCE } from '../apps/sla/src/sla.persistence';
import { NOTIFY_PERSISTENCE } from '../apps/notify/src/notify.persistence';

/** Every app's schema name and persistence (entities + migrations), for the tooling scripts. */
export const SERVICES: Record<string, PersistenceSpec> = {
  intake: INTAKE_PERSISTENCE,
  dispatch: DISPATCH_PERSISTENCE,
  sla: SLA_PERSISTENCE,
  callback: CALLBACK_PERSISTENCE,
  analytics: ANALYTICS_PERSISTENCE,
  console: CONSOLE_PERSISTENCE,
  notify: NOTIFY_PERSISTENCE,
};

export const SERVICE_NAMES = Object.keys(SERVICES);
