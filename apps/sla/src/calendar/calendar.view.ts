import { ApiProperty } from '@app/platform';
import { CalendarEditResult } from './calendar-admin.service';
import { CalendarStatus } from './calendar-alarm.service';
import { CalendarDay } from './calendar.entity';
import { GapReason } from './calendar.service';

/*
 * sla's calendar answers as its OpenAPI document describes them (the console's types are generated from
 * it). Each class `implements` what the service returns.
 */

const GAP_REASONS: GapReason[] = ['current_year', 'next_year', 'running_clocks'];
const SOURCES = ['database', 'library'] as const;

export class CalendarYearSourceView {
  @ApiProperty() year: number;
  @ApiProperty({ enum: SOURCES, enumName: 'CalendarSource', nullable: true, description: 'null: no data (an alarm)' })
  source: (typeof SOURCES)[number] | null;
}

export class MissingYearView {
  @ApiProperty() year: number;
  @ApiProperty({ enum: GAP_REASONS, enumName: 'GapReason', isArray: true }) reasons: GapReason[];
  @ApiProperty({ description: 'running clocks on the provisional calendar for this year' }) provisionalClocks: number;
}

/** The calendar alarm: years without data that matter, provisional and failing clocks. */
export class CalendarStatusView implements CalendarStatus {
  @ApiProperty({ description: "today in the city's time zone" }) today: string;
  @ApiProperty() zone: string;
  @ApiProperty() alarm: boolean;
  @ApiProperty({ type: [CalendarYearSourceView] }) years: CalendarYearSourceView[];
  @ApiProperty({ type: [MissingYearView] }) missingYears: MissingYearView[];
  @ApiProperty() provisionalClocks: number;
  @ApiProperty() failingClocks: number;
  @ApiProperty() pendingRecomputes: number;
}

/** One overridden day: a holiday, or a weekend made a working day. */
export class CalendarDayView implements CalendarDay {
  @ApiProperty({ format: 'date' }) day: string;
  @ApiProperty() working: boolean;
  @ApiProperty({ type: String, nullable: true }) note: string | null;
}

/** A year: where its calendar comes from and the days overridden in it. */
export class CalendarYearView {
  @ApiProperty() year: number;
  @ApiProperty({ type: String, nullable: true, description: 'null: no data (an alarm)' }) source: string | null;
  @ApiProperty({ type: [CalendarDayView] }) overrides: CalendarDayView[];
}

/** What an edit of the calendar did to the running clocks. */
export class CalendarEditResultView implements CalendarEditResult {
  @ApiProperty({ description: 'days written or removed' }) days: number;
  @ApiProperty({ description: 'running clocks whose due time moved' }) clocksMoved: number;
  @ApiProperty({ description: 'running clocks recomputed' }) clocksRecomputed: number;
}

/** A year declared in full (the library does not know it yet). */
export class DeclaredYearView extends CalendarEditResultView {
  @ApiProperty() year: number;
  @ApiProperty() source: string;
}
