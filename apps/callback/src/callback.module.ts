import { PlatformModule } from '@app/platform';
import { DynamicModule, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { ClientProxy, ClientProxyFactory, Transport } from '@nestjs/microservices';
import { CALLBACK_CONFIG, CallbackConfig, INTAKE_QUERIES } from './callback.config';
import { CALLBACK_PERSISTENCE } from './callback.persistence';
import { TasksController } from './tasks/tasks.controller';
import { TasksHandlers } from './tasks/tasks.handlers';
import { TasksRepository } from './tasks/tasks.repository';
import { TasksService } from './tasks/tasks.service';

/** 访/评: every approved reply is called back. */
@Module({})
export class CallbackModule implements OnApplicationShutdown {
  constructor(@Inject(INTAKE_QUERIES) private readonly intake: ClientProxy) {}

  static forRoot(config: CallbackConfig): DynamicModule {
    return {
      module: CallbackModule,
      imports: [PlatformModule.forService({ service: 'callback', config, persistence: CALLBACK_PERSISTENCE })],
      controllers: [TasksController],
      providers: [
        { provide: CALLBACK_CONFIG, useValue: config },
        {
          provide: INTAKE_QUERIES,
          useFactory: () => ClientProxyFactory.create({ transport: Transport.NATS, options: { servers: config.NATS_URL.split(',') } }),
        },
        TasksRepository,
        TasksService,
        TasksHandlers,
      ],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.intake.close();
  }
}
