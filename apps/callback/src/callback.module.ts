import { CallbackMetrics } from './callback.metrics';
import { ConfigError, HttpSmsGateway, LogSmsGateway, natsConnectionOptions, PlatformModule, SMS_GATEWAY, SmsGateway } from '@app/platform';
import { DynamicModule, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { ClientProxy, ClientProxyFactory, Transport } from '@nestjs/microservices';
import { ScheduleModule } from '@nestjs/schedule';
import { CALLBACK_CONFIG, CallbackConfig, DEV_LINK_KEYS, INTAKE_QUERIES } from './callback.config';
import { CALLBACK_PERSISTENCE } from './callback.persistence';
import { ExpiryPolicyController } from './policies/expiry-policy.controller';
import { ExpiryPolicyService } from './policies/expiry-policy.service';
import { SurveyController } from './survey/survey.controller';
import { SurveyRepository } from './survey/survey.repository';
import { SurveyService } from './survey/survey.service';
import { CallbackOutcomes } from './tasks/callback-outcomes';
import { CallbackTicker } from './tasks/callback-ticker';
import { IntakeContacts } from './tasks/intake-contacts';
import { TasksController } from './tasks/tasks.controller';
import { TasksHandlers } from './tasks/tasks.handlers';
import { TasksRepository } from './tasks/tasks.repository';
import { TasksService } from './tasks/tasks.service';
import { CallbackTicketRepository } from './tickets/callback-ticket.repository';

function smsGateway(c: CallbackConfig): SmsGateway {
  return c.CALLBACK_SMS_ADAPTER === 'http'
    ? new HttpSmsGateway(c.CALLBACK_SMS_HTTP_URL!, c.CALLBACK_SMS_HTTP_TIMEOUT_MS, c.CALLBACK_SMS_HTTP_TOKEN)
    : new LogSmsGateway(c.NODE_ENV !== 'production');
}

/** 访/评: every approved reply is called back, by phone or by a one-time SMS link. */
@Module({})
export class CallbackModule implements OnApplicationShutdown {
  constructor(@Inject(INTAKE_QUERIES) private readonly intake: ClientProxy) {}

  static forRoot(config: CallbackConfig): DynamicModule {
    if (config.NODE_ENV === 'production' && config.CALLBACK_LINK_KEYS === DEV_LINK_KEYS) {
      throw new ConfigError(['CALLBACK_LINK_KEYS: the development link key may not be used in production']);
    }
    return {
      module: CallbackModule,
      imports: [PlatformModule.forService({ service: 'callback', config, persistence: CALLBACK_PERSISTENCE }), ScheduleModule.forRoot()],
      controllers: [TasksController, SurveyController, ExpiryPolicyController],
      providers: [
        { provide: CALLBACK_CONFIG, useValue: config },
        {
          provide: INTAKE_QUERIES,
          useFactory: () =>
            ClientProxyFactory.create({
              transport: Transport.NATS,
              options: natsConnectionOptions(config, 'jiesu-callback-queries-client'),
            }),
        },
        { provide: SMS_GATEWAY, useFactory: () => smsGateway(config) },
        TasksRepository,
        ExpiryPolicyService,
        CallbackMetrics,
        CallbackTicketRepository,
        SurveyRepository,
        IntakeContacts,
        CallbackOutcomes,
        TasksService,
        SurveyService,
        TasksHandlers,
        CallbackTicker,
      ],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.intake.close();
  }
}
