import { CurrentUser, Principal, Roles, ApiBearerAuth, ApiOperation, ApiTags } from '@app/platform';
import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { DecideExtensionDto, ListExtensionsQuery } from './extension.dto';
import { SlaExtension } from './extension.entity';
import { ExtensionsService } from './extensions.service';

@ApiTags('extensions 延期')
@ApiBearerAuth()
@Controller('extensions')
export class ExtensionsController {
  constructor(private readonly extensions: ExtensionsService) {}

  @Get()
  @Roles('supervisor', 'dispatcher', 'analyst')
  @ApiOperation({ summary: '延期申请 Extension requests in your districts (pending first by age)' })
  list(@CurrentUser() user: Principal, @Query() q: ListExtensionsQuery): Promise<SlaExtension[]> {
    return this.extensions.list(user, q);
  }

  @Get(':id')
  @Roles('supervisor', 'dispatcher', 'analyst')
  @ApiOperation({ summary: '延期申请详情 One extension request' })
  get(@CurrentUser() user: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<SlaExtension> {
    return this.extensions.get(user, id);
  }

  @Post(':id/decision')
  @HttpCode(200)
  @Roles('supervisor')
  @ApiOperation({ summary: '延期审批 Approve (moves the deadline) or refuse an extension request' })
  decide(@CurrentUser() user: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() dto: DecideExtensionDto): Promise<SlaExtension> {
    return this.extensions.decideByHand(user, id, dto);
  }
}
