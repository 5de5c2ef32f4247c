import { PersistenceSpec, PublicThrottleWindow } from '@app/platform';
import { DistrictMove1795317738093 } from './migrations/1795317738093-DistrictMove';
import { EventDaily1795309711274 } from './migrations/1795309711274-EventDaily';
import { Init1795308223896 } from './migrations/1795308223896-Init';
import { RollupsWallHotspotsReports1795311415132 } from './migrations/1795311415132-RollupsWallHotspotsReports';
import { FactUnitDispatchedAt1795317971992 } from './migrations/1795317971992-FactUnitDispatchedAt';
import { BusDeliveryAttempts1796436285313 } from './migrations/1796436285313-BusDeliveryAttempts';
import { DrillDownAndPdf1796447103330 } from './migrations/1796447103330-DrillDownAndPdf';
import { CategoryNames1796574688646 } from './migrations/1796574688646-CategoryNames';
import { PublicThrottle1796630000000 } from './migrations/1796630000000-PublicThrottle';
import { NotAccepted1796660000000 } from './migrations/1796660000000-NotAccepted';
import { FirstDueSetAt1796670000000 } from './migrations/1796670000000-FirstDueSetAt';
import { CategoryName } from './categories/category-name.entity';
import { CallbackFact, EventDaily, RateDaily, TicketFact, UnitName } from './facts/facts.entity';
import { Hotspot } from './hotspots/hotspot.entity';
import { Report } from './reports/report.entity';

export const ANALYTICS_PERSISTENCE: PersistenceSpec = {
  entities: [PublicThrottleWindow, TicketFact, CallbackFact, EventDaily, RateDaily, UnitName, CategoryName, Hotspot, Report],
  migrations: [
    Init1795308223896,
    EventDaily1795309711274,
    RollupsWallHotspotsReports1795311415132,
    DistrictMove1795317738093,
    FactUnitDispatchedAt1795317971992,
    BusDeliveryAttempts1796436285313,
    DrillDownAndPdf1796447103330,
    CategoryNames1796574688646,
    PublicThrottle1796630000000,
    NotAccepted1796660000000,
    FirstDueSetAt1796670000000,
  ],
};
