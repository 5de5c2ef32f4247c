import { CurrentUser, Principal, Roles } from '@app/platform';
import { Body, Controller, Get, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CreateSupplementDto } from './supplements.dto';
import { SupplementsService, SupplementView } from './supplements.service';

@ApiTags('tickets 工单')
@ApiBearerAuth()
@Controller('tickets/:id/supplements')
export class SupplementsController {
  constructor(private readonly supplements: SupplementsService) {}

  @Post()
  @Roles('operator')
  @ApiOperation({ summary: '补充诉求 Record what the citizen adds to an order (publishes ticket.supplemented.v1)' })
  add(@CurrentUser() user: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() dto: CreateSupplementDto): Promise<SupplementView> {
    return this.supplements.add(user, id, dto.text);
  }

  @Get()
  @Roles('operator', 'dispatcher', 'supervisor', 'analyst')
  @ApiOperation({ summary: '补充诉求列表 What the citizen added to an order, oldest first' })
  list(@CurrentUser() user: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<SupplementView[]> {
    return this.supplements.list(user, id);
  }
}
