import { PersistenceSpec } from '@app/platform';
import { Init1795308220715 } from './migrations/1795308220715-Init';
import { CallbackAttempt, CallbackTask } from './tasks/callback-task.entity';

export const CALLBACK_PERSISTENCE: PersistenceSpec = {
  entities: [CallbackTask, CallbackAttempt],
  migrations: [Init1795308220715],
};
