import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In, IsNull } from 'typeorm';
import { DeliveryState, MessageDelivery, SendAttempt } from './delivery.entity';
import { Robot } from './robot.entity';

@Injectable()
export class DeliveriesRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  transaction<T>(fn: (m: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(fn);
  }

  /** Idempotent on (event, channel, recipient). */
  async insertIfAbsent(m: EntityManager, d: MessageDelivery): Promise<void> {
    await m.createQueryBuilder().insert().into(MessageDelivery).values(d).orIgnore().execute();
  }

  /** The next pending delivery due at `now`, locked for this sender (replicas skip it). */
  async lockNextDue(m: EntityManager, now: Date): Promise<MessageDelivery | null> {
    return m
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
  async lockDueDigest(m: EntityManager, now: Date): Promise<MessageDelivery[]> {
    const first = await m
      .getRepository(MessageDelivery)
      .createQueryBuilder('d')
      .where(`d.state = 'digest' AND d.not_before <= :now`, { now })
      .orderBy('d.not_before', 'ASC')
      .limit(1)
      .setLock('pessimistic_write')
      .setOnLocked('skip_locked')
      .getOne();
    if (!first) return [];
    return m
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

  save(m: EntityManager, d: MessageDelivery | MessageDelivery[]): Promise<unknown> {
    return m.getRepository(MessageDelivery).save(Array.isArray(d) ? d : [d]);
  }

  addAttempt(m: EntityManager, a: SendAttempt): Promise<SendAttempt> {
    return m.getRepository(SendAttempt).save(a);
  }

  list(states: DeliveryState[], district: string[] | null, limit: number): Promise<MessageDelivery[]> {
    return this.dataSource.getRepository(MessageDelivery).find({
      where: { state: In(states), ...(district ? { districtCode: In(district) } : {}) },
      order: { createdAt: 'DESC' },
      take: limit,
    });
  }

  find(id: string): Promise<MessageDelivery | null> {
    return this.dataSource.getRepository(MessageDelivery).findOneBy({ id });
  }

  attemptsOf(deliveryIds: string[]): Promise<SendAttempt[]> {
    if (!deliveryIds.length) return Promise.resolve([]);
    return this.dataSource.getRepository(SendAttempt).find({ where: { deliveryId: In(deliveryIds) }, order: { at: 'ASC' } });
  }

  robotsFor(m: EntityManager, unitId: string | null, district: string, districtWide: boolean): Promise<Robot[]> {
    const repo = m.getRepository(Robot);
    if (districtWide) return repo.find({ where: { active: true, districtCode: district, unitId: IsNull() }, order: { createdAt: 'ASC' } });
    if (!unitId) return Promise.resolve([]);
    return repo.find({ where: { active: true, unitId }, order: { createdAt: 'ASC' } });
  }

  robot(m: EntityManager | null, id: string): Promise<Robot | null> {
    return (m ?? this.dataSource.manager).getRepository(Robot).findOneBy({ id });
  }

  robots(): Promise<Robot[]> {
    return this.dataSource.getRepository(Robot).find({ order: { createdAt: 'ASC' } });
  }

  saveRobot(r: Robot): Promise<Robot> {
    return this.dataSource.getRepository(Robot).save(r);
  }
}
