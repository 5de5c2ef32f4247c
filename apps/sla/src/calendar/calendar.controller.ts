import { CityWide, Roles, ApiBearerAuth, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@app/platform';
import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { CalendarAdminService, CalendarEditResult } from './calendar-admin.service';
import { CalendarAlarmService, CalendarStatus } from './calendar-alarm.service';
import { CalendarDay } from './calendar.entity';
import { DayParam, DeclareYearDto, SetDaysDto, YearParam } from './calendar.dto';
import { CalendarEditResultView, CalendarStatusView, CalendarYearView, DeclaredYearView } from './calendar.view';

@ApiTags('calendar 工作日历')
@ApiBearerAuth()
@CityWide()
@Controller('calendar')
export class CalendarController {
  constructor(
    private readonly admin: CalendarAdminService,
    private readonly alarm: CalendarAlarmService,
  ) {}

  // Before ':year', which would otherwise take "status" for a year.
  @Get('status')
  @Roles('admin', 'supervisor', 'dispatcher')
  @ApiOperation({
    summary:
      '日历告警 The calendar alarm for the console home page: years that matter and their source, years without data, provisional and failing clocks',
  })
  @ApiOkResponse({ type: CalendarStatusView })
  status(): Promise<CalendarStatus> {
    return this.alarm.status();
  }

  @Get(':year')
  @ApiParam({ name: 'year', type: Number, example: 2027 })
  @Roles('supervisor', 'dispatcher', 'analyst')
  @ApiOperation({ summary: '工作日历 Where a year’s calendar comes from (null = no data: an alarm) and its overrides' })
  @ApiOkResponse({ type: CalendarYearView })
  year(@Param() p: YearParam): Promise<{ year: number; source: string | null; overrides: CalendarDay[] }> {
    return this.admin.year(p.year);
  }

  @Post('days')
  @HttpCode(200)
  @Roles('admin')
  @ApiOperation({ summary: '调整日历 Override days (holiday or adjusted working day); running clocks are recomputed' })
  @ApiOkResponse({ type: CalendarEditResultView })
  setDays(@Body() dto: SetDaysDto): Promise<CalendarEditResult> {
    return this.admin.setDays(dto);
  }

  @Delete('days/:day')
  @ApiParam({ name: 'day', type: String, example: '2027-02-08' })
  @Roles('admin')
  @ApiOperation({ summary: '删除日历调整 Remove an override (the library decides again); running clocks are recomputed' })
  @ApiOkResponse({ type: CalendarEditResultView })
  removeDay(@Param() p: DayParam): Promise<CalendarEditResult> {
    return this.admin.removeDay(p.day);
  }

  @Post('years')
  @HttpCode(200)
  @Roles('admin')
  @ApiOperation({
    summary:
      '登记年度日历 Declare a year complete (with its days, or after entering them): its provisional clocks are recomputed, re-armed and announced',
  })
  @ApiOkResponse({ type: DeclaredYearView })
  declareYear(@Body() dto: DeclareYearDto): Promise<{ year: number; source: string } & CalendarEditResult> {
    return this.admin.declareYear(dto);
  }
}
