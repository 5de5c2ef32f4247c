import { PersistenceSpec } from '@app/platform';
import { DueCycle1795309205190 } from './migrations/1795309205190-DueCycle';
import { Init1795308214311 } from './migrations/1795308214311-Init';
import { OrgUnit } from './org/org-unit.entity';
import { RouteRule } from './routing/route-rule.entity';
import { TimelineEntry, WorkOrder } from './workflow/work-order.entity';

export const DISPATCH_PERSISTENCE: PersistenceSpec = {
  entities: [OrgUnit, RouteRule, WorkOrder, TimelineEntry],
  migrations: [Init1795308214311, DueCycle1795309205190],
};
