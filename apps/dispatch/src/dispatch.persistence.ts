import { PersistenceSpec } from '@app/platform';
import { TimelineSeq1795313366570 } from './migrations/1795313366570-TimelineSeq';
import { DueCycle1795309205190 } from './migrations/1795309205190-DueCycle';
import { Handling1795311386539 } from './migrations/1795311386539-Handling';
import { Init1795308214311 } from './migrations/1795308214311-Init';
import { ProactiveTransfer1795317614944 } from './migrations/1795317614944-ProactiveTransfer';
import { WorklistIndexes1796435779770 } from './migrations/1796435779770-WorklistIndexes';
import { BusDeliveryAttempts1796436285313 } from './migrations/1796436285313-BusDeliveryAttempts';
import { UnitMembers1796436795797 } from './migrations/1796436795797-UnitMembers';
import { WarnTimes1796500000000 } from './migrations/1796500000000-WarnTimes';
import { MemberWorklistIndexes1796510000000 } from './migrations/1796510000000-MemberWorklistIndexes';
import { CommunityCodes1796600000000 } from './migrations/1796600000000-CommunityCodes';
import { OrderCommunity1796600000001 } from './migrations/1796600000001-OrderCommunity';
import { RoutingAnnounced1796610000000 } from './migrations/1796610000000-RoutingAnnounced';
import { LeaderHold1796640000000 } from './migrations/1796640000000-LeaderHold';
import { UnitMember } from './membership/unit-member.entity';
import { OrgUnit } from './org/org-unit.entity';
import { RouteRule } from './routing/route-rule.entity';
import { CoAssignment } from './workflow/co-assignment.entity';
import { TimelineEntry, WorkOrder } from './workflow/work-order.entity';

export const DISPATCH_PERSISTENCE: PersistenceSpec = {
  entities: [OrgUnit, RouteRule, WorkOrder, TimelineEntry, CoAssignment, UnitMember],
  migrations: [
    Init1795308214311,
    DueCycle1795309205190,
    Handling1795311386539,
    TimelineSeq1795313366570,
    ProactiveTransfer1795317614944,
    WorklistIndexes1796435779770,
    BusDeliveryAttempts1796436285313,
    UnitMembers1796436795797,
    WarnTimes1796500000000,
    MemberWorklistIndexes1796510000000,
    CommunityCodes1796600000000,
    OrderCommunity1796600000001,
    RoutingAnnounced1796610000000,
    LeaderHold1796640000000,
  ],
};
