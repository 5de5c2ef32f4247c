import { PlatformModule } from '@app/platform';
import { DynamicModule, Module } from '@nestjs/common';
import { DISPATCH_CONFIG, DispatchConfig } from './dispatch.config';
import { DISPATCH_PERSISTENCE } from './dispatch.persistence';
import { OrgController } from './org/org.controller';
import { OrgRepository } from './org/org.repository';
import { RoutingRepository } from './routing/routing.repository';
import { RoutingService } from './routing/routing.service';
import { WorkflowController } from './workflow/workflow.controller';
import { WorkflowHandlers } from './workflow/workflow.handlers';
import { WorkflowRepository } from './workflow/workflow.repository';
import { WorkflowService } from './workflow/workflow.service';

/** 派/办: routing and the handling workflow. A district node sets SERVE_DISTRICTS. */
@Module({})
export class DispatchModule {
  static forRoot(config: DispatchConfig): DynamicModule {
    return {
      module: DispatchModule,
      imports: [PlatformModule.forService({ service: 'dispatch', config, persistence: DISPATCH_PERSISTENCE })],
      controllers: [WorkflowController, OrgController],
      providers: [
        { provide: DISPATCH_CONFIG, useValue: config },
        OrgRepository,
        RoutingRepository,
        RoutingService,
        WorkflowRepository,
        WorkflowService,
        WorkflowHandlers,
      ],
    };
  }
}
