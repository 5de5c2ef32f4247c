import { PlatformModule } from '@app/platform';
import { DynamicModule, Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { ANALYTICS_CONFIG, AnalyticsConfig } from './analytics.config';
import { ANALYTICS_PERSISTENCE } from './analytics.persistence';
import { CategoryNamesHandlers } from './categories/category-names.handlers';
import { CategoryNamesRepository } from './categories/category-names.repository';
import { FactsHandlers } from './facts/facts.handlers';
import { FactsProjector } from './facts/facts.projector';
import { FactsRepository } from './facts/facts.repository';
import { HotspotsController } from './hotspots/hotspots.controller';
import { HotspotsRepository } from './hotspots/hotspots.repository';
import { HotspotsService } from './hotspots/hotspots.service';
import { FigureOrdersRepository } from './rates/figure-orders.repository';
import { RatesController } from './rates/rates.controller';
import { RatesRepository } from './rates/rates.repository';
import { RatesService } from './rates/rates.service';
import { ReportsController } from './reports/reports.controller';
import { ReportsRepository } from './reports/reports.repository';
import { ReportsScheduler } from './reports/reports.scheduler';
import { ReportsService } from './reports/reports.service';
import { WallController } from './wall/wall.controller';
import { WallRepository } from './wall/wall.repository';
import { WallService } from './wall/wall.service';

/** 报: a read model built only from events and its daily rollups; rates, rankings, reports, hotspots, the public wall. */
@Module({})
export class AnalyticsModule {
  static forRoot(config: AnalyticsConfig): DynamicModule {
    return {
      module: AnalyticsModule,
      imports: [PlatformModule.forService({ service: 'analytics', config, persistence: ANALYTICS_PERSISTENCE }), ScheduleModule.forRoot()],
      controllers: [RatesController, WallController, HotspotsController, ReportsController],
      providers: [
        { provide: ANALYTICS_CONFIG, useValue: config },
        FactsRepository,
        FactsProjector,
        FactsHandlers,
        CategoryNamesRepository,
        CategoryNamesHandlers,
        RatesRepository,
        FigureOrdersRepository,
        RatesService,
        WallRepository,
        WallService,
        HotspotsRepository,
        HotspotsService,
        ReportsRepository,
        ReportsService,
        ReportsScheduler,
      ],
    };
  }
}
