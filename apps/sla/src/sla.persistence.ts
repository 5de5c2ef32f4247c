import { PersistenceSpec } from '@app/platform';
import { DefaultPolicies1795308300000 } from './migrations/1795308300000-DefaultPolicies';
import { Init1795308217584 } from './migrations/1795308217584-Init';
import { Supervision1795310512175 } from './migrations/1795310512175-Supervision';
import { ClockUnitAssignedAt1795317822712 } from './migrations/1795317822712-ClockUnitAssignedAt';
import { CalendarProvisional1796435852062 } from './migrations/1796435852062-CalendarProvisional';
import { CalendarRecompute } from './calendar/calendar-recompute.entity';
import { BusDeliveryAttempts1796436285313 } from './migrations/1796436285313-BusDeliveryAttempts';
import { PoliciesAnnounced1796610000000 } from './migrations/1796610000000-PoliciesAnnounced';
import { SupervisionByOrder1796620000000 } from './migrations/1796620000000-SupervisionByOrder';
import { OrderFlags1796640000000 } from './migrations/1796640000000-OrderFlags';
import { CalendarDay, CalendarYear } from './calendar/calendar.entity';
import { SlaClock } from './clocks/sla-clock.entity';
import { SlaOrder } from './clocks/sla-order.entity';
import { SlaExtension } from './extensions/extension.entity';
import { SlaPolicy } from './policies/sla-policy.entity';
import { SupervisionAction, SupervisionItem } from './supervision/supervision.entity';

export const SLA_PERSISTENCE: PersistenceSpec = {
  entities: [SlaPolicy, SlaClock, CalendarDay, CalendarYear, CalendarRecompute, SlaExtension, SupervisionItem, SupervisionAction, SlaOrder],
  migrations: [
    Init1795308217584,
    DefaultPolicies1795308300000,
    Supervision1795310512175,
    ClockUnitAssignedAt1795317822712,
    CalendarProvisional1796435852062,
    BusDeliveryAttempts1796436285313,
    PoliciesAnnounced1796610000000,
    SupervisionByOrder1796620000000,
    OrderFlags1796640000000,
  ],
};
