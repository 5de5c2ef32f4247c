import { CurrentUser, Principal, ROLES, Roles, ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@app/platform';
import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Put, Query } from '@nestjs/common';
import { InboxPage, InboxQuery, NotificationView, PreferencesDto, PreferencesView, ReadAll, UnreadCount } from './inbox.dto';
import { InboxService } from './inbox.service';

/** 站内消息: every person's own inbox (the console's bell) and notification choices. */
@ApiTags('notify 通知')
@ApiBearerAuth()
@Controller()
export class InboxController {
  constructor(private readonly inbox: InboxService) {}

  @Get('inbox')
  @Roles(...ROLES)
  @ApiOperation({ summary: '我的消息 My notifications, newest first' })
  @ApiOkResponse({ type: InboxPage })
  list(@CurrentUser() user: Principal, @Query() q: InboxQuery): Promise<InboxPage> {
    return this.inbox.inbox(user, q);
  }

  @Get('inbox/unread-count')
  @Roles(...ROLES)
  @ApiOperation({ summary: '未读数 How many are unread (the bell)' })
  @ApiOkResponse({ type: UnreadCount })
  async unread(@CurrentUser() user: Principal): Promise<UnreadCount> {
    return { unread: await this.inbox.unread(user) };
  }

  @Post('inbox/read-all')
  @HttpCode(200)
  @Roles(...ROLES)
  @ApiOperation({ summary: '全部已读 Mark all read' })
  @ApiOkResponse({ type: ReadAll })
  readAll(@CurrentUser() user: Principal): Promise<ReadAll> {
    return this.inbox.readAll(user);
  }

  @Post('inbox/:id/read')
  @HttpCode(200)
  @Roles(...ROLES)
  @ApiOperation({ summary: '已读 Mark one read' })
  @ApiOkResponse({ type: NotificationView })
  read(@CurrentUser() user: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<NotificationView> {
    return this.inbox.read(user, id);
  }

  @Get('preferences/me')
  @Roles(...ROLES)
  @ApiOperation({ summary: '通知设置 My quiet hours, digest and channels' })
  @ApiOkResponse({ type: PreferencesView })
  preferences(@CurrentUser() user: Principal): Promise<PreferencesView> {
    return this.inbox.preferences(user);
  }

  @Put('preferences/me')
  @Roles(...ROLES)
  @ApiOperation({ summary: '修改通知设置 Change my quiet hours, digest and channels' })
  @ApiOkResponse({ type: PreferencesView })
  setPreferences(@CurrentUser() user: Principal, @Body() dto: PreferencesDto): Promise<PreferencesView> {
    return this.inbox.setPreferences(user, dto);
  }
}
