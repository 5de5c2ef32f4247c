import {
  CityWide,
  CurrentUser,
  Principal,
  Roles,
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@app/platform';
import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { PoliciesService } from './policies.service';
import { CreatePolicyDto, ListPoliciesQuery } from './policy.dto';
import { SlaPolicy } from './sla-policy.entity';
import { SlaPolicyView } from './policy.view';

@ApiTags('policies 时限规则')
@ApiBearerAuth()
@CityWide()
@Controller('policies')
export class PoliciesController {
  constructor(private readonly policies: PoliciesService) {}

  @Get()
  @Roles('supervisor', 'dispatcher', 'analyst')
  @ApiOperation({ summary: '时限规则 Policies: city-wide and your districts’ overrides' })
  @ApiOkResponse({ type: [SlaPolicyView] })
  list(@CurrentUser() user: Principal, @Query() q: ListPoliciesQuery): Promise<SlaPolicy[]> {
    return this.policies.list(user, q.active !== 'false');
  }

  @Post()
  @Roles('admin')
  @ApiOperation({ summary: '新增/修订时限规则 Add a policy, or a new version of one (supersedesId)' })
  @ApiCreatedResponse({ type: SlaPolicyView })
  create(@CurrentUser() user: Principal, @Body() dto: CreatePolicyDto): Promise<SlaPolicy> {
    return this.policies.create(user, dto);
  }

  @Post(':id/retire')
  @HttpCode(200)
  @Roles('admin')
  @ApiOperation({ summary: '停用时限规则 Retire a policy (running clocks keep it)' })
  @ApiOkResponse({ type: SlaPolicyView })
  retire(@CurrentUser() user: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<SlaPolicy> {
    return this.policies.retire(user, id);
  }
}
