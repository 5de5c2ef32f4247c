import { CityWide, CurrentUser, Principal, Roles, ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@app/platform';
import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiKeysView, ApiKeyView, IssueApiKeyDto, IssuedApiKeyView } from './open311-api-keys.dto';
import { Open311ApiKeysService } from './open311-api-keys.service';

@ApiTags('open311 keys 接口密钥')
@ApiBearerAuth()
@CityWide()
@Roles('admin')
@Controller('admin/open311-keys')
export class Open311ApiKeysController {
  constructor(private readonly keys: Open311ApiKeysService) {}

  @Get()
  @ApiOperation({ summary: 'Open311 接口密钥 Issued keys (never the keys themselves) and the bootstrap clients' })
  @ApiOkResponse({ type: ApiKeysView })
  list(): Promise<ApiKeysView> {
    return this.keys.list();
  }

  @Post()
  @ApiOperation({ summary: '签发密钥 Issue a key to a client: the answer carries it this once' })
  @ApiOkResponse({ type: IssuedApiKeyView })
  issue(@CurrentUser() user: Principal, @Body() dto: IssueApiKeyDto): Promise<IssuedApiKeyView> {
    return this.keys.issue(user, dto.clientName);
  }

  @Post(':id/revoke')
  @HttpCode(200)
  @ApiOperation({ summary: '吊销密钥 Revoke a key: its next request is refused' })
  @ApiOkResponse({ type: ApiKeyView })
  revoke(@CurrentUser() user: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<ApiKeyView> {
    return this.keys.revoke(user, id);
  }
}
