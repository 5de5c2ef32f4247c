import { PlatformModule } from '@app/platform';
import { DynamicModule, Module } from '@nestjs/common';
import { AttachmentsController } from './attachments/attachments.controller';
import { AttachmentsRepository } from './attachments/attachments.repository';
import { AttachmentsService } from './attachments/attachments.service';
import { attachmentStore } from './attachments/attachment-store';
import { PiiCipher } from './citizens/pii.service';
import { ClassifierRepository } from './classification/classifier.repository';
import { ClassifierService } from './classification/classifier.service';
import { DuplicatesRepository } from './duplicates/duplicates.repository';
import { DuplicatesService } from './duplicates/duplicates.service';
import { HotspotHandlers } from './tickets/hotspot.handlers';
import { IntakeConfig } from './intake.config';
import { INTAKE_PERSISTENCE } from './intake.persistence';
import { INTAKE_CONFIG, STORAGE_PORT } from './intake.tokens';
import { KnowledgeController } from './knowledge/knowledge.controller';
import { KnowledgeRepository } from './knowledge/knowledge.repository';
import { KnowledgeService } from './knowledge/knowledge.service';
import { PlacesController } from './location/places.controller';
import { PlacesService } from './location/places.service';
import { Open311Controller } from './open311/open311.controller';
import { Open311ApiKeysController } from './open311/open311-api-keys.controller';
import { Open311ApiKeysRepository } from './open311/open311-api-keys.repository';
import { Open311ApiKeysService } from './open311/open311-api-keys.service';
import { Open311Service } from './open311/open311.service';
import { PublicController } from './public/public.controller';
import { SupplementsController } from './supplements/supplements.controller';
import { SupplementsRepository } from './supplements/supplements.repository';
import { SupplementsService } from './supplements/supplements.service';
import { TaxonomyController } from './taxonomy/taxonomy.controller';
import { TaxonomyRepository } from './taxonomy/taxonomy.repository';
import { TaxonomyService } from './taxonomy/taxonomy.service';
import { ContactRevealController } from './tickets/contact-reveal.controller';
import { ProgressHandlers } from './tickets/progress.handlers';
import { SubmissionService } from './tickets/submission.service';
import { TicketsController } from './tickets/tickets.controller';
import { TicketsRepository } from './tickets/tickets.repository';
import { TicketsService } from './tickets/tickets.service';

/** 接: every request enters here. */
@Module({})
export class IntakeModule {
  static forRoot(config: IntakeConfig): DynamicModule {
    return {
      module: IntakeModule,
      imports: [PlatformModule.forService({ service: 'intake', config, persistence: INTAKE_PERSISTENCE })],
      controllers: [
        TicketsController,
        ContactRevealController,
        TaxonomyController,
        KnowledgeController,
        PublicController,
        Open311Controller,
        Open311ApiKeysController,
        AttachmentsController,
        SupplementsController,
        PlacesController,
      ],
      providers: [
        { provide: INTAKE_CONFIG, useValue: config },
        { provide: PiiCipher, useFactory: () => new PiiCipher(config.PII_KEYS, config.PII_HASH_KEY) },
        TicketsRepository,
        TicketsService,
        SubmissionService,
        PlacesService,
        ProgressHandlers,
        HotspotHandlers,
        TaxonomyRepository,
        TaxonomyService,
        ClassifierRepository,
        ClassifierService,
        DuplicatesService,
        DuplicatesRepository,
        KnowledgeRepository,
        KnowledgeService,
        Open311Service,
        Open311ApiKeysRepository,
        Open311ApiKeysService,
        // Local disk by default, an S3-compatible object store with ATTACHMENT_STORE=s3.
        { provide: STORAGE_PORT, useFactory: () => attachmentStore(config) },
        AttachmentsRepository,
        AttachmentsService,
        SupplementsRepository,
        SupplementsService,
      ],
    };
  }
}
