import { CityWide, CurrentUser, Principal, Roles, ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@app/platform';
import { Body, Controller, Get, Param, Put, Query } from '@nestjs/common';
import {
  ExpiryPolicyChangeView,
  ExpiryPolicyChangesQuery,
  ExpiryPolicyParams,
  ExpiryPolicyView,
  SetExpiryPolicyDto,
} from './expiry-policy.dto';
import { ExpiryPolicyService } from './expiry-policy.service';

/** 到期回访 policy per district: administrators read it; only a city-scope administrator changes it. */
@ApiTags('callback 回访')
@ApiBearerAuth()
@Controller('admin/expiry-policies')
export class ExpiryPolicyController {
  constructor(private readonly policies: ExpiryPolicyService) {}

  @Get()
  @Roles('admin', 'supervisor')
  @ApiOperation({ summary: '到期回访策略 The districts that call the citizen back when the time limit expires' })
  @ApiOkResponse({ type: [ExpiryPolicyView] })
  list(): Promise<ExpiryPolicyView[]> {
    return this.policies.list();
  }

  @Get('changes')
  @Roles('admin')
  @ApiOperation({ summary: '变更记录 Who changed the expiry policy, when and why (newest first, at most 200)' })
  @ApiOkResponse({ type: [ExpiryPolicyChangeView] })
  changes(@Query() q: ExpiryPolicyChangesQuery): Promise<ExpiryPolicyChangeView[]> {
    return this.policies.changes(q.district);
  }

  @Put(':district')
  @Roles('admin')
  @CityWide()
  @ApiOperation({ summary: '设置到期回访 Turn a district’s expiry callback on or off (city-scope administrators; logged)' })
  @ApiOkResponse({ type: ExpiryPolicyView })
  set(@CurrentUser() user: Principal, @Param() p: ExpiryPolicyParams, @Body() dto: SetExpiryPolicyDto): Promise<ExpiryPolicyView> {
    return this.policies.set(user, p.district, dto.enabled, dto.note);
  }
}
