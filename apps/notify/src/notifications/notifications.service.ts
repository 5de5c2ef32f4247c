import { categoryLineage, categoryName, EventEnvelope } from '@app/contracts';
import { CLOCK, Clock, EarlyEventError, Outbox } from '@app/platform';
import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { CategoryNamesRepository } from '../categories/category-names.repository';
import { DeliveriesRepository } from '../delivery/deliveries.repository';
import { DeliveryChannel, DeliveryState, MessageDelivery } from '../delivery/delivery.entity';
import { NOTIFY_CONFIG, NotifyConfig } from '../notify.config';
import { OrdersRepository } from '../orders/orders.repository';
import { Recipient } from '../recipients/recipient.entity';
import { RecipientsRepository } from '../recipients/recipients.repository';
import { Channel, NotificationKind } from '../rules/rule.entity';
import { RulesRepository } from '../rules/rules.repository';
import { Message, render } from './messages';
import { Notification } from './notification.entity';
import { NotificationsRepository } from './notifications.repository';
import { afterQuietHours, nextDigest } from './quiet-hours';

/** What happened, relative to an order: the kind of notification and whom it concerns. */
export interface Occurrence {
  kind: NotificationKind;
  /** The unit the rules' `unit` audience means (the order's handling unit). */
  unitId: string | null;
  /** Urgent orders ring through quiet hours and digests. */
  urgent?: boolean;
  dueAt?: Date | null;
  note?: string;
  /** Wait for the order's facts (number, deadline) for a few deliveries before sending without them. */
  needsDeadline?: boolean;
  /** The same for the order's unit (`unitId`), which a `unit` audience needs. */
  needsUnit?: boolean;
}

/**
 * How many deliveries of an event notify waits for the order's facts (its acceptance, its clocks),
 * which travel on other consumers and may come later; after that it tells people with what it has,
 * since "at once" matters more than a complete message.
 */
export const FACTS_WAIT_DELIVERIES = 6;

/**
 * 通知: an event becomes one inbox entry per person the rules name (idempotent on event id and
 * person), a live toast through the console (`notification.created.v1`), and the person's SMS and
 * e-mail, plus the unit's or district's group robots. Urgent orders go at once; others wait for the
 * end of the person's quiet hours, or for their daily digest.
 */
@Injectable()
export class NotificationsService {
  constructor(
    private readonly rules: RulesRepository,
    private readonly recipients: RecipientsRepository,
    private readonly orders: OrdersRepository,
    private readonly categories: CategoryNamesRepository,
    private readonly notifications: NotificationsRepository,
    private readonly deliveries: DeliveriesRepository,
    private readonly outbox: Outbox,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(NOTIFY_CONFIG) private readonly config: NotifyConfig,
  ) {}

  async notify(e: EventEnvelope, delivery: number, o: Occurrence): Promise<void> {
    const rules = await this.rules.activeFor(o.kind, e.district);
    if (!rules.length) return;
    const order = e.ticketId ? await this.orders.find(e.ticketId) : null;
    const lacking = !order?.orderNo
      ? 'number'
      : o.needsDeadline && !order.finishDueAt && !o.dueAt
        ? 'deadline'
        : o.needsUnit && !o.unitId
          ? 'unit'
          : null;
    if (lacking && delivery < FACTS_WAIT_DELIVERIES) {
      throw new EarlyEventError(`order ${e.ticketId} has no ${lacking} yet; waiting for it`);
    }
    const urgent = o.urgent ?? order?.urgency === 'urgent';
    // the category as the console names it: intake's maintained names, level by level before the catalogue's
    const code = order?.categoryCode;
    const category = categoryName(code, await this.categories.namesOf(categoryLineage(code)))?.zh;
    const msg = render({ kind: o.kind, urgent, order, categoryName: category, dueAt: o.dueAt, note: o.note }, this.config.CITY_TIME_ZONE);
    const now = this.clock.now();

    const people = new Map<string, { person: Recipient; channels: Set<Channel> }>();
    let robotsAudience: 'unit' | 'district' | null = null;
    for (const rule of rules) {
      for (const person of await this.recipients.audience(rule.roles, rule.audience, e.district, o.unitId)) {
        const entry = people.get(person.personId) ?? { person, channels: new Set<Channel>() };
        rule.channels.forEach((c) => entry.channels.add(c));
        people.set(person.personId, entry);
      }
      if (rule.channels.includes('robot')) robotsAudience = rule.audience === 'unit' ? 'unit' : (robotsAudience ?? 'district');
    }

    for (const { person, channels } of people.values()) {
      const n = Object.assign(new Notification(), {
        id: randomUUID(),
        eventId: e.id,
        personId: person.personId,
        kind: o.kind,
        urgent,
        ticketId: e.ticketId,
        orderNo: order?.orderNo ?? null,
        districtCode: e.district,
        title: msg.title,
        body: msg.body,
        createdAt: now,
        readAt: null,
      });
      // The same event never tells a person twice: a redelivery finds the row and stops here.
      if (!(await this.notifications.insertIfAbsent(n))) continue;
      await this.outbox.publish('notification.created.v1', {
        district: e.district,
        ticketId: e.ticketId,
        occurredAt: now,
        data: {
          notificationId: n.id,
          recipientId: person.personId,
          kind: o.kind,
          urgent,
          title: msg.title,
          body: msg.body,
          ...(n.orderNo ? { orderNo: n.orderNo } : {}),
          createdAt: now.toISOString(),
        },
      });
      const when = this.timing(person, urgent, now);
      // the address is asked of the console when the message goes (StaffContacts), never kept here
      if (channels.has('sms') && person.hasMobile && !person.mutedChannels.includes('sms')) {
        await this.queue(e, o, msg, urgent, when, { person, channel: 'sms' });
      }
      if (channels.has('email') && person.hasEmail && !person.mutedChannels.includes('email')) {
        await this.queue(e, o, msg, urgent, when, { person, channel: 'email' });
      }
    }

    if (robotsAudience) {
      const groupWhen = { state: 'pending' as DeliveryState, notBefore: urgent ? now : this.quietEnd(null, now) };
      for (const robot of await this.deliveries.robotsFor(o.unitId, e.district, robotsAudience === 'district')) {
        await this.queue(e, o, msg, urgent, groupWhen, { robot: { id: robot.id, provider: robot.provider, name: robot.name } });
      }
    }
  }

  /** When a person's SMS and e-mail go: urgent at once; otherwise the digest, or after the quiet hours. */
  private timing(p: Recipient, urgent: boolean, now: Date): { state: DeliveryState; notBefore: Date } {
    if (urgent) return { state: 'pending', notBefore: now };
    if (p.digest)
      return { state: 'digest', notBefore: nextDigest(now, p.digestAt ?? this.config.NOTIFY_DIGEST_AT, this.config.CITY_TIME_ZONE) };
    return { state: 'pending', notBefore: this.quietEnd(p, now) };
  }

  private quietEnd(p: Recipient | null, now: Date): Date {
    return afterQuietHours(
      now,
      p?.quietStart ?? this.config.NOTIFY_QUIET_START,
      p?.quietEnd ?? this.config.NOTIFY_QUIET_END,
      this.config.CITY_TIME_ZONE,
    );
  }

  private async queue(
    e: EventEnvelope,
    o: Occurrence,
    msg: Message,
    urgent: boolean,
    when: { state: DeliveryState; notBefore: Date },
    to: { person: Recipient; channel: 'sms' | 'email' } | { robot: { id: string; provider: DeliveryChannel; name: string } },
  ): Promise<void> {
    const isRobot = 'robot' in to;
    await this.deliveries.insertIfAbsent(
      Object.assign(new MessageDelivery(), {
        id: randomUUID(),
        eventId: e.id,
        recipientKey: isRobot ? `robot:${to.robot.id}` : `person:${to.person.personId}`,
        personId: isRobot ? null : to.person.personId,
        robotId: isRobot ? to.robot.id : null,
        channel: isRobot ? to.robot.provider : to.channel,
        // a person's masked address is filled in when the console gives it at send time
        targetMasked: isRobot ? to.robot.name : '***',
        kind: o.kind,
        urgent,
        ticketId: e.ticketId,
        districtCode: e.district,
        title: msg.title,
        body: msg.body,
        params: msg.params,
        state: when.state,
        notBefore: when.notBefore,
        attempts: 0,
        lastError: null,
        lastReason: null,
        sentAt: null,
        digestId: null,
        createdAt: this.clock.now(),
      }),
    );
  }
}
