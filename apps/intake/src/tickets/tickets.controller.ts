import { CurrentUser, Principal, Roles } from '@app/platform';
import { Body, Controller, DefaultValuePipe, Get, Param, ParseIntPipe, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CreateTicketDto } from './create-ticket.dto';
import { RevealView, TicketsService, TicketView } from './tickets.service';

@ApiTags('tickets 工单')
@ApiBearerAuth()
@Controller('tickets')
export class TicketsController {
  constructor(private readonly tickets: TicketsService) {}

  @Post()
  @Roles('operator')
  @ApiOperation({ summary: '受理工单 Record an order' })
  create(@CurrentUser() user: Principal, @Body() dto: CreateTicketDto): Promise<TicketView> {
    return this.tickets.create(user, dto);
  }

  @Get()
  @Roles('operator', 'dispatcher', 'supervisor', 'analyst')
  list(
    @CurrentUser() user: Principal,
    @Query('districtCode') districtCode?: string,
    @Query('limit', new DefaultValuePipe(50), ParseIntPipe) limit = 50,
  ): Promise<TicketView[]> {
    return this.tickets.list(user, districtCode, Math.min(Math.max(limit, 1), 500));
  }

  @Get(':id/reveals')
  @Roles('supervisor')
  @ApiOperation({ summary: '联系方式查看记录 Who revealed this citizen’s contact, when and why' })
  reveals(@CurrentUser() user: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<RevealView[]> {
    return this.tickets.reveals(user, id);
  }

  @Get(':id')
  @Roles('operator', 'dispatcher', 'supervisor', 'analyst')
  get(@CurrentUser() user: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<TicketView> {
    return this.tickets.get(user, id);
  }
}
