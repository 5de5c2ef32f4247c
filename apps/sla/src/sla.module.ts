import { PlatformModule } from '@app/platform';
import { DynamicModule, Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { CalendarAdminService } from './calendar/calendar-admin.service';
import { CalendarAlarmService } from './calendar/calendar-alarm.service';
import { CalendarController } from './calendar/calendar.controller';
import { CalendarRepository } from './calendar/calendar.repository';
import { CalendarService } from './calendar/calendar.service';
import { ClocksController } from './clocks/clocks.controller';
import { ClocksHandlers } from './clocks/clocks.handlers';
import { RedistrictedHandlers } from './clocks/redistricted.handlers';
import { ClocksRepository } from './clocks/clocks.repository';
import { SlaOrdersRepository } from './clocks/sla-orders.repository';
import { ClockLifecycleService } from './clocks/clock-lifecycle.service';
import { ClockPausesService } from './clocks/clock-pauses.service';
import { ClockQueriesService } from './clocks/clock-queries.service';
import { ClockReassignmentService } from './clocks/clock-reassignment.service';
import { ClockRecomputeService } from './clocks/clock-recompute.service';
import { ClockSchedules } from './clocks/clock-schedules.service';
import { ClockTickService } from './clocks/clock-tick.service';
import { TickScheduler } from './clocks/tick.scheduler';
import { ExtensionsController } from './extensions/extensions.controller';
import { ExtensionsHandlers } from './extensions/extensions.handlers';
import { ExtensionsRepository } from './extensions/extensions.repository';
import { ExtensionsService } from './extensions/extensions.service';
import { PoliciesController } from './policies/policies.controller';
import { PoliciesRepository } from './policies/policies.repository';
import { PoliciesService } from './policies/policies.service';
import { PolicyCache } from './policies/policy-cache';
import { SLA_CONFIG, SlaConfig } from './sla.config';
import { SlaMetrics } from './sla.metrics';
import { SLA_PERSISTENCE } from './sla.persistence';
import { SupervisionController } from './supervision/supervision.controller';
import { SupervisionHandlers } from './supervision/supervision.handlers';
import { SupervisionRepository } from './supervision/supervision.repository';
import { SupervisionService } from './supervision/supervision.service';

/** 督: time limits on the statutory calendar, warnings, breaches, escalation, extensions, the supervision list. */
@Module({})
export class SlaModule {
  static forRoot(config: SlaConfig): DynamicModule {
    return {
      module: SlaModule,
      imports: [PlatformModule.forService({ service: 'sla', config, persistence: SLA_PERSISTENCE }), ScheduleModule.forRoot()],
      controllers: [ClocksController, PoliciesController, CalendarController, ExtensionsController, SupervisionController],
      providers: [
        { provide: SLA_CONFIG, useValue: config },
        CalendarRepository,
        CalendarService,
        CalendarAdminService,
        CalendarAlarmService,
        SlaMetrics,
        PoliciesRepository,
        PolicyCache,
        PoliciesService,
        ClocksRepository,
        SlaOrdersRepository,
        ClockSchedules,
        ClockReassignmentService,
        ClockLifecycleService,
        ClockRecomputeService,
        ClockTickService,
        ClockQueriesService,
        ClockPausesService,
        ClocksHandlers,
        RedistrictedHandlers,
        TickScheduler,
        SupervisionRepository,
        SupervisionService,
        SupervisionHandlers,
        ExtensionsRepository,
        ExtensionsService,
        ExtensionsHandlers,
      ],
    };
  }
}
