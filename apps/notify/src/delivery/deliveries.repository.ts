import { TransactionHost, TxHost } from '@app/platform';
import { Injectable, Inject } from '@nestjs/common';
import { In, IsNull } from 'typeorm';
import { DeliveryChannel, DeliveryState, MessageDelivery, SendAttempt } from './delivery.entity';
import { Recipient } from '../recipients/recipient.entity';
import { Robot } from './robot.entity';

@Injectable()
export class DeliveriesRepository {
  constructor(@Inject(TransactionHost) private readonly txHost: TxHost) {}

  /** Idempotent on (event, channel, recipient). */
  async insertIfAbsent(d: MessageDelivery): Promise<void> {
    await this.txHost.tx.createQueryBuilder().insert().into(MessageDelivery).values(d).orIgnore().execute();
  }

  /** The next pending delivery due at `now`, locked for this sender (replicas skip it). */
  async lockNextDue(now: Date): Promise<MessageDelivery | null> {
    return this.txHost.tx
      .getRepository(MessageDelivery)
      .createQueryBuilder('d')
      .where(`d.state = 'pending' AND d.not_before <= :now`, { now })
      .orderBy('d.not_before', 'ASC')
      .addOrderBy('d.id', 'ASC')
      .limit(1)
      .setLock('pessimistic_write')
      .setOnLocked('skip_locked')
      .getOne();
  }

  /** One (recipient, channel) whose digest is due, with its rows locked. */
  async lockDueDigest(now: Date): Promise<MessageDelivery[]> {
    const first = await this.txHost.tx
      .getRepository(MessageDelivery)
      .createQueryBuilder('d')
      .where(`d.state = 'digest' AND d.not_before <= :now`, { now })
      .orderBy('d.not_before', 'ASC')
      .limit(1)
      .setLock('pessimistic_write')
      .setOnLocked('skip_locked')
      .getOne();
    if (!first) return [];
    return this.txHost.tx
      .getRepository(MessageDelivery)
      .createQueryBuilder('d')
      .where(`d.state = 'digest' AND d.not_before <= :now AND d.recipient_key = :key AND d.channel = :channel`, {
        now,
        key: first.recipientKey,
        channel: first.channel,
      })
      .orderBy('d.created_at', 'ASC')
      .setLock('pessimistic_write')
      .setOnLocked('skip_locked')
      .getMany();
  }

  save(d: MessageDelivery | MessageDelivery[]): Promise<unknown> {
    return this.txHost.tx.getRepository(MessageDelivery).save(Array.isArray(d) ? d : [d]);
  }

  addAttempt(a: SendAttempt): Promise<SendAttempt> {
    return this.txHost.tx.getRepository(SendAttempt).save(a);
  }

  list(
    states: DeliveryState[],
    district: string[] | null,
    limit: number,
    channel?: DeliveryChannel,
    offset = 0,
  ): Promise<MessageDelivery[]> {
    return this.txHost.tx.getRepository(MessageDelivery).find({
      where: { state: In(states), ...(district ? { districtCode: In(district) } : {}), ...(channel ? { channel } : {}) },
      order: { createdAt: 'DESC', id: 'DESC' },
      take: limit,
      skip: offset,
    });
  }

  find(id: string): Promise<MessageDelivery | null> {
    return this.txHost.tx.getRepository(MessageDelivery).findOneBy({ id });
  }

  /** The display names of these people (for the delivery log), by person id. */
  async namesOf(personIds: (string | null)[]): Promise<Map<string, string>> {
    const ids = [...new Set(personIds.filter((p): p is string => Boolean(p)))];
    if (!ids.length) return new Map();
    const rows = await this.txHost.tx
      .getRepository(Recipient)
      .find({ where: { personId: In(ids) }, select: { personId: true, displayName: true } });
    return new Map(rows.map((r) => [r.personId, r.displayName]));
  }

  attemptsOf(deliveryIds: string[]): Promise<SendAttempt[]> {
    if (!deliveryIds.length) return Promise.resolve([]);
    return this.txHost.tx.getRepository(SendAttempt).find({ where: { deliveryId: In(deliveryIds) }, order: { at: 'ASC' } });
  }

  robotsFor(unitId: string | null, district: string, districtWide: boolean): Promise<Robot[]> {
    const repo = this.txHost.tx.getRepository(Robot);
    if (districtWide) return repo.find({ where: { active: true, districtCode: district, unitId: IsNull() }, order: { createdAt: 'ASC' } });
    if (!unitId) return Promise.resolve([]);
    return repo.find({ where: { active: true, unitId }, order: { createdAt: 'ASC' } });
  }

  robot(id: string): Promise<Robot | null> {
    return this.txHost.tx.getRepository(Robot).findOneBy({ id });
  }

  robots(): Promise<Robot[]> {
    return this.txHost.tx.getRepository(Robot).find({ order: { createdAt: 'ASC' } });
  }

  saveRobot(r: Robot): Promise<Robot> {
    return this.txHost.tx.getRepository(Robot).save(r);
  }
}
