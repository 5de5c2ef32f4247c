import { CurrentUser, Principal, Roles, ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@app/platform';
import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { RouteRule } from './route-rule.entity';
import { CreateRouteRuleDto, ListRulesQuery, RouteRuleView, RouteTestView, TestRouteDto } from './routing.dto';
import { RoutingService } from './routing.service';

@ApiTags('routing 派单规则')
@ApiBearerAuth()
@Controller('routing/rules')
export class RoutingController {
  constructor(private readonly routing: RoutingService) {}

  @Get()
  @Roles('dispatcher', 'supervisor', 'analyst')
  @ApiOperation({ summary: '派单规则 The routing rules of your districts' })
  @ApiOkResponse({ type: [RouteRuleView] })
  list(@CurrentUser() user: Principal, @Query() q: ListRulesQuery): Promise<RouteRule[]> {
    return this.routing.list(user, q);
  }

  @Post()
  @Roles('dispatcher')
  @ApiOperation({ summary: '新增派单规则 Add a rule to your district’s rule set' })
  @ApiOkResponse({ type: RouteRuleView })
  create(@CurrentUser() user: Principal, @Body() dto: CreateRouteRuleDto): Promise<RouteRule> {
    return this.routing.create(user, dto);
  }

  // Before ':id/...': "test" is not a rule id.
  @Post('test')
  @HttpCode(200)
  @Roles('dispatcher', 'supervisor')
  @ApiOperation({ summary: '派单规则测试 Which unit an order like this would go to now, and by which rule (nothing is changed)' })
  @ApiOkResponse({ type: RouteTestView })
  test(@CurrentUser() user: Principal, @Body() dto: TestRouteDto): Promise<RouteTestView> {
    return this.routing.test(user, dto);
  }

  @Post(':id/revise')
  @Roles('dispatcher')
  @ApiOperation({ summary: '修改派单规则 Edit a rule: it is retired and its revision (the answer) takes its place' })
  @ApiOkResponse({ type: RouteRuleView })
  revise(@CurrentUser() user: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() dto: CreateRouteRuleDto): Promise<RouteRule> {
    return this.routing.revise(user, id, dto);
  }

  @Post(':id/deactivate')
  @HttpCode(200)
  @Roles('dispatcher')
  @ApiOperation({ summary: '停用派单规则 Retire a rule of your district' })
  @ApiOkResponse({ type: RouteRuleView })
  deactivate(@CurrentUser() user: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<RouteRule> {
    return this.routing.deactivate(user, id);
  }
}
