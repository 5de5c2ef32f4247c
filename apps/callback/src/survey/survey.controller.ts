import { ErrorBody, HttpErrorFilter, Public, redactPublicText, ApiConsumes, ApiOperation, ApiTags } from '@app/platform';
import {
  ArgumentsHost,
  Body,
  Catch,
  Controller,
  ExceptionFilter,
  Get,
  Header,
  HttpCode,
  HttpException,
  Inject,
  Param,
  Post,
  Req,
  Res,
  UseFilters,
} from '@nestjs/common';
import { Request, Response } from 'express';
import { CALLBACK_CONFIG, CallbackConfig } from '../callback.config';
import { errorPage, surveyPage, thanksPage } from './survey-page';
import { SurveyAnswerDto, SurveyTokenParam } from './survey.dto';
import { SurveyService } from './survey.service';

/** What the console's citizen pages render: no name, no phone; the reply masked as the wall masks it. */
export interface SurveyPublicView {
  orderNo: string | null;
  acceptedAt: string | null;
  publicReply: string | null;
  kind: string;
  expiresAt: string;
}

const wantsHtml = (req: Request) => req.accepts(['json', 'html']) === 'html';

/** Browsers get the error as a zh-CN page with the same status; API clients get the usual JSON body. */
@Catch()
export class SurveyErrorFilter implements ExceptionFilter {
  private readonly json = new HttpErrorFilter();

  catch(exception: unknown, host: ArgumentsHost): void {
    const req = host.switchToHttp().getRequest<Request>();
    if (!(exception instanceof HttpException) || !wantsHtml(req)) return this.json.catch(exception, host);
    const status = exception.getStatus();
    const body = exception.getResponse() as Partial<ErrorBody> | string;
    const message = typeof body === 'string' ? body : typeof body.message === 'string' ? body.message : exception.message;
    host
      .switchToHttp()
      .getResponse<Response>()
      .status(status)
      .type('html')
      .send(errorPage(status, message, typeof body === 'string' ? undefined : body.errors));
  }
}

/** The citizen's side: public, no token but the link's; never the citizen's name or phone, nor the unit's internals. */
@ApiTags('survey 短信/网页回访')
@Controller('s')
@UseFilters(SurveyErrorFilter)
export class SurveyController {
  constructor(
    private readonly survey: SurveyService,
    @Inject(CALLBACK_CONFIG) private readonly config: CallbackConfig,
  ) {}

  @Get(':token')
  @Public()
  @Header('Cache-Control', 'no-store')
  @Header('Referrer-Policy', 'no-referrer')
  @ApiOperation({
    summary:
      "回访评价页 The survey behind a link: a zh-CN page for a browser, its view as JSON for the console's citizen pages (404 invalid, 409 used, 410 expired)",
  })
  async page(
    @Param() p: SurveyTokenParam,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<string | SurveyPublicView> {
    const v = await this.survey.open(p.token);
    if (!wantsHtml(req)) {
      return {
        orderNo: v.orderNo,
        acceptedAt: v.acceptedAt?.toISOString() ?? null,
        publicReply: v.publicReply ? redactPublicText(v.publicReply) : null,
        kind: v.kind,
        expiresAt: v.expiresAt.toISOString(),
      };
    }
    res.type('html');
    return surveyPage(p.token, v, this.config.CITY_TIME_ZONE);
  }

  @Post(':token')
  @Public()
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  @Header('Referrer-Policy', 'no-referrer')
  @ApiConsumes('application/x-www-form-urlencoded', 'application/json')
  @ApiOperation({ summary: '提交评价 Answer the survey, once (400 bad answers, 404 invalid, 409 used, 410 expired)' })
  async answer(
    @Param() p: SurveyTokenParam,
    @Body() dto: SurveyAnswerDto,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<string | { result: 'recorded' }> {
    await this.survey.answer(p.token, dto);
    if (!wantsHtml(req)) return { result: 'recorded' };
    res.type('html');
    return thanksPage();
  }
}
