import { CurrentUser, Principal, ApiOperation, ApiProduces, ApiTags } from '@app/platform';
import { Controller, Get, Req, Res } from '@nestjs/common';
import { Request, Response } from 'express';
import { visibleTo } from './live-filter';
import { LiveService } from './live.service';

export const HEARTBEAT_MS = 15_000;

@ApiTags('live 实时')
@Controller()
export class LiveController {
  constructor(private readonly live: LiveService) {}

  @Get('events')
  @ApiOperation({ summary: '实时事件 Server-Sent Events from the bus, filtered to what the person may see; heartbeat every 15 s' })
  @ApiProduces('text/event-stream')
  events(@CurrentUser() user: Principal, @Req() req: Request, @Res() res: Response): void {
    res.status(200);
    res.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
    res.setHeader('Cache-Control', 'no-cache, no-transform');
    res.setHeader('Connection', 'keep-alive');
    // Proxies (nginx) must not buffer the stream.
    res.setHeader('X-Accel-Buffering', 'no');
    res.flushHeaders();
    res.write(`retry: 3000\n: connected\n\n`);
    const stop = this.live.listen((event) => {
      if (visibleTo(user, event)) res.write(`event: message\ndata: ${JSON.stringify(event)}\n\n`);
    });
    const heartbeat = setInterval(() => res.write(`: heartbeat ${new Date().toISOString()}\n\n`), HEARTBEAT_MS);
    const close = () => {
      clearInterval(heartbeat);
      stop();
    };
    req.on('close', close);
    res.on('error', close);
  }
}
