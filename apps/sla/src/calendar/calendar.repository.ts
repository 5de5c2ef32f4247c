import { TransactionHost, TxHost } from '@app/platform';
import { Injectable, Inject } from '@nestjs/common';
import { Between } from 'typeorm';
import { CalendarDay, CalendarYear } from './calendar.entity';

@Injectable()
export class CalendarRepository {
  constructor(@Inject(TransactionHost) private readonly txHost: TxHost) {}

  days(): Promise<CalendarDay[]> {
    return this.txHost.tx.getRepository(CalendarDay).find();
  }

  years(): Promise<CalendarYear[]> {
    return this.txHost.tx.getRepository(CalendarYear).find();
  }

  daysOf(year: number): Promise<CalendarDay[]> {
    return this.txHost.tx
      .getRepository(CalendarDay)
      .find({ where: { day: Between(`${year}-01-01`, `${year}-12-31`) }, order: { day: 'ASC' } });
  }

  async upsertDays(days: CalendarDay[]): Promise<void> {
    await this.txHost.tx.getRepository(CalendarDay).upsert(days, ['day']);
  }

  async removeDay(day: string): Promise<boolean> {
    const r = await this.txHost.tx.getRepository(CalendarDay).delete({ day });
    return (r.affected ?? 0) > 0;
  }

  async upsertYear(y: CalendarYear): Promise<void> {
    await this.txHost.tx.getRepository(CalendarYear).upsert(y, ['year']);
  }
}
