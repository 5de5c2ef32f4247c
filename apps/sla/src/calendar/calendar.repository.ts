import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Between, DataSource, EntityManager } from 'typeorm';
import { CalendarDay, CalendarYear } from './calendar.entity';

@Injectable()
export class CalendarRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  transaction<T>(fn: (m: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(fn);
  }

  days(): Promise<CalendarDay[]> {
    return this.dataSource.getRepository(CalendarDay).find();
  }

  years(): Promise<CalendarYear[]> {
    return this.dataSource.getRepository(CalendarYear).find();
  }

  daysOf(year: number): Promise<CalendarDay[]> {
    return this.dataSource
      .getRepository(CalendarDay)
      .find({ where: { day: Between(`${year}-01-01`, `${year}-12-31`) }, order: { day: 'ASC' } });
  }

  async upsertDays(m: EntityManager, days: CalendarDay[]): Promise<void> {
    await m.getRepository(CalendarDay).upsert(days, ['day']);
  }

  async removeDay(m: EntityManager, day: string): Promise<boolean> {
    const r = await m.getRepository(CalendarDay).delete({ day });
    return (r.affected ?? 0) > 0;
  }

  async upsertYear(m: EntityManager, y: CalendarYear): Promise<void> {
    await m.getRepository(CalendarYear).upsert(y, ['year']);
  }
}
