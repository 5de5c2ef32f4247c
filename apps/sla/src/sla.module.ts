import { PlatformModule } from '@app/platform';
import { DynamicModule, Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { CalendarService } from './calendar/calendar.service';
import { ClocksController } from './clocks/clocks.controller';
import { ClocksHandlers } from './clocks/clocks.handlers';
import { ClocksRepository } from './clocks/clocks.repository';
import { ClocksService } from './clocks/clocks.service';
import { TickScheduler } from './clocks/tick.scheduler';
import { PoliciesRepository } from './policies/policies.repository';
import { SLA_CONFIG, SlaConfig } from './sla.config';
import { SLA_PERSISTENCE } from './sla.persistence';

/** 督: time limits on the statutory calendar, warnings and breaches. */
@Module({})
export class SlaModule {
  static forRoot(config: SlaConfig): DynamicModule {
    return {
      module: SlaModule,
      imports: [PlatformModule.forService({ service: 'sla', config, persistence: SLA_PERSISTENCE }), ScheduleModule.forRoot()],
      controllers: [ClocksController],
      providers: [
        { provide: SLA_CONFIG, useValue: config },
        CalendarService,
        PoliciesRepository,
        ClocksRepository,
        ClocksService,
        ClocksHandlers,
        TickScheduler,
      ],
    };
  }
}
