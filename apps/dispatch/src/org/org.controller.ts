import { CurrentUser, Principal, Roles, ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@app/platform';
import { Body, Controller, Get, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { OrgUnitView } from '../workflow/order.view';
import { OrgUnit } from './org-unit.entity';
import { CreateUnitDto, ListUnitsQuery, UpdateUnitDto } from './org.dto';
import { OrgService } from './org.service';

@ApiTags('organisation 组织')
@ApiBearerAuth()
@Controller('org')
export class OrgController {
  constructor(private readonly org: OrgService) {}

  @Get('units')
  @Roles('operator', 'dispatcher', 'handler', 'unit_head', 'supervisor', 'analyst')
  @ApiOperation({ summary: '承办单位 Units of the organisation (your districts and the city)' })
  @ApiOkResponse({ type: [OrgUnitView] })
  units(@CurrentUser() user: Principal, @Query() q: ListUnitsQuery): Promise<OrgUnit[]> {
    return this.org.list(user, q);
  }

  @Get('units/:id')
  @Roles('operator', 'dispatcher', 'handler', 'unit_head', 'supervisor', 'analyst')
  @ApiOperation({ summary: '单位详情 One unit' })
  @ApiOkResponse({ type: OrgUnitView })
  unit(@CurrentUser() user: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<OrgUnit> {
    return this.org.get(user, id);
  }

  @Post('units')
  @Roles('admin')
  @ApiOperation({ summary: '新增单位 Add a unit (admin of the district)' })
  create(@CurrentUser() user: Principal, @Body() dto: CreateUnitDto): Promise<OrgUnit> {
    return this.org.create(user, dto);
  }

  @Patch('units/:id')
  @Roles('admin')
  @ApiOperation({ summary: '修改单位 Rename, (de)activate, or set 一把手签批 / 双交办签批 (admin of the district)' })
  update(@CurrentUser() user: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() dto: UpdateUnitDto): Promise<OrgUnit> {
    return this.org.update(user, id, dto);
  }
}
