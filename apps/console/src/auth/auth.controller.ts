import { PiiCipher, Public, ApiOperation, ApiTags } from '@app/platform';
import { Body, ConflictException, Controller, Get, HttpCode, Inject, Post, Req, Res } from '@nestjs/common';
import { Request, Response } from 'express';
import { createHash } from 'node:crypto';
import { sessionUser, SessionUser } from '../accounts/account.view';
import { ChangePasswordDto, LoginDto, TotpCodeDto } from '../accounts/accounts.dto';
import { AccountsRepository } from '../accounts/accounts.repository';
import { AccountsService } from '../accounts/accounts.service';
import { StaffAccount } from '../accounts/staff-account.entity';
import { ConsoleConfig } from '../console.config';
import { CONSOLE_CONFIG } from '../console.tokens';
import { totpRequired } from './console-errors';
import { CurrentSession } from './current-session.decorator';
import { LoginService } from './login.service';
import { AllowIncomplete } from './session.guard';
import { ActiveSession, SESSION_COOKIE, SessionsService } from './sessions.service';
import { newTotpSecret, totpFor, totpStep } from './totp';

export interface SessionAnswer {
  user: SessionUser;
  csrfToken: string;
}

const tokenHash = (req: Request) =>
  createHash('sha256')
    .update(String((req.cookies as Record<string, string>)[SESSION_COOKIE]))
    .digest('hex');

@ApiTags('auth 登录')
@Controller('auth')
export class AuthController {
  constructor(
    private readonly login: LoginService,
    private readonly sessions: SessionsService,
    private readonly accounts: AccountsService,
    private readonly accountsRepo: AccountsRepository,
    private readonly pii: PiiCipher,
    @Inject(CONSOLE_CONFIG) private readonly config: ConsoleConfig,
  ) {}

  @Public()
  @Get('config')
  @ApiOperation({ summary: '登录页设置 What the login page offers' })
  loginConfig(): { oidcEnabled: boolean; oidcLabel: string | null } {
    const on = !!this.config.OIDC_ISSUER_URL;
    return { oidcEnabled: on, oidcLabel: on ? this.config.OIDC_LABEL : null };
  }

  @Get('session')
  @AllowIncomplete()
  @ApiOperation({ summary: '当前会话 The person logged in, and the CSRF token' })
  session(@CurrentSession() s: ActiveSession): SessionAnswer {
    return { user: sessionUser(s.account), csrfToken: s.session.csrfToken };
  }

  @Public()
  @Post('login')
  @HttpCode(200)
  @ApiOperation({ summary: '密码登录 Log in with login name and password (and TOTP if enabled)' })
  async passwordLogin(@Body() dto: LoginDto, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<SessionAnswer> {
    const { account, method } = await this.login.login(dto.loginName, dto.password, dto.totp);
    return this.startSession(account, method, req, res);
  }

  private async startSession(account: StaffAccount, method: string, req: Request, res: Response): Promise<SessionAnswer> {
    const session = await this.sessions.startInBrowser(account, method, req, res);
    return { user: sessionUser(account), csrfToken: session.csrfToken };
  }

  @Post('logout')
  @HttpCode(204)
  @AllowIncomplete()
  @ApiOperation({ summary: '退出登录 Log out (this browser)' })
  async logout(@Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<void> {
    await this.sessions.end((req.cookies as Record<string, string>)[SESSION_COOKIE]);
    res.clearCookie(SESSION_COOKIE, { path: '/' });
  }

  @Post('logout-all')
  @HttpCode(204)
  @AllowIncomplete()
  @ApiOperation({ summary: '退出所有设备 Log out everywhere' })
  async logoutAll(@CurrentSession() s: ActiveSession, @Res({ passthrough: true }) res: Response): Promise<void> {
    await this.sessions.endAll(s.account.id);
    res.clearCookie(SESSION_COOKIE, { path: '/' });
  }

  @Post('password')
  @HttpCode(204)
  @AllowIncomplete()
  @ApiOperation({ summary: '修改密码 Change your password (other sessions end)' })
  async changePassword(@CurrentSession() s: ActiveSession, @Body() dto: ChangePasswordDto, @Req() req: Request): Promise<void> {
    await this.accounts.changeOwnPassword(s.account, dto.currentPassword, dto.newPassword, tokenHash(req));
  }

  @Post('totp/setup')
  @HttpCode(200)
  @AllowIncomplete()
  @ApiOperation({ summary: '动态口令设置 Start TOTP set-up: a new secret to scan' })
  async totpSetup(@CurrentSession() s: ActiveSession): Promise<{ otpauthUrl: string; secret: string }> {
    if (s.account.totpEnabled) throw new ConflictException({ code: 'totp_enabled', message: '动态口令已启用 (TOTP is already on)' });
    const secret = newTotpSecret();
    await this.accountsRepo.setTotp(s.account.id, { totpSecretEnc: this.pii.encrypt(secret), totpEnabled: false, totpLastStep: null });
    return { otpauthUrl: totpFor(secret, this.config.TOTP_ISSUER, s.account.loginName).toString(), secret };
  }

  @Post('totp/enable')
  @HttpCode(200)
  @AllowIncomplete()
  @ApiOperation({ summary: '启用动态口令 Turn TOTP on with a first code' })
  async totpEnable(@CurrentSession() s: ActiveSession, @Body() dto: TotpCodeDto): Promise<SessionAnswer> {
    const a = s.account;
    if (a.totpEnabled) throw new ConflictException({ code: 'totp_enabled', message: '动态口令已启用 (TOTP is already on)' });
    if (!a.totpSecretEnc) throw new ConflictException({ code: 'totp_not_set_up', message: '请先获取密钥 (call /auth/totp/setup first)' });
    const step = totpStep(this.pii.decrypt(a.totpSecretEnc), dto.code, new Date());
    if (step === null) throw totpRequired();
    await this.accountsRepo.setTotp(a.id, { totpEnabled: true, totpLastStep: String(step) });
    await this.accounts.recordSelf(a, 'account.totp-enable', { totpEnabled: false }, { totpEnabled: true });
    a.totpEnabled = true;
    return { user: sessionUser(a), csrfToken: s.session.csrfToken };
  }
}
