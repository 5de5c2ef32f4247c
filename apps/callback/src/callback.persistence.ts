import { AutoSurveyExpiry1796448206323 } from './migrations/1796448206323-AutoSurveyExpiry';
import { PersistenceSpec, PublicThrottleWindow } from '@app/platform';
import { Init1795308220715 } from './migrations/1795308220715-Init';
import { ProactiveTicket1795317672909 } from './migrations/1795317672909-ProactiveTicket';
import { SurveysSpotChecksRepeats1795310539258 } from './migrations/1795310539258-SurveysSpotChecksRepeats';
import { BusDeliveryAttempts1796436285313 } from './migrations/1796436285313-BusDeliveryAttempts';
import { ExpiryPolicies1796460000200 } from './migrations/1796460000200-ExpiryPolicies';
import { PublicThrottle1796630000000 } from './migrations/1796630000000-PublicThrottle';
import { ExpiryPolicy, ExpiryPolicyChange } from './policies/expiry-policy.entity';
import { SurveyLink } from './survey/survey-link.entity';
import { CallbackAttempt, CallbackTask } from './tasks/callback-task.entity';
import { CallbackTicket } from './tickets/callback-ticket.entity';

export const CALLBACK_PERSISTENCE: PersistenceSpec = {
  entities: [PublicThrottleWindow, CallbackTask, CallbackAttempt, CallbackTicket, SurveyLink, ExpiryPolicy, ExpiryPolicyChange],
  migrations: [
    Init1795308220715,
    SurveysSpotChecksRepeats1795310539258,
    ProactiveTicket1795317672909,
    BusDeliveryAttempts1796436285313,
    AutoSurveyExpiry1796448206323,
    ExpiryPolicies1796460000200,
    PublicThrottle1796630000000,
  ],
};
