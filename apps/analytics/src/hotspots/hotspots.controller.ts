import { CurrentUser, Principal, Roles, ApiBearerAuth, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@app/platform';
import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { DetectHotspotsDto, HotspotIdParam, HotspotListQuery, HotspotView, MapConfigView } from './hotspots.dto';
import { HotspotsService } from './hotspots.service';

@ApiTags('hotspots 热点与未诉先办')
@ApiBearerAuth()
@Controller('hotspots')
export class HotspotsController {
  constructor(private readonly hotspots: HotspotsService) {}

  @Post('detect')
  @HttpCode(200)
  @Roles('analyst', 'supervisor')
  @ApiOperation({ summary: '热点发现 Cluster orders by category and grid cell in a window; stores the candidates' })
  @ApiOkResponse({ type: [HotspotView] })
  detect(@CurrentUser() user: Principal, @Body() q: DetectHotspotsDto): Promise<HotspotView[]> {
    return this.hotspots.detect(user, q);
  }

  @Get()
  @Roles('analyst', 'supervisor', 'dispatcher')
  @ApiOperation({ summary: 'Hotspots detected, proposed or dismissed' })
  @ApiOkResponse({ type: [HotspotView] })
  list(@CurrentUser() user: Principal, @Query() q: HotspotListQuery): Promise<HotspotView[]> {
    return this.hotspots.list(user, q);
  }

  @Get('map')
  @Roles('analyst', 'supervisor', 'dispatcher')
  @ApiOperation({ summary: '热点地图底图 The base map the city configured (MAP_TILE_URL), or none: plot on plain axes' })
  @ApiOkResponse({ type: MapConfigView })
  map(): MapConfigView {
    return this.hotspots.mapConfig();
  }

  @Post(':id/confirm')
  @ApiParam({ name: 'id', format: 'uuid' })
  @HttpCode(200)
  @Roles('supervisor')
  @ApiOperation({ summary: '确认 Confirm: publish hotspot.proposed.v1 so intake opens a proactive order (未诉先办)' })
  @ApiOkResponse({ type: HotspotView })
  confirm(@CurrentUser() user: Principal, @Param() p: HotspotIdParam): Promise<HotspotView> {
    return this.hotspots.confirm(user, p.id);
  }

  @Post(':id/dismiss')
  @ApiParam({ name: 'id', format: 'uuid' })
  @HttpCode(200)
  @Roles('supervisor')
  @ApiOperation({ summary: 'Dismiss a hotspot candidate' })
  @ApiOkResponse({ type: HotspotView })
  dismiss(@CurrentUser() user: Principal, @Param() p: HotspotIdParam): Promise<HotspotView> {
    return this.hotspots.dismiss(user, p.id);
  }
}
