import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A day whose status differs from the library (a local holiday, a late change by the State Council). */
@Entity('calendar_day')
export class CalendarDay {
  @PrimaryColumn('date')
  day: string;

  @Column('boolean')
  working: boolean;

  @Column('text', { nullable: true })
  note: string | null;
}

/** A year whose calendar is provided here in full (the library does not know it yet). */
@Entity('calendar_year')
export class CalendarYear {
  @PrimaryColumn('int')
  year: number;

  @Column('text')
  source: string;
}
