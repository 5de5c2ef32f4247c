import { TicketFillFactor1796480000000 } from './migrations/1796480000000-TicketFillFactor';
import { CategoryAnnounced1796490000000 } from './migrations/1796490000000-CategoryAnnounced';
import { SmsOptOut1796448245952 } from './migrations/1796448245952-SmsOptOut';
import { TicketMatchWords1796460000000 } from './migrations/1796460000000-TicketMatchWords';
import { TicketMatchScope1796470000000 } from './migrations/1796470000000-TicketMatchScope';
import { PersistenceSpec, PublicThrottleWindow } from '@app/platform';
import { Attachment } from './attachments/attachment.entity';
import { ClassifierSample } from './classification/classifier-sample.entity';
import { KbArticle } from './knowledge/kb-article.entity';
import { Open311ApiKey } from './open311/open311-api-key.entity';
import { Init1795308211627 } from './migrations/1795308211627-Init';
import { IntakeChannels1795311308864 } from './migrations/1795311308864-IntakeChannels';
import { AttachmentsSupplements1795313997887 } from './migrations/1795313997887-AttachmentsSupplements';
import { BusDeliveryAttempts1796436285313 } from './migrations/1796436285313-BusDeliveryAttempts';
import { AssignedHandlers1796436550533 } from './migrations/1796436550533-AssignedHandlers';
import { TicketSearch1796436614255 } from './migrations/1796436614255-TicketSearch';
import { Open311ApiKeys1796447209609 } from './migrations/1796447209609-Open311ApiKeys';
import { PublicWallOptOut1796447242985 } from './migrations/1796447242985-PublicWallOptOut';
import { PublicThrottle1796630000000 } from './migrations/1796630000000-PublicThrottle';
import { TaxonomyAnnounced1796645000000 } from './migrations/1796645000000-TaxonomyAnnounced';
import { SupplementIdempotency1796660000000 } from './migrations/1796660000000-SupplementIdempotency';
import { Supplement } from './supplements/supplement.entity';
import { Category } from './taxonomy/category.entity';
import { IdempotencyKey, OrderSequence, RevealAudit, Ticket } from './tickets/ticket.entity';

export const INTAKE_PERSISTENCE: PersistenceSpec = {
  entities: [
    PublicThrottleWindow,
    Ticket,
    OrderSequence,
    RevealAudit,
    IdempotencyKey,
    Category,
    ClassifierSample,
    KbArticle,
    Attachment,
    Supplement,
    Open311ApiKey,
  ],
  migrations: [
    Init1795308211627,
    IntakeChannels1795311308864,
    AttachmentsSupplements1795313997887,
    BusDeliveryAttempts1796436285313,
    AssignedHandlers1796436550533,
    TicketSearch1796436614255,
    Open311ApiKeys1796447209609,
    PublicWallOptOut1796447242985,
    SmsOptOut1796448245952,
    TicketMatchWords1796460000000,
    TicketMatchScope1796470000000,
    TicketFillFactor1796480000000,
    CategoryAnnounced1796490000000,
    PublicThrottle1796630000000,
    TaxonomyAnnounced1796645000000,
    SupplementIdempotency1796660000000,
  ],
};
