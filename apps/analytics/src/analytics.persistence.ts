import { PersistenceSpec } from '@app/platform';
import { EventDaily1795309711274 } from './migrations/1795309711274-EventDaily';
import { Init1795308223896 } from './migrations/1795308223896-Init';
import { CallbackFact, EventDaily, TicketFact } from './facts/facts.entity';

export const ANALYTICS_PERSISTENCE: PersistenceSpec = {
  entities: [TicketFact, CallbackFact, EventDaily],
  migrations: [Init1795308223896, EventDaily1795309711274],
};
