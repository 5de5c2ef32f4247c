import { CurrentUser, Principal, Roles, ApiBearerAuth, ApiOperation, ApiTags } from '@app/platform';
import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { CloseItemDto, ListSupervisionQuery, NoteDto, UrgeOrderDto } from './supervision.dto';
import { SupervisionItem } from './supervision.entity';
import { ItemDetail, SupervisionService } from './supervision.service';

@ApiTags('supervision 督办清单')
@ApiBearerAuth()
@Controller('supervision')
export class SupervisionController {
  constructor(private readonly supervision: SupervisionService) {}

  @Get()
  @Roles('supervisor', 'dispatcher', 'analyst')
  @ApiOperation({ summary: '督办清单 The supervision list: overdue, escalated, unsatisfied, repeat (filters: district, unit, level, age)' })
  list(@CurrentUser() user: Principal, @Query() q: ListSupervisionQuery): Promise<(SupervisionItem & { ageHours: number })[]> {
    return this.supervision.list(user, q);
  }

  @Post('urge')
  @HttpCode(200)
  @Roles('supervisor')
  @ApiOperation({
    summary: '临期催办 Urge the unit holding an order (its open item, or a new at_risk item from the about-to-breach board)',
  })
  urgeOrder(@CurrentUser() user: Principal, @Body() dto: UrgeOrderDto): Promise<ItemDetail> {
    return this.supervision.urgeOrder(user, dto.ticketId, dto.note);
  }

  @Get(':id')
  @Roles('supervisor', 'dispatcher', 'analyst')
  @ApiOperation({ summary: '督办事项 One item with its record' })
  get(@CurrentUser() user: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<ItemDetail> {
    return this.supervision.get(user, id);
  }

  @Post(':id/urge')
  @HttpCode(200)
  @Roles('supervisor')
  @ApiOperation({ summary: '催办 Urge the unit, with a note' })
  urge(@CurrentUser() user: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() dto: NoteDto): Promise<ItemDetail> {
    return this.supervision.urge(user, id, dto.note);
  }

  @Post(':id/comment')
  @HttpCode(200)
  @Roles('supervisor')
  @ApiOperation({ summary: '批注 Comment on the item' })
  comment(@CurrentUser() user: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() dto: NoteDto): Promise<ItemDetail> {
    return this.supervision.comment(user, id, dto.note);
  }

  @Post(':id/close')
  @HttpCode(200)
  @Roles('supervisor')
  @ApiOperation({ summary: '销号 Close the item when done' })
  close(@CurrentUser() user: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() dto: CloseItemDto): Promise<ItemDetail> {
    return this.supervision.close(user, id, dto.note);
  }
}
