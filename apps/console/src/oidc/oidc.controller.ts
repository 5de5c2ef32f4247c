import { Public, ApiOperation, ApiTags } from '@app/platform';
import { Controller, Get, Query, Req, Res } from '@nestjs/common';
import { Request, Response } from 'express';
import { SessionsService } from '../auth/sessions.service';
import { OidcRefusal, OidcService } from './oidc.service';

@ApiTags('auth 登录')
@Public()
@Controller('auth/oidc')
export class OidcController {
  constructor(
    private readonly oidc: OidcService,
    private readonly sessions: SessionsService,
  ) {}

  @Get('start')
  @ApiOperation({ summary: '统一身份认证 Go to the identity provider' })
  async start(@Query('returnTo') returnTo: string | undefined, @Res() res: Response): Promise<void> {
    try {
      res.redirect(302, await this.oidc.start(returnTo ?? '/'));
    } catch (e) {
      res.redirect(302, `/login?error=${e instanceof OidcRefusal ? e.code : 'sso_unavailable'}`);
    }
  }

  @Get('callback')
  @ApiOperation({ summary: '统一身份认证回调 Back from the identity provider' })
  async callback(@Req() req: Request, @Res() res: Response): Promise<void> {
    const q = req.originalUrl.indexOf('?');
    try {
      const { account, returnTo } = await this.oidc.callback(q >= 0 ? req.originalUrl.slice(q) : '');
      await this.sessions.startInBrowser(account, 'oidc', req, res);
      res.redirect(302, returnTo);
    } catch (e) {
      if (!(e instanceof OidcRefusal)) throw e;
      res.redirect(302, `/login?error=${e.code}`);
    }
  }
}
