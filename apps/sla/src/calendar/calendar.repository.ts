import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Between, DataSource } from 'typeorm';
import { CalendarDay, CalendarYear } from './calendar.entity';

@Injectable()
export class CalendarRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

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

  async upsertDays(days: CalendarDay[]): Promise<void> {
    await this.dataSource.getRepository(CalendarDay).upsert(days, ['day']);
  }

  async removeDay(day: string): Promise<boolean> {
    const r = await this.dataSource.getRepository(CalendarDay).delete({ day });
    return (r.affected ?? 0) > 0;
  }

  async upsertYear(y: CalendarYear): Promise<void> {
    await this.dataSource.getRepository(CalendarYear).upsert(y, ['year']);
  }
}
