import { CityWide, CurrentUser, Principal, Roles, ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@app/platform';
import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { DeliveryService } from '../delivery/delivery.service';
import { CreateRobotDto, CreateRuleDto, DeliveriesQuery, DeliveryView, RobotView, RunView } from './admin.dto';
import { AdminService } from './admin.service';
import { NotifyRule } from './rule.entity';

/** 通知管理: rules (city-wide), group robots, and the delivery log with its dead ends. */
@ApiTags('notify 通知')
@ApiBearerAuth()
@Controller()
export class NotifyAdminController {
  constructor(
    private readonly admin: AdminService,
    private readonly delivery: DeliveryService,
  ) {}

  @Get('rules')
  @Roles('admin', 'supervisor')
  @ApiOperation({ summary: '通知规则 Who is told of what' })
  rules(): Promise<NotifyRule[]> {
    return this.admin.listRules();
  }

  @Post('rules')
  @Roles('admin')
  @CityWide()
  @ApiOperation({ summary: '新增规则 Add a rule' })
  createRule(@Body() dto: CreateRuleDto): Promise<NotifyRule> {
    return this.admin.createRule(dto);
  }

  @Post('rules/:id/deactivate')
  @HttpCode(200)
  @Roles('admin')
  @CityWide()
  @ApiOperation({ summary: '停用规则 Deactivate a rule' })
  deactivateRule(@Param('id', ParseUUIDPipe) id: string): Promise<NotifyRule> {
    return this.admin.deactivateRule(id);
  }

  @Get('robots')
  @Roles('admin')
  @ApiOperation({ summary: '群机器人 WeCom and DingTalk group robots (keys never shown)' })
  robots(@CurrentUser() user: Principal): Promise<RobotView[]> {
    return this.admin.robots(user);
  }

  @Post('robots')
  @Roles('admin')
  @CityWide()
  @ApiOperation({ summary: '新增群机器人 Add a group robot' })
  createRobot(@Body() dto: CreateRobotDto): Promise<RobotView> {
    return this.admin.createRobot(dto);
  }

  @Get('admin/deliveries')
  @Roles('admin')
  @ApiOperation({
    summary: '投递记录 The delivery log (default: the dead ends, failed and dead), with every attempt; newest first, paged by offset',
  })
  @ApiOkResponse({ type: [DeliveryView] })
  deliveries(@CurrentUser() user: Principal, @Query() q: DeliveriesQuery): Promise<DeliveryView[]> {
    return this.admin.deliveriesOf(user, q);
  }

  @Get('admin/deliveries/:id')
  @Roles('admin')
  @ApiOperation({ summary: '投递详情 One delivery with its attempts and the providers’ answers' })
  @ApiOkResponse({ type: DeliveryView })
  oneDelivery(@CurrentUser() user: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<DeliveryView> {
    return this.admin.delivery(user, id);
  }

  @Post('admin/deliveries/run')
  @HttpCode(200)
  @Roles('admin')
  @CityWide()
  @ApiOperation({ summary: '立即投递 Send what is due now (what the worker does every NOTIFY_TICK_MS)' })
  run(): Promise<RunView> {
    return this.delivery.run();
  }
}
