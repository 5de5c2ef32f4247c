import { ForbiddenException, HttpException, HttpStatus, UnauthorizedException } from '@nestjs/common';

/** Wrong password, unknown login name and locked account all get exactly this. */
export const INVALID_CREDENTIALS = '用户名或密码错误，或账号暂时锁定 (wrong login name or password, or the account is locked for a while)';

export const invalidCredentials = () => new UnauthorizedException({ code: 'invalid_credentials', message: INVALID_CREDENTIALS });
export const totpRequired = () =>
  new UnauthorizedException({ code: 'totp_required', message: '请输入动态口令 (enter the code from your authenticator app)' });
export const noSession = () => new UnauthorizedException({ code: 'no_session', message: '请先登录 (log in first)' });
export const csrfRefused = () =>
  new ForbiddenException({ code: 'csrf', message: 'CSRF 校验失败，请刷新页面 (missing or wrong x-csrf-token)' });
export const forbidden = (message: string, code = 'forbidden') => new ForbiddenException({ code, message });
export const unprocessable = (code: string, message: string) => new HttpException({ code, message }, HttpStatus.UNPROCESSABLE_ENTITY);
