import { PersistenceSpec } from '@app/platform';
import { DefaultPolicies1795308300000 } from './migrations/1795308300000-DefaultPolicies';
import { Init1795308217584 } from './migrations/1795308217584-Init';
import { CalendarDay, CalendarYear } from './calendar/calendar.entity';
import { SlaClock } from './clocks/sla-clock.entity';
import { SlaPolicy } from './policies/sla-policy.entity';

export const SLA_PERSISTENCE: PersistenceSpec = {
  entities: [SlaPolicy, SlaClock, CalendarDay, CalendarYear],
  migrations: [Init1795308217584, DefaultPolicies1795308300000],
};
