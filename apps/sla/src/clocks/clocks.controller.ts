import { CurrentUser, Principal, Roles } from '@app/platform';
import { Controller, Get, HttpCode, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ClocksService } from './clocks.service';
import { SlaClock } from './sla-clock.entity';

@ApiTags('clocks 时限')
@ApiBearerAuth()
@Controller()
export class ClocksController {
  constructor(private readonly clocks: ClocksService) {}

  @Get('clocks')
  @Roles('dispatcher', 'supervisor', 'analyst')
  @ApiOperation({ summary: '工单时限 The clocks of an order' })
  forTicket(@CurrentUser() user: Principal, @Query('ticketId', ParseUUIDPipe) ticketId: string): Promise<SlaClock[]> {
    return this.clocks.forTicket(user, ticketId);
  }

  @Post('admin/tick')
  @HttpCode(200)
  @Roles('admin')
  @ApiOperation({ summary: 'Fire due warnings and breaches now (the timer does this every SLA_TICK_MS)' })
  tick(): Promise<{ warnings: number; breaches: number }> {
    return this.clocks.tick();
  }
}
