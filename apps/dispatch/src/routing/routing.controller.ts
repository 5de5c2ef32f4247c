import { CurrentUser, Principal, Roles } from '@app/platform';
import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RouteRule } from './route-rule.entity';
import { CreateRouteRuleDto, ListRulesQuery } from './routing.dto';
import { RoutingService } from './routing.service';

@ApiTags('routing 派单规则')
@ApiBearerAuth()
@Controller('routing/rules')
export class RoutingController {
  constructor(private readonly routing: RoutingService) {}

  @Get()
  @Roles('dispatcher', 'supervisor', 'analyst')
  @ApiOperation({ summary: '派单规则 The routing rules of your districts' })
  list(@CurrentUser() user: Principal, @Query() q: ListRulesQuery): Promise<RouteRule[]> {
    return this.routing.list(user, q);
  }

  @Post()
  @Roles('dispatcher')
  @ApiOperation({ summary: '新增派单规则 Add a rule to your district’s rule set' })
  create(@CurrentUser() user: Principal, @Body() dto: CreateRouteRuleDto): Promise<RouteRule> {
    return this.routing.create(user, dto);
  }

  @Post(':id/deactivate')
  @HttpCode(200)
  @Roles('dispatcher')
  @ApiOperation({ summary: '停用派单规则 Retire a rule of your district' })
  deactivate(@CurrentUser() user: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<RouteRule> {
    return this.routing.deactivate(user, id);
  }
}
