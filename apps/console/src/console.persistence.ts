import { PersistenceSpec, PublicThrottleWindow } from '@app/platform';
import { StaffAccount } from './accounts/staff-account.entity';
import { AuditEntry } from './audit/audit-entry.entity';
import { OidcPending, Session } from './auth/session.entity';
import { Init1796435812224 } from './migrations/1796435812224-Init';
import { BusDeliveryAttempts1796442461009 } from './migrations/1796442461009-BusDeliveryAttempts';
import { AccountEmail1796460000000 } from './migrations/1796460000000-AccountEmail';
import { PublicThrottle1796630000000 } from './migrations/1796630000000-PublicThrottle';

export const CONSOLE_PERSISTENCE: PersistenceSpec = {
  entities: [PublicThrottleWindow, StaffAccount, Session, OidcPending, AuditEntry],
  migrations: [Init1796435812224, BusDeliveryAttempts1796442461009, AccountEmail1796460000000, PublicThrottle1796630000000],
};
