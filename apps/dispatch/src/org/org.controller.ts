import { CurrentUser, districtScope, Principal, Roles } from '@app/platform';
import { Controller, Get, Inject, Query } from '@nestjs/common';
import { DISPATCH_CONFIG, DispatchConfig } from '../dispatch.config';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { OrgUnit } from './org-unit.entity';
import { OrgRepository } from './org.repository';

@ApiTags('organisation 组织')
@ApiBearerAuth()
@Controller('org')
export class OrgController {
  constructor(
    private readonly org: OrgRepository,
    @Inject(DISPATCH_CONFIG) private readonly config: DispatchConfig,
  ) {}

  @Get('units')
  @Roles('operator', 'dispatcher', 'handler', 'unit_head', 'supervisor', 'analyst')
  @ApiOperation({ summary: '承办单位 Units of the organisation' })
  units(@CurrentUser() user: Principal, @Query('districtCode') districtCode?: string): Promise<OrgUnit[]> {
    const scope = districtScope(user);
    // City-level units (utilities, the city centre) are visible to every district.
    return this.org.list(scope ? [...scope, this.config.CITY_CODE] : null, districtCode);
  }
}
