import { CurrentUser, Principal, Roles, ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@app/platform';
import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ExtensionRequestedView, OrderDetailView, OrderView, RevealedContactView, SuggestionView, TimelineEntryView } from './order.view';
import { TimelineEntry, WorkOrder } from './work-order.entity';
import { UnitStepsService } from './unit-steps.service';
import {
  AssignDto,
  ContactDto,
  ExtensionRequestDto,
  ExtensionRequested,
  ListOrdersQuery,
  QueueCounts,
  QueueQuery,
  ReplyDto,
  ReturnRequestDto,
  RevealContactDto,
  SignoffDto,
} from './workflow.dto';
import { OrderDetail, Suggestion, WorkflowService } from './workflow.service';

/** Worklists, the order and its timeline, and the handling unit's steps. */
@ApiTags('orders 办理')
@ApiBearerAuth()
@Controller('orders')
export class WorkflowController {
  constructor(
    private readonly workflow: WorkflowService,
    private readonly unit: UnitStepsService,
  ) {}

  @Get()
  @Roles('handler', 'unit_head', 'dispatcher', 'supervisor', 'analyst')
  @ApiOperation({ summary: '工单列表 Worklist (a unit sees its own queue; dispatchers and district leaders their districts)' })
  @ApiOkResponse({ type: [OrderView] })
  list(@CurrentUser() user: Principal, @Query() q: ListOrdersQuery): Promise<WorkOrder[]> {
    return this.workflow.list(user, q, q.limit ?? 100);
  }

  @Get('queue')
  @Roles('dispatcher')
  @ApiOperation({
    summary:
      '派单员待办 One queue (待派, 退单申请, 双交办, 待审核, 市级分拨) in your districts; without `queue`: unrouted, returns and reviews',
  })
  @ApiOkResponse({ type: [OrderView] })
  queue(@CurrentUser() user: Principal, @Query() q: QueueQuery): Promise<WorkOrder[]> {
    return this.workflow.queue(user, q);
  }

  @Get('queue/counts')
  @Roles('dispatcher')
  @ApiOperation({ summary: '待办数量 How many orders wait in each dispatcher queue in your districts' })
  @ApiOkResponse({ type: QueueCounts })
  queueCounts(@CurrentUser() user: Principal): Promise<QueueCounts> {
    return this.workflow.queueCounts(user);
  }

  @Get(':ticketId')
  @Roles('handler', 'unit_head', 'dispatcher', 'supervisor', 'analyst')
  @ApiOperation({ summary: '工单详情与办理过程 Order with its timeline and co-units' })
  @ApiOkResponse({ type: OrderDetailView })
  get(@CurrentUser() user: Principal, @Param('ticketId', ParseUUIDPipe) id: string): Promise<OrderDetail> {
    return this.workflow.get(user, id);
  }

  @Get(':ticketId/timeline')
  @Roles('handler', 'unit_head', 'dispatcher', 'supervisor', 'analyst')
  @ApiOperation({ summary: '办理过程 The order’s timeline: who, when, why' })
  @ApiOkResponse({ type: [TimelineEntryView] })
  timeline(@CurrentUser() user: Principal, @Param('ticketId', ParseUUIDPipe) id: string): Promise<TimelineEntry[]> {
    return this.workflow.timeline(user, id);
  }

  @Get(':ticketId/suggestion')
  @Roles('dispatcher', 'unit_head')
  @ApiOperation({ summary: '派单建议 The unit routing suggests, with the rule that matched' })
  @ApiOkResponse({ type: SuggestionView })
  suggestion(@CurrentUser() user: Principal, @Param('ticketId', ParseUUIDPipe) id: string): Promise<Suggestion> {
    return this.workflow.suggestion(user, id);
  }

  @Post(':ticketId/sign')
  @HttpCode(200)
  @Roles('handler', 'unit_head')
  @ApiOperation({ summary: '签收 Sign for the order' })
  @ApiOkResponse({ type: OrderView })
  sign(@CurrentUser() user: Principal, @Param('ticketId', ParseUUIDPipe) id: string): Promise<WorkOrder> {
    return this.unit.sign(user, id);
  }

  @Post(':ticketId/reveal')
  @HttpCode(200)
  @Roles('handler', 'unit_head')
  @ApiOperation({ summary: '显示号码 The citizen’s name and phone, for those handling the order (audited by intake)' })
  @ApiOkResponse({ type: RevealedContactView })
  reveal(
    @CurrentUser() user: Principal,
    @Param('ticketId', ParseUUIDPipe) id: string,
    @Body() dto: RevealContactDto,
  ): Promise<RevealedContactView> {
    return this.workflow.revealContact(user, id, dto.purpose);
  }

  @Post(':ticketId/contact')
  @HttpCode(200)
  @Roles('handler', 'unit_head')
  @ApiOperation({ summary: '响应 Record how and when the citizen was contacted' })
  @ApiOkResponse({ type: OrderView })
  contact(@CurrentUser() user: Principal, @Param('ticketId', ParseUUIDPipe) id: string, @Body() dto: ContactDto): Promise<WorkOrder> {
    return this.unit.contact(user, id, dto);
  }

  @Post(':ticketId/reply')
  @HttpCode(200)
  @Roles('handler', 'unit_head')
  @ApiOperation({ summary: '办结答复 Reply (finish); held for the head’s sign-off where the unit requires it' })
  @ApiOkResponse({ type: OrderView })
  reply(@CurrentUser() user: Principal, @Param('ticketId', ParseUUIDPipe) id: string, @Body() dto: ReplyDto): Promise<WorkOrder> {
    return this.unit.reply(user, id, dto);
  }

  @Post(':ticketId/signoff')
  @HttpCode(200)
  @Roles('unit_head')
  @ApiOperation({ summary: '一把手签批 Sign the reply off, or reject it with the reason' })
  @ApiOkResponse({ type: OrderView })
  signoff(@CurrentUser() user: Principal, @Param('ticketId', ParseUUIDPipe) id: string, @Body() dto: SignoffDto): Promise<WorkOrder> {
    return this.unit.signoff(user, id, dto);
  }

  @Post(':ticketId/extension')
  @HttpCode(202)
  @Roles('handler', 'unit_head')
  @ApiOperation({ summary: '申请延期 Ask for more working days before the deadline (sla decides; 202)' })
  @ApiOkResponse({ type: ExtensionRequestedView })
  extension(
    @CurrentUser() user: Principal,
    @Param('ticketId', ParseUUIDPipe) id: string,
    @Body() dto: ExtensionRequestDto,
  ): Promise<ExtensionRequested> {
    return this.unit.requestExtension(user, id, dto);
  }

  @Post(':ticketId/return')
  @HttpCode(200)
  @Roles('handler', 'unit_head')
  @ApiOperation({ summary: '申请退单 Ask to return a mis-dispatched order, with the reason, within the limit' })
  @ApiOkResponse({ type: OrderView })
  requestReturn(
    @CurrentUser() user: Principal,
    @Param('ticketId', ParseUUIDPipe) id: string,
    @Body() dto: ReturnRequestDto,
  ): Promise<WorkOrder> {
    return this.unit.requestReturn(user, id, dto);
  }

  @Post(':ticketId/assign')
  @HttpCode(200)
  @Roles('handler', 'unit_head')
  @ApiOperation({ summary: '分派/下派 Name the handlers, or pass the order to a community under the unit' })
  @ApiOkResponse({ type: OrderView })
  assign(@CurrentUser() user: Principal, @Param('ticketId', ParseUUIDPipe) id: string, @Body() dto: AssignDto): Promise<WorkOrder> {
    return this.unit.assign(user, id, dto);
  }
}
