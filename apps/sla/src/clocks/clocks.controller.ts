import {
  CityWide,
  CurrentUser,
  Principal,
  Roles,
  ApiBearerAuth,
  ApiOperation,
  ApiProperty,
  ApiPropertyOptional,
  ApiTags,
} from '@app/platform';
import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsUUID, Matches, Max, Min } from 'class-validator';
import { PauseReason } from '../policies/sla-policy.entity';
import { ClockPausesService } from './clock-pauses.service';
import { ClockQueriesService, ClockView } from './clock-queries.service';
import { ClockTickService, TickResult } from './clock-tick.service';

export class PauseDto {
  @ApiProperty({ enum: [PauseReason.WaitingForCitizen], description: '等待诉求人 waiting for the citizen' })
  @IsIn([PauseReason.WaitingForCitizen], { message: 'reason must be waiting_for_citizen (extension pauses follow the extension request)' })
  reason: PauseReason;
}

export class AtRiskQuery {
  @ApiPropertyOptional({ example: '630104' })
  @IsOptional()
  @Matches(/^\d{6}$/, { message: 'districtCode must be a six-digit district code' })
  districtCode?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsUUID('all', { message: 'unitId must be a unit id (uuid)' })
  unitId?: string;

  @ApiPropertyOptional({
    default: 24,
    minimum: 1,
    maximum: 240,
    description: 'Working time left at most, in hours (working days count whole: 24 = one working day)',
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'withinWorkingHours must be a whole number of hours' })
  @Min(1)
  @Max(240)
  withinWorkingHours?: number;

  @ApiPropertyOptional({ default: 200, maximum: 500 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;
}

@ApiTags('clocks 时限')
@ApiBearerAuth()
@Controller()
export class ClocksController {
  constructor(
    private readonly queries: ClockQueriesService,
    private readonly pauses: ClockPausesService,
    private readonly ticks: ClockTickService,
  ) {}

  @Get('clocks')
  @Roles('dispatcher', 'supervisor', 'analyst')
  @ApiOperation({ summary: '工单时限 The clocks of an order, with the time left to the minute and what is still to fire' })
  forTicket(@CurrentUser() user: Principal, @Query('ticketId', ParseUUIDPipe) ticketId: string): Promise<ClockView[]> {
    return this.queries.forTicket(user, ticketId);
  }

  @Get('clocks/at-risk')
  @Roles('supervisor', 'dispatcher', 'analyst')
  @ApiOperation({ summary: '临期看板 Running clocks about to breach: working time left at most withinWorkingHours, soonest first' })
  atRisk(@CurrentUser() user: Principal, @Query() q: AtRiskQuery): Promise<ClockView[]> {
    return this.queries.atRisk(user, { ...q, withinWorkingHours: q.withinWorkingHours ?? 24, limit: q.limit ?? 200 });
  }

  @Post('clocks/:ticketId/pause')
  @HttpCode(200)
  @Roles('dispatcher', 'supervisor')
  @ApiOperation({ summary: '暂停计时 Stop the finish clock while waiting for the citizen (if the policy allows)' })
  pause(@CurrentUser() user: Principal, @Param('ticketId', ParseUUIDPipe) ticketId: string, @Body() dto: PauseDto): Promise<ClockView[]> {
    return this.pauses.pauseByHand(user, ticketId, dto.reason);
  }

  @Post('clocks/:ticketId/resume')
  @HttpCode(200)
  @Roles('dispatcher', 'supervisor')
  @ApiOperation({ summary: '恢复计时 Start the finish clock again; the due time moves by the time it stood' })
  resume(@CurrentUser() user: Principal, @Param('ticketId', ParseUUIDPipe) ticketId: string): Promise<ClockView[]> {
    return this.pauses.resumeByHand(user, ticketId);
  }

  @Post('admin/tick')
  @HttpCode(200)
  @Roles('admin')
  @CityWide()
  @ApiOperation({ summary: 'Fire due warnings, breaches and escalations now (the timer does this every SLA_TICK_MS)' })
  tick(): Promise<TickResult> {
    return this.ticks.tick();
  }
}
