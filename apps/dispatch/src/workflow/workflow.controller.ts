import { CurrentUser, Principal, Roles } from '@app/platform';
import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { WorkOrder } from './work-order.entity';
import { ContactDto, ExtensionRequestDto, ExtensionRequested, ListOrdersQuery, ReplyDto, ReviewDto } from './workflow.dto';
import { OrderDetail, WorkflowService } from './workflow.service';

@ApiTags('orders 办理')
@ApiBearerAuth()
@Controller('orders')
export class WorkflowController {
  constructor(private readonly workflow: WorkflowService) {}

  @Get()
  @Roles('handler', 'unit_head', 'dispatcher', 'supervisor', 'analyst')
  @ApiOperation({ summary: '工单列表 Worklist (a unit sees its own queue; dispatchers their districts)' })
  list(@CurrentUser() user: Principal, @Query() q: ListOrdersQuery): Promise<WorkOrder[]> {
    return this.workflow.list(user, q, q.limit ?? 100);
  }

  @Get(':ticketId')
  @Roles('handler', 'unit_head', 'dispatcher', 'supervisor', 'analyst')
  @ApiOperation({ summary: '工单详情与办理过程 Order with its timeline' })
  get(@CurrentUser() user: Principal, @Param('ticketId', ParseUUIDPipe) id: string): Promise<OrderDetail> {
    return this.workflow.get(user, id);
  }

  @Post(':ticketId/sign')
  @HttpCode(200)
  @Roles('handler', 'unit_head')
  @ApiOperation({ summary: '签收 Sign for the order' })
  sign(@CurrentUser() user: Principal, @Param('ticketId', ParseUUIDPipe) id: string): Promise<WorkOrder> {
    return this.workflow.sign(user, id);
  }

  @Post(':ticketId/contact')
  @HttpCode(200)
  @Roles('handler', 'unit_head')
  @ApiOperation({ summary: '响应 Record the contact with the citizen' })
  contact(@CurrentUser() user: Principal, @Param('ticketId', ParseUUIDPipe) id: string, @Body() dto: ContactDto): Promise<WorkOrder> {
    return this.workflow.contact(user, id, dto);
  }

  @Post(':ticketId/reply')
  @HttpCode(200)
  @Roles('handler', 'unit_head')
  @ApiOperation({ summary: '办结答复 Reply (finish)' })
  reply(@CurrentUser() user: Principal, @Param('ticketId', ParseUUIDPipe) id: string, @Body() dto: ReplyDto): Promise<WorkOrder> {
    return this.workflow.reply(user, id, dto);
  }

  @Post(':ticketId/extension')
  @HttpCode(202)
  @Roles('handler', 'unit_head')
  @ApiOperation({ summary: '申请延期 Ask for more working days before the deadline (sla decides; 202)' })
  extension(
    @CurrentUser() user: Principal,
    @Param('ticketId', ParseUUIDPipe) id: string,
    @Body() dto: ExtensionRequestDto,
  ): Promise<ExtensionRequested> {
    return this.workflow.requestExtension(user, id, dto);
  }

  @Post(':ticketId/review')
  @HttpCode(200)
  @Roles('dispatcher')
  @ApiOperation({ summary: '审核 Approve the reply or send it back for rework' })
  review(@CurrentUser() user: Principal, @Param('ticketId', ParseUUIDPipe) id: string, @Body() dto: ReviewDto): Promise<WorkOrder> {
    return this.workflow.review(user, id, dto);
  }
}
