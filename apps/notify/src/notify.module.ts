import { HttpSmsGateway, LogSmsGateway, natsConnectionOptions, PiiCipher, PlatformModule, SmsGateway } from '@app/platform';
import { DynamicModule, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { ClientProxy, ClientProxyFactory, Transport } from '@nestjs/microservices';
import { ScheduleModule } from '@nestjs/schedule';
import { CategoryNamesHandlers } from './categories/category-names.handlers';
import { CategoryNamesRepository } from './categories/category-names.repository';
import { EmailChannel, RobotChannel, SmsChannel } from './delivery/channels';
import { DeliveriesRepository } from './delivery/deliveries.repository';
import { DeliveryScheduler } from './delivery/delivery.scheduler';
import { DeliveryService, EMAIL_CHANNEL, ROBOT_CHANNEL, SMS_CHANNEL } from './delivery/delivery.service';
import { InboxController } from './notifications/inbox.controller';
import { InboxService } from './notifications/inbox.service';
import { NotificationsRepository } from './notifications/notifications.repository';
import { NotificationsService } from './notifications/notifications.service';
import { NotifyHandlers } from './notifications/notify.handlers';
import { NOTIFY_CONFIG, NotifyConfig } from './notify.config';
import { NOTIFY_PERSISTENCE } from './notify.persistence';
import { OrdersRepository } from './orders/orders.repository';
import { RecipientsHandlers } from './recipients/recipients.handlers';
import { RecipientsRepository } from './recipients/recipients.repository';
import { CONSOLE_QUERIES, StaffContacts } from './recipients/staff-contacts';
import { NotifyAdminController } from './rules/admin.controller';
import { AdminService } from './rules/admin.service';
import { RulesRepository } from './rules/rules.repository';

function smsGateway(c: NotifyConfig): SmsGateway {
  return c.NOTIFY_SMS_ADAPTER === 'http'
    ? new HttpSmsGateway(c.NOTIFY_SMS_HTTP_URL!, c.NOTIFY_SEND_TIMEOUT_MS, c.NOTIFY_SMS_HTTP_TOKEN)
    : new LogSmsGateway(c.NODE_ENV !== 'production');
}

/** 通知: people are told at once when an order needs them (console inbox, SMS, e-mail, group robots). */
@Module({})
export class NotifyModule implements OnApplicationShutdown {
  constructor(
    @Inject(EMAIL_CHANNEL) private readonly email: EmailChannel,
    @Inject(CONSOLE_QUERIES) private readonly console: ClientProxy,
  ) {}

  static forRoot(config: NotifyConfig): DynamicModule {
    return {
      module: NotifyModule,
      imports: [PlatformModule.forService({ service: 'notify', config, persistence: NOTIFY_PERSISTENCE }), ScheduleModule.forRoot()],
      controllers: [InboxController, NotifyAdminController],
      providers: [
        { provide: NOTIFY_CONFIG, useValue: config },
        { provide: PiiCipher, useFactory: () => new PiiCipher(config.PII_KEYS, config.PII_HASH_KEY) },
        {
          provide: SMS_CHANNEL,
          useFactory: () => new SmsChannel(smsGateway(config), config.NOTIFY_SMS_SIGNATURE, config.NOTIFY_SMS_TEMPLATES),
        },
        {
          provide: EMAIL_CHANNEL,
          useFactory: () =>
            new EmailChannel(config.NOTIFY_SMTP_URL, config.NOTIFY_MAIL_FROM, config.NOTIFY_CONSOLE_URL, config.NOTIFY_SEND_TIMEOUT_MS),
        },
        { provide: ROBOT_CHANNEL, useFactory: () => new RobotChannel(config.NOTIFY_SEND_TIMEOUT_MS) },
        {
          provide: CONSOLE_QUERIES,
          useFactory: () =>
            ClientProxyFactory.create({ transport: Transport.NATS, options: natsConnectionOptions(config, 'jiesu-notify-queries-client') }),
        },
        StaffContacts,
        RecipientsRepository,
        RulesRepository,
        OrdersRepository,
        NotificationsRepository,
        DeliveriesRepository,
        CategoryNamesRepository,
        NotificationsService,
        InboxService,
        AdminService,
        DeliveryService,
        DeliveryScheduler,
        NotifyHandlers,
        RecipientsHandlers,
        CategoryNamesHandlers,
      ],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    this.email.close();
    await this.console.close();
  }
}
