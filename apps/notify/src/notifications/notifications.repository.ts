import { TransactionHost, TxHost } from '@app/platform';
import { Injectable, Inject } from '@nestjs/common';
import { IsNull } from 'typeorm';
import { Notification } from './notification.entity';

@Injectable()
export class NotificationsRepository {
  constructor(@Inject(TransactionHost) private readonly txHost: TxHost) {}

  /** True when inserted; false when this person already has this event (a redelivery). */
  async insertIfAbsent(n: Notification): Promise<boolean> {
    const rows: unknown[] = await this.txHost.tx.query(
      `INSERT INTO notification (id, event_id, person_id, kind, urgent, ticket_id, order_no, district_code, title, body, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
       ON CONFLICT (event_id, person_id) DO NOTHING RETURNING id`,
      [n.id, n.eventId, n.personId, n.kind, n.urgent, n.ticketId, n.orderNo, n.districtCode, n.title, n.body, n.createdAt],
    );
    return rows.length > 0;
  }

  inbox(personId: string, unreadOnly: boolean, limit: number, offset: number): Promise<[Notification[], number]> {
    return this.txHost.tx.getRepository(Notification).findAndCount({
      where: unreadOnly ? { personId, readAt: IsNull() } : { personId },
      order: { createdAt: 'DESC', id: 'ASC' },
      take: limit,
      skip: offset,
    });
  }

  unread(personId: string): Promise<number> {
    return this.txHost.tx.getRepository(Notification).countBy({ personId, readAt: IsNull() });
  }

  /** Marks the person's own notification read; null when it is not theirs (or does not exist). */
  async markRead(personId: string, id: string, at: Date): Promise<Notification | null> {
    const repo = this.txHost.tx.getRepository(Notification);
    await repo.update({ id, personId, readAt: IsNull() }, { readAt: at });
    return repo.findOneBy({ id, personId });
  }

  async markAllRead(personId: string, at: Date): Promise<number> {
    const res = await this.txHost.tx.getRepository(Notification).update({ personId, readAt: IsNull() }, { readAt: at });
    return res.affected ?? 0;
  }
}
