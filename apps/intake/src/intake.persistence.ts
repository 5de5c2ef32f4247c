import { PersistenceSpec } from '@app/platform';
import { Init1795308211627 } from './migrations/1795308211627-Init';
import { OrderSequence, RevealAudit, Ticket } from './tickets/ticket.entity';

export const INTAKE_PERSISTENCE: PersistenceSpec = {
  entities: [Ticket, OrderSequence, RevealAudit],
  migrations: [Init1795308211627],
};
