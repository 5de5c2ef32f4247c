import { CurrentUser, Principal, Roles, ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@app/platform';
import { Body, Controller, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { OrderView } from './order.view';
import { DispatcherStepsService } from './dispatcher-steps.service';
import { DistrictTransferService } from './district-transfer.service';
import { WorkOrder } from './work-order.entity';
import {
  BulkDispatchDto,
  BulkDispatchReply,
  DispatchDto,
  LeaderDispatchDto,
  LeaderSignoffDto,
  RedispatchDto,
  ReopenDto,
  ReturnDecisionDto,
  ReviewDto,
  TransferDistrictDto,
} from './workflow.dto';

/** The dispatcher's steps (and the district leader's sign-off of 双交办). */
@ApiTags('orders 派单')
@ApiBearerAuth()
@Controller('orders')
export class DispatcherController {
  constructor(
    private readonly steps: DispatcherStepsService,
    private readonly transfers: DistrictTransferService,
  ) {}

  @Post(':ticketId/dispatch')
  @HttpCode(200)
  @Roles('dispatcher')
  @ApiOperation({ summary: '人工派单 Dispatch an unrouted order to a unit' })
  @ApiOkResponse({ type: OrderView })
  dispatch(@CurrentUser() user: Principal, @Param('ticketId', ParseUUIDPipe) id: string, @Body() dto: DispatchDto): Promise<WorkOrder> {
    return this.steps.dispatch(user, id, dto);
  }

  @Post('bulk-dispatch')
  @HttpCode(200)
  @Roles('dispatcher')
  @ApiOperation({
    summary: '批量派单 Dispatch several unrouted orders to one unit; a result per order (not all-or-nothing)',
  })
  @ApiOkResponse({ type: BulkDispatchReply })
  bulkDispatch(@CurrentUser() user: Principal, @Body() dto: BulkDispatchDto): Promise<BulkDispatchReply> {
    return this.steps.bulkDispatch(user, dto);
  }

  @Post(':ticketId/leader-dispatch')
  @HttpCode(200)
  @Roles('unit_head')
  @ApiOperation({ summary: '双交办签批 The district leader signs off and dispatches a repeat or concentrated order' })
  @ApiOkResponse({ type: OrderView })
  leaderDispatch(
    @CurrentUser() user: Principal,
    @Param('ticketId', ParseUUIDPipe) id: string,
    @Body() dto: LeaderDispatchDto,
  ): Promise<WorkOrder> {
    return this.steps.leaderDispatch(user, id, dto);
  }

  @Post(':ticketId/leader-signoff')
  @HttpCode(200)
  @Roles('unit_head')
  @ApiOperation({
    summary:
      '双交办签批 The district leader signs off an order a merge made repeat or concentrated while its unit had it; its reply may then go out',
  })
  @ApiOkResponse({ type: OrderView })
  leaderSignoff(
    @CurrentUser() user: Principal,
    @Param('ticketId', ParseUUIDPipe) id: string,
    @Body() dto: LeaderSignoffDto,
  ): Promise<WorkOrder> {
    return this.steps.leaderSignoff(user, id, dto);
  }

  @Post(':ticketId/redispatch')
  @HttpCode(200)
  @Roles('dispatcher')
  @ApiOperation({ summary: '转办 Move an order in hand to another unit' })
  @ApiOkResponse({ type: OrderView })
  redispatch(@CurrentUser() user: Principal, @Param('ticketId', ParseUUIDPipe) id: string, @Body() dto: RedispatchDto): Promise<WorkOrder> {
    return this.steps.redispatch(user, id, dto);
  }

  @Post(':ticketId/return-decision')
  @HttpCode(200)
  @Roles('dispatcher')
  @ApiOperation({ summary: '退单审核 Accept a return (and re-dispatch) or refuse it' })
  @ApiOkResponse({ type: OrderView })
  decideReturn(
    @CurrentUser() user: Principal,
    @Param('ticketId', ParseUUIDPipe) id: string,
    @Body() dto: ReturnDecisionDto,
  ): Promise<WorkOrder> {
    return this.steps.decideReturn(user, id, dto);
  }

  @Post(':ticketId/review')
  @HttpCode(200)
  @Roles('dispatcher')
  @ApiOperation({ summary: '审核 Approve the reply or send it back for rework' })
  @ApiOkResponse({ type: OrderView })
  review(@CurrentUser() user: Principal, @Param('ticketId', ParseUUIDPipe) id: string, @Body() dto: ReviewDto): Promise<WorkOrder> {
    return this.steps.review(user, id, dto);
  }

  @Post(':ticketId/reopen')
  @HttpCode(200)
  @Roles('dispatcher')
  @ApiOperation({ summary: '重办 Reopen an order awaiting its callback or closed, to the same unit or another' })
  @ApiOkResponse({ type: OrderView })
  reopen(@CurrentUser() user: Principal, @Param('ticketId', ParseUUIDPipe) id: string, @Body() dto: ReopenDto): Promise<WorkOrder> {
    return this.steps.reopen(user, id, dto);
  }

  @Post(':ticketId/transfer-district')
  @HttpCode(200)
  @Roles('dispatcher')
  @ApiOperation({
    summary: '转区 Hand an unrouted (or returned) order to another district centre, or back to the city centre',
  })
  @ApiOkResponse({ type: OrderView })
  transferDistrict(
    @CurrentUser() user: Principal,
    @Param('ticketId', ParseUUIDPipe) id: string,
    @Body() dto: TransferDistrictDto,
  ): Promise<WorkOrder> {
    return this.transfers.transfer(user, id, dto);
  }
}
