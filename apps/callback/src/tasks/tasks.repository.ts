import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { CallbackAttempt, CallbackTask, TaskState } from './callback-task.entity';

@Injectable()
export class TasksRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  transaction<T>(fn: (m: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(fn);
  }

  async insertIfAbsent(m: EntityManager, task: CallbackTask): Promise<boolean> {
    const r = await m.createQueryBuilder().insert().into(CallbackTask).values(task).orIgnore().returning(['id']).execute();
    return (r.raw as unknown[]).length > 0;
  }

  lock(m: EntityManager, id: string): Promise<CallbackTask | null> {
    return m.getRepository(CallbackTask).createQueryBuilder('t').setLock('pessimistic_write').where('t.id = :id', { id }).getOne();
  }

  async save(m: EntityManager, task: CallbackTask): Promise<void> {
    await m.getRepository(CallbackTask).save(task);
  }

  async addAttempt(m: EntityManager, a: CallbackAttempt): Promise<void> {
    await m.insert(CallbackAttempt, a);
  }

  find(id: string): Promise<CallbackTask | null> {
    return this.dataSource.getRepository(CallbackTask).findOneBy({ id });
  }

  list(districts: string[] | null, state: TaskState | undefined, ticketId: string | undefined, limit: number): Promise<CallbackTask[]> {
    const qb = this.dataSource.getRepository(CallbackTask).createQueryBuilder('t').orderBy('t.due_at', 'ASC').limit(limit);
    if (districts) qb.andWhere('t.district_code = ANY(:districts)', { districts });
    if (state) qb.andWhere('t.state = :state', { state });
    if (ticketId) qb.andWhere('t.ticket_id = :ticketId', { ticketId });
    return qb.getMany();
  }
}
