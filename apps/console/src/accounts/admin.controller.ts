import { CurrentUser, Principal, Roles, ApiConsumes, ApiOperation, ApiTags } from '@app/platform';
import { BadRequestException, Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query, Req } from '@nestjs/common';
import { Request } from 'express';
import { AuditEntry } from '../audit/audit-entry.entity';
import { AuditRepository } from '../audit/audit.repository';
import { AccountView } from './account.view';
import { AuditQuery, CreateAccountDto, ImportQuery, ListAccountsQuery, ResetPasswordDto, UpdateAccountDto } from './accounts.dto';
import { AccountsService } from './accounts.service';
import { ImportReport, ImportService } from './import.service';

@ApiTags('admin 人员管理')
@Roles('admin')
@Controller('admin')
export class AdminController {
  constructor(
    private readonly accounts: AccountsService,
    private readonly imports: ImportService,
    private readonly audit: AuditRepository,
  ) {}

  @Get('accounts')
  @ApiOperation({ summary: '人员列表 Accounts in your districts' })
  list(@CurrentUser() actor: Principal, @Query() q: ListAccountsQuery): Promise<{ items: AccountView[]; total: number }> {
    return this.accounts.list(actor, q);
  }

  @Post('accounts')
  @ApiOperation({ summary: '新增人员 Create an account' })
  create(@CurrentUser() actor: Principal, @Body() dto: CreateAccountDto): Promise<AccountView> {
    return this.accounts.create(actor, dto);
  }

  @Get('accounts/:id')
  get(@CurrentUser() actor: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<AccountView> {
    return this.accounts.get(actor, id);
  }

  @Patch('accounts/:id')
  @ApiOperation({ summary: '修改人员 Change an account' })
  update(@CurrentUser() actor: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() dto: UpdateAccountDto): Promise<AccountView> {
    return this.accounts.update(actor, id, dto);
  }

  @Post('accounts/:id/disable')
  @HttpCode(200)
  @ApiOperation({ summary: '停用 Disable (the person is logged out at once)' })
  disable(@CurrentUser() actor: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<AccountView> {
    return this.accounts.setState(actor, id, 'disabled');
  }

  @Post('accounts/:id/enable')
  @HttpCode(200)
  @ApiOperation({ summary: '启用 Enable' })
  enable(@CurrentUser() actor: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<AccountView> {
    return this.accounts.setState(actor, id, 'active');
  }

  @Post('accounts/:id/reset-password')
  @HttpCode(200)
  @ApiOperation({ summary: '重置密码 Set a new password the person must change at next login' })
  reset(@CurrentUser() actor: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() dto: ResetPasswordDto): Promise<AccountView> {
    return this.accounts.resetPassword(actor, id, dto.password);
  }

  @Post('accounts/import')
  @HttpCode(200)
  @ApiConsumes('text/csv', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
  @ApiOperation({
    summary: '批量导入 Import a spreadsheet (xlsx or CSV as the request body): dryRun=true reports; confirm=true imports the good rows',
  })
  async import(@CurrentUser() actor: Principal, @Query() q: ImportQuery, @Req() req: Request): Promise<ImportReport> {
    if (!Buffer.isBuffer(req.body) || req.body.length === 0) {
      throw new BadRequestException({
        message: 'body: send the xlsx or CSV file as the request body',
        errors: [{ field: 'body', reason: 'empty' }],
      });
    }
    return this.imports.run(actor, req.body, String(req.headers['content-type'] ?? ''), {
      dryRun: q.dryRun === 'true',
      confirm: q.confirm === 'true',
    });
  }

  @Get('audit')
  @ApiOperation({ summary: '操作日志 Who changed which account, when, before and after' })
  auditLog(@CurrentUser() actor: Principal, @Query() q: AuditQuery): Promise<AuditEntry[]> {
    return this.audit.list({ districts: actor.districts.includes('*') ? null : actor.districts, targetId: q.targetId, limit: q.limit });
  }
}
