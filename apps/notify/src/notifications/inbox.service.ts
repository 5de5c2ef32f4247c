import { CLOCK, Clock, Principal } from '@app/platform';
import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import { NOTIFY_CONFIG, NotifyConfig } from '../notify.config';
import { Recipient } from '../recipients/recipient.entity';
import { RecipientsRepository } from '../recipients/recipients.repository';
import { InboxPage, InboxQuery, NotificationView, PreferencesDto, PreferencesView } from './inbox.dto';
import { Notification } from './notification.entity';
import { NotificationsRepository } from './notifications.repository';

export const notificationView = (n: Notification): NotificationView => ({
  id: n.id,
  kind: n.kind,
  urgent: n.urgent,
  ticketId: n.ticketId,
  orderNo: n.orderNo,
  districtCode: n.districtCode,
  title: n.title,
  body: n.body,
  createdAt: n.createdAt.toISOString(),
  readAt: n.readAt?.toISOString() ?? null,
});

/** A person's own inbox and choices: everyone sees and changes only their own. */
@Injectable()
export class InboxService {
  constructor(
    private readonly notifications: NotificationsRepository,
    private readonly recipients: RecipientsRepository,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(NOTIFY_CONFIG) private readonly config: NotifyConfig,
  ) {}

  async inbox(user: Principal, q: InboxQuery): Promise<InboxPage> {
    const [items, total] = await this.notifications.inbox(user.id, q.unread ?? false, q.limit ?? 20, q.offset ?? 0);
    return { items: items.map(notificationView), total, unread: await this.notifications.unread(user.id) };
  }

  unread(user: Principal): Promise<number> {
    return this.notifications.unread(user.id);
  }

  async read(user: Principal, id: string): Promise<NotificationView> {
    const n = await this.notifications.markRead(user.id, id, this.clock.now());
    if (!n) throw new NotFoundException(`no notification ${id} in your inbox`);
    return notificationView(n);
  }

  async readAll(user: Principal): Promise<{ read: number }> {
    return { read: await this.notifications.markAllRead(user.id, this.clock.now()) };
  }

  async preferences(user: Principal): Promise<PreferencesView> {
    return this.view(await this.known(user));
  }

  async setPreferences(user: Principal, dto: PreferencesDto): Promise<PreferencesView> {
    const r = await this.known(user);
    const next = await this.recipients.setPreferences(user.id, {
      quietStart: dto.quietStart === undefined ? r.quietStart : dto.quietStart,
      quietEnd: dto.quietEnd === undefined ? r.quietEnd : dto.quietEnd,
      digest: dto.digest ?? r.digest,
      digestAt: dto.digestAt === undefined ? r.digestAt : dto.digestAt,
      mutedChannels: dto.mutedChannels ?? r.mutedChannels,
    });
    return this.view(next!);
  }

  private async known(user: Principal): Promise<Recipient> {
    const r = await this.recipients.find(user.id);
    if (!r) throw new NotFoundException('notify does not know your account yet (it learns it from the console)');
    return r;
  }

  private view(r: Recipient): PreferencesView {
    return {
      personId: r.personId,
      quietStart: r.quietStart ?? this.config.NOTIFY_QUIET_START,
      quietEnd: r.quietEnd ?? this.config.NOTIFY_QUIET_END,
      digest: r.digest,
      digestAt: r.digestAt ?? this.config.NOTIFY_DIGEST_AT,
      mutedChannels: r.mutedChannels,
      hasMobile: r.hasMobile,
      hasEmail: r.hasEmail,
    };
  }
}
