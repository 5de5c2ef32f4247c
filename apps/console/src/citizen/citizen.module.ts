import { DynamicModule, Module } from '@nestjs/common';
import { ConsoleConfig } from '../console.config';
import { CONSOLE_CONFIG } from '../console.tokens';
import { CitizenController } from './citizen.controller';
import { CitizenService } from './citizen.service';
import { FormTokens } from './form-token';
import { CitizenServices } from './services.client';

/** 市民: the citizens' public pages under /public (see citizen.controller.ts). */
@Module({})
export class CitizenModule {
  static forRoot(config: ConsoleConfig): DynamicModule {
    return {
      module: CitizenModule,
      controllers: [CitizenController],
      providers: [
        { provide: CONSOLE_CONFIG, useValue: config },
        { provide: FormTokens, useFactory: () => new FormTokens(config.PII_HASH_KEY) },
        CitizenServices,
        CitizenService,
      ],
    };
  }
}
