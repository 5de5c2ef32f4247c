import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { SessionRequest } from './session.guard';
import { ActiveSession } from './sessions.service';

/** The session the guard resolved (only on endpoints that need one). */
export const CurrentSession = createParamDecorator((_: unknown, ctx: ExecutionContext): ActiveSession => {
  const req = ctx.switchToHttp().getRequest<SessionRequest>();
  if (!req.consoleSession) throw new Error('CurrentSession used on a public endpoint');
  return req.consoleSession;
});
