import { natsConnectionOptions, PlatformModule } from '@app/platform';
import { DynamicModule, Module } from '@nestjs/common';
import { ClientProxyFactory, Transport } from '@nestjs/microservices';
import { DISPATCH_CONFIG, DispatchConfig, INTAKE_QUERIES } from './dispatch.config';
import { DISPATCH_PERSISTENCE } from './dispatch.persistence';
import { MembershipHandlers } from './membership/membership.handlers';
import { MembershipRepository } from './membership/membership.repository';
import { MembershipService } from './membership/membership.service';
import { OrgController } from './org/org.controller';
import { OrgRepository } from './org/org.repository';
import { OrgService } from './org/org.service';
import { RoutingController } from './routing/routing.controller';
import { RoutingRepository } from './routing/routing.repository';
import { RoutingService } from './routing/routing.service';
import { CitizenContacts } from './workflow/citizen-contact';
import { DispatcherStepsService } from './workflow/dispatcher-steps.service';
import { DistrictTransferService } from './workflow/district-transfer.service';
import { DispatcherController } from './workflow/dispatcher.controller';
import { JointController } from './workflow/joint.controller';
import { JointService } from './workflow/joint.service';
import { OrderSteps } from './workflow/order-steps';
import { UnitStepsService } from './workflow/unit-steps.service';
import { WorkflowController } from './workflow/workflow.controller';
import { WorkflowHandlers } from './workflow/workflow.handlers';
import { WorkflowRepository } from './workflow/workflow.repository';
import { WorkflowService } from './workflow/workflow.service';

/** 派/办: organisation, routing and the handling workflow. A district node sets SERVE_DISTRICTS. */
@Module({})
export class DispatchModule {
  static forRoot(config: DispatchConfig): DynamicModule {
    return {
      module: DispatchModule,
      imports: [PlatformModule.forService({ service: 'dispatch', config, persistence: DISPATCH_PERSISTENCE })],
      controllers: [WorkflowController, DispatcherController, JointController, OrgController, RoutingController],
      providers: [
        { provide: DISPATCH_CONFIG, useValue: config },
        {
          provide: INTAKE_QUERIES,
          useFactory: () =>
            ClientProxyFactory.create({
              transport: Transport.NATS,
              options: natsConnectionOptions(config, 'jiesu-dispatch-queries-client'),
            }),
        },
        CitizenContacts,
        OrgRepository,
        OrgService,
        RoutingRepository,
        RoutingService,
        WorkflowRepository,
        OrderSteps,
        WorkflowService,
        UnitStepsService,
        DispatcherStepsService,
        DistrictTransferService,
        JointService,
        WorkflowHandlers,
        MembershipRepository,
        MembershipService,
        MembershipHandlers,
      ],
    };
  }
}
