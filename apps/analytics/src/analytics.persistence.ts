import { PersistenceSpec } from '@app/platform';
import { Init1795308223896 } from './migrations/1795308223896-Init';
import { CallbackFact, TicketFact } from './facts/facts.entity';

export const ANALYTICS_PERSISTENCE: PersistenceSpec = {
  entities: [TicketFact, CallbackFact],
  migrations: [Init1795308223896],
};
