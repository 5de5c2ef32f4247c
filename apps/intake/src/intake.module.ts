import { PlatformModule } from '@app/platform';
import { DynamicModule, Module } from '@nestjs/common';
import { PiiCipher } from './citizens/pii.service';
import { IntakeConfig } from './intake.config';
import { INTAKE_PERSISTENCE } from './intake.persistence';
import { INTAKE_CONFIG } from './intake.tokens';
import { ContactRevealController } from './tickets/contact-reveal.controller';
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
      controllers: [TicketsController, ContactRevealController],
      providers: [
        { provide: INTAKE_CONFIG, useValue: config },
        { provide: PiiCipher, useFactory: () => new PiiCipher(config.PII_KEYS, config.PII_HASH_KEY) },
        TicketsRepository,
        TicketsService,
      ],
    };
  }
}
