import { PersistenceSpec } from '@app/platform';
import { NotifyInit1796447295707 } from './migrations/1796447295707-NotifyInit';
import { NoStaffContacts1796460000100 } from './migrations/1796460000100-NoStaffContacts';
import { CategoryNames1796574596918 } from './migrations/1796574596918-CategoryNames';
import { SupplementRules1796580000000 } from './migrations/1796580000000-SupplementRules';
import { SupervisionRules1796590000000 } from './migrations/1796590000000-SupervisionRules';
import { DeliveryReasons1796600000000 } from './migrations/1796600000000-DeliveryReasons';
import { CategoryName } from './categories/category-name.entity';
import { MessageDelivery, SendAttempt } from './delivery/delivery.entity';
import { Robot } from './delivery/robot.entity';
import { Notification } from './notifications/notification.entity';
import { OrderInfo } from './orders/order-info.entity';
import { Recipient } from './recipients/recipient.entity';
import { NotifyRule } from './rules/rule.entity';

export const NOTIFY_PERSISTENCE: PersistenceSpec = {
  entities: [Recipient, NotifyRule, Robot, OrderInfo, CategoryName, Notification, MessageDelivery, SendAttempt],
  migrations: [
    NotifyInit1796447295707,
    NoStaffContacts1796460000100,
    CategoryNames1796574596918,
    SupplementRules1796580000000,
    SupervisionRules1796590000000,
    DeliveryReasons1796600000000,
  ],
};
