import { Public, ApiOperation, ApiTags } from '@app/platform';
import { Controller, Get, Query } from '@nestjs/common';
import { WallPage, WallQuery } from './wall.dto';
import { WallService } from './wall.service';

@ApiTags('wall 问题墙回音壁')
@Controller('wall')
export class WallController {
  constructor(private readonly wall: WallService) {}

  @Get()
  @Public()
  @ApiOperation({ summary: '问题墙回音壁 Public: orders by community with category, status, unit, deadline and reply; no personal data' })
  list(@Query() q: WallQuery): Promise<WallPage> {
    return this.wall.list(q);
  }
}
