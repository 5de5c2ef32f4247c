import { Channel } from '@app/contracts';
import { Public } from '@app/platform';
import { Body, Controller, Headers, HttpCode, Post, Res } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Response } from 'express';
import { idempotencyOf } from '../tickets/idempotency';
import { SubmissionService } from '../tickets/submission.service';
import { PROGRESS_LABELS } from '../tickets/ticket.view';
import { CitizenStatusView, TicketsService } from '../tickets/tickets.service';
import { PublicRequestDto, StatusLookupDto } from './public.dto';

export interface PublicReceipt {
  orderNo: string;
  /** Keep it: with the order number it shows the progress and the reply. */
  token: string;
  status: string;
  statusLabel: string;
}

/** The citizen's own door: submit without logging in, look up progress. Never any personal data out. */
@ApiTags('public 市民')
@Controller('public')
@Public()
export class PublicController {
  constructor(
    private readonly submissions: SubmissionService,
    private readonly tickets: TicketsService,
  ) {}

  @Post('requests')
  @ApiOperation({ summary: '网上提交诉求 Submit a request (web/app form)' })
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  async submit(
    @Body() dto: PublicRequestDto,
    @Headers('idempotency-key') key: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<PublicReceipt> {
    const r = await this.submissions.submit(
      { id: 'public', districts: null, staff: false },
      { ...dto, channel: Channel.Web },
      idempotencyOf(key, dto),
    );
    if (r.replayed) res.setHeader('Idempotent-Replayed', 'true');
    return { orderNo: r.ticket.orderNo, token: r.statusToken, status: r.ticket.progress, statusLabel: PROGRESS_LABELS[r.ticket.progress] };
  }

  @Post('status')
  @HttpCode(200)
  @ApiOperation({ summary: '办理进度查询 Look up an order by its number and token' })
  status(@Body() dto: StatusLookupDto): Promise<CitizenStatusView> {
    return this.tickets.citizenStatus(dto.orderNo, dto.token);
  }
}
