import { PlatformModule } from '@app/platform';
import { DynamicModule, Module } from '@nestjs/common';
import { ANALYTICS_CONFIG, AnalyticsConfig } from './analytics.config';
import { ANALYTICS_PERSISTENCE } from './analytics.persistence';
import { FactsHandlers } from './facts/facts.handlers';
import { FactsProjector } from './facts/facts.projector';
import { FactsRepository } from './facts/facts.repository';
import { RatesController } from './rates/rates.controller';
import { RatesRepository } from './rates/rates.repository';
import { RatesService } from './rates/rates.service';

/** 报: a read model built only from events, and the rates. */
@Module({})
export class AnalyticsModule {
  static forRoot(config: AnalyticsConfig): DynamicModule {
    return {
      module: AnalyticsModule,
      imports: [PlatformModule.forService({ service: 'analytics', config, persistence: ANALYTICS_PERSISTENCE })],
      controllers: [RatesController],
      providers: [
        { provide: ANALYTICS_CONFIG, useValue: config },
        FactsRepository,
        FactsProjector,
        FactsHandlers,
        RatesRepository,
        RatesService,
      ],
    };
  }
}
