import { CITY_PLACES, Channel } from '@app/contracts';
import { Public, ApiBody, ApiConsumes, ApiHeader, ApiOperation, ApiTags } from '@app/platform';
import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import { Request, Response } from 'express';
import { AttachmentTooLargeException, AttachmentsService } from '../attachments/attachments.service';
import { idempotencyOf } from '../tickets/idempotency';
import { SubmissionService } from '../tickets/submission.service';
import { PROGRESS_LABELS } from '../tickets/ticket.view';
import { CitizenStatusView } from '@app/contracts';
import { PublicSuggestionView, TicketsService } from '../tickets/tickets.service';
import { PublicSupplementReceipt, SupplementsService } from '../supplements/supplements.service';
import {
  OrderNoParam,
  PublicAttachmentQuery,
  PublicRequestDto,
  PublicSuggestDto,
  PublicSupplementDto,
  StatusLookupDto,
} from './public.dto';

export interface PublicReceipt {
  orderNo: string;
  /** Keep it: with the order number it shows the progress and the reply. */
  token: string;
  status: string;
  statusLabel: string;
}

export interface PublicPlace {
  code: string;
  name: string;
  streets: { code: string; name: string }[];
}

/** The city's districts and streets as the public pages name them (the place list). */
const PLACES: PublicPlace[] = CITY_PLACES.map((d) => ({
  code: d.code,
  name: d.nameZh,
  streets: d.streets.map((s) => ({ code: s.code, name: s.nameZh })),
}));

/** The citizen's own door: submit without logging in, look up progress. Never any personal data out. */
@ApiTags('public 市民')
@Controller('public')
@Public()
export class PublicController {
  constructor(
    private readonly submissions: SubmissionService,
    private readonly tickets: TicketsService,
    private readonly attachments: AttachmentsService,
    private readonly supplements: SupplementsService,
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

  @Post('suggest')
  @HttpCode(200)
  @ApiOperation({ summary: '智能分类建议 The categories (top three) and request type suggested for the text typed so far' })
  suggest(@Body() dto: PublicSuggestDto): Promise<PublicSuggestionView> {
    return this.tickets.publicSuggestion(dto.text);
  }

  @Get('places')
  @ApiOperation({ summary: '区县与街道 The districts and streets, for the public pages (the problem wall by place)' })
  places(): PublicPlace[] {
    return PLACES;
  }

  @Post('requests/:orderNo/attachments')
  @ApiOperation({
    summary:
      '上传现场照片 The citizen adds a photo (the raw bytes, its type as Content-Type) with the order number and token, soon after submitting',
  })
  @ApiConsumes('image/jpeg', 'image/png', 'image/webp')
  @ApiBody({ schema: { type: 'string', format: 'binary' } })
  async attach(
    @Param() p: OrderNoParam,
    @Query() q: PublicAttachmentQuery,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<{ fileName: string; size: number }> {
    const length = req.headers['content-length'];
    try {
      return await this.attachments.uploadPublic(p.orderNo, q.token, {
        fileName: q.fileName,
        contentType: req.headers['content-type'],
        declaredLength: length !== undefined && /^\d+$/.test(length) ? Number(length) : undefined,
        body: req,
      });
    } catch (e) {
      if (e instanceof AttachmentTooLargeException) res.setHeader('Connection', 'close');
      throw e;
    }
  }

  @Post('requests/:orderNo/supplements')
  @ApiOperation({
    summary:
      '补充诉求 The citizen adds to their order while it is being handled, with the order number and status token (publishes ticket.supplemented.v1; 409 with a code once it is closed, merged, answered or refused, or past PUBLIC_SUPPLEMENT_MAX_PER_DAY)',
  })
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description: 'A retry with the same key (and body) adds nothing and answers the same',
  })
  async supplement(
    @Param() p: OrderNoParam,
    @Body() dto: PublicSupplementDto,
    @Headers('idempotency-key') key: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<PublicSupplementReceipt> {
    const r = await this.supplements.addPublic(p.orderNo, dto.token, dto.text, idempotencyOf(key, { orderNo: p.orderNo, ...dto }));
    if (r.replayed) res.setHeader('Idempotent-Replayed', 'true');
    return r.receipt;
  }
}
