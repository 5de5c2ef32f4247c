import { normaliseStatusToken, STATUS_TOKEN } from '@app/contracts';
import { Public, ApiExcludeController } from '@app/platform';
import {
  ArgumentsHost,
  Body,
  Catch,
  Controller,
  ExceptionFilter,
  Get,
  HttpCode,
  HttpException,
  Inject,
  Logger,
  Param,
  Post,
  Query,
  Req,
  Res,
  UploadedFile,
  UseFilters,
  UseInterceptors,
} from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { Request, Response } from 'express';
import { randomBytes } from 'node:crypto';
import { ConsoleConfig } from '../console.config';
import { CONSOLE_CONFIG } from '../console.tokens';
import { CitizenService, Refused } from './citizen.service';
import { FORM_COOKIE, FormTokens } from './form-token';
import { Html } from './html';
import { Lang, LANG_COOKIE, langOf, T, translator } from './i18n';
import { page, PageOptions, PREFIX } from './layout';
import {
  errorPage,
  homePage,
  MAX_SUPPLEMENT,
  receiptPage,
  reportPage,
  statusForm,
  statusPage,
  SupplementForm,
  surveyPage,
  thanksPage,
  wallPage,
} from './pages';
import { checkReport, FieldProblem, Photo, readReport } from './report-form';
import { REPORT_SCRIPT } from './report-script';
import { ServiceUnavailableError } from './services.client';

const ORDER_NO = /^\d{8}-\d{6}$/;
const SURVEY_TOKEN = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[a-z0-9]+\.[A-Za-z0-9_-]+$/;
const PLACE_CODE = /^\d{6,12}$/;
/** A form's one-time value (SupplementForm.once): 16 random bytes, base64url. */
const ONCE = /^[A-Za-z0-9_-]{22}$/;

/** intake's refusal codes of a citizen's supplement, in the citizen's words. */
const SUPPLEMENT_REFUSALS: Record<string, (m: import('./i18n').Messages) => string> = {
  supplement_closed: (m) => m.supplement.closed,
  supplement_merged: (m) => m.supplement.merged,
  supplement_answered: (m) => m.supplement.answered,
  supplement_not_accepted: (m) => m.supplement.notAccepted,
  supplement_limit: (m) => m.supplement.limit,
  supplement_off: (m) => m.supplement.off,
};

interface Ctx {
  lang: Lang;
  t: T;
  nonce: string;
  path: string;
}

/** The language, a CSP nonce and the headers every citizen page carries. */
function contextOf(req: Request, res: Response): Ctx {
  const cookies = (req as { cookies?: Record<string, string> }).cookies ?? {};
  const lang = langOf(req.query.lang, cookies[LANG_COOKIE]);
  if (req.query.lang === 'en' || req.query.lang === 'zh-CN') {
    res.cookie(LANG_COOKIE, lang, { path: PREFIX, sameSite: 'lax', maxAge: 365 * 86400_000, httpOnly: true });
  }
  const nonce = randomBytes(16).toString('base64');
  res.setHeader(
    'Content-Security-Policy',
    `default-src 'none'; style-src 'nonce-${nonce}'; script-src 'nonce-${nonce}'; img-src 'self' blob:; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'`,
  );
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('Cache-Control', 'no-store');
  // the language switch comes back to the same page (a POST's page: its form)
  const url = new URL(req.originalUrl, 'http://x');
  url.searchParams.delete('lang');
  return { lang, t: translator(lang), nonce, path: `${url.pathname}${url.search}` };
}

function send(res: Response, c: Ctx, status: number, o: Omit<PageOptions, 'lang' | 't' | 'nonce' | 'path'>, body: Html): void {
  res
    .status(status)
    .type('html')
    .send(page({ ...o, lang: c.lang, t: c.t, nonce: c.nonce, path: c.path }, body));
}

const TITLES: Record<number, (m: import('./i18n').Messages) => string> = {
  400: (m) => m.errors['400'],
  403: (m) => m.errors['403'],
  404: (m) => m.errors['404'],
  409: (m) => m.errors['409'],
  410: (m) => m.errors['410'],
  413: (m) => m.errors['413'],
  429: (m) => m.errors['429'],
};

/** Every refusal on a citizen's page is a page in their language, with the status it deserves. */
@Catch()
export class CitizenErrorFilter implements ExceptionFilter {
  private readonly log = new Logger('CitizenPages');

  catch(e: unknown, host: ArgumentsHost): void {
    const req = host.switchToHttp().getRequest<Request>();
    const res = host.switchToHttp().getResponse<Response>();
    const c = contextOf(req, res);
    let status = 500;
    let message = c.t((m) => m.errors.unavailable);
    if (e instanceof ServiceUnavailableError) {
      status = 502;
      this.log.warn({ msg: 'a service did not answer a citizen page', reason: e.message });
    } else if (e instanceof Refused) {
      status = e.status >= 400 && e.status < 500 ? e.status : 502;
      message =
        status === 429 ? c.t((m) => m.errors.tooMany) : e.forCitizen ? e.reason : c.t((m) => m.errors.rejected, { reason: e.reason });
    } else if (e instanceof HttpException) {
      status = e.getStatus();
      if (status === 429) message = c.t((m) => m.errors.tooMany);
      else if (status === 413) message = c.t((m) => m.errors.photoTooLarge, { mb: Math.floor(maxPhotoMb) });
      else if (status < 500) message = c.t((m) => m.errors.rejected, { reason: e.message });
    } else {
      this.log.error({ msg: 'citizen page failed', err: (e as Error)?.stack ?? String(e) });
    }
    if (res.headersSent) return void res.end();
    const title = TITLES[status] ? c.t(TITLES[status]) : c.t((m) => m.errors.title);
    send(res, c, status, { title }, errorPage(c.t, title, message, req.method === 'POST' ? req.originalUrl.split('?')[0] : undefined));
  }
}

/** Set by the module from the configuration (the filter is built by Nest without injection). */
let maxPhotoMb = 8;

/**
 * 市民: the citizens' own pages under /public — submit a request, its status, the problem wall, the
 * SMS survey. Server-rendered HTML (tens of KB, usable without JavaScript), no login; every route is
 * @Public() and so under the platform's public rate limit. An Ingress may publish /public alone.
 */
@ApiExcludeController()
@Controller('public')
@Public()
@UseFilters(CitizenErrorFilter)
export class CitizenController {
  constructor(
    private readonly citizen: CitizenService,
    private readonly forms: FormTokens,
    @Inject(CONSOLE_CONFIG) private readonly config: ConsoleConfig,
  ) {
    maxPhotoMb = citizen.maxPhotoBytes / (1024 * 1024);
  }

  @Get()
  home(@Req() req: Request, @Res() res: Response): void {
    const c = contextOf(req, res);
    send(res, c, 200, { title: c.t((m) => m.nav.home), current: 'home' }, homePage(c.t));
  }

  @Get('report')
  async reportForm(@Req() req: Request, @Res() res: Response): Promise<void> {
    const c = contextOf(req, res);
    const categories = await this.citizen.categoryList(req);
    send(
      res,
      c,
      200,
      { title: c.t((m) => m.form.title), current: 'report', script: REPORT_SCRIPT },
      reportPage(c.t, c.lang, { formToken: this.issueForm(req, res), categories, maxPhotoMb: Math.floor(maxPhotoMb) }),
    );
  }

  @Post('report')
  @UseInterceptors(
    FileInterceptor('photo', {
      limits: { files: 1, fields: 20, parts: 22, fieldSize: 64 * 1024, fileSize: 50 * 1024 * 1024 },
    }),
  )
  async report(
    @Req() req: Request,
    @Res() res: Response,
    @Body() body: Record<string, unknown>,
    @UploadedFile() file: Photo | undefined,
  ): Promise<void> {
    const c = contextOf(req, res);
    const nonce = this.checkForm(req, body, c);
    const input = readReport(body ?? {});
    // a browser sends an empty part when no file was chosen
    const photo = file && (file.originalname || file.size) ? file : undefined;
    const list = checkReport(input, photo, this.citizen.maxPhotoBytes, c.t);
    const again = async (problems: FieldProblem[], status: number, notice?: string) => {
      const categories = await this.citizen.categoryList(req);
      send(
        res,
        c,
        status,
        { title: c.t((m) => m.form.title), current: 'report', script: REPORT_SCRIPT },
        reportPage(c.t, c.lang, {
          formToken: this.issueForm(req, res),
          categories,
          input,
          problems,
          maxPhotoMb: Math.floor(maxPhotoMb),
          notice,
        }),
      );
    };
    if (list.length) return again(list, 400);
    try {
      const r = await this.citizen.submit(req, input, nonce, photo);
      const category = r.receipt.orderNo ? await this.categoryName(req, c.lang, input.categoryCode) : null;
      send(res, c, 201, { title: c.t((m) => m.receipt.title), current: 'report' }, receiptPage(c.t, c.lang, r.receipt, category, r.photo));
    } catch (e) {
      if (e instanceof Refused && e.status === 400)
        return again(
          [],
          400,
          c.t((m) => m.errors.rejected, { reason: e.reason }),
        );
      throw e;
    }
  }

  @Post('suggest')
  @HttpCode(200)
  async suggest(@Req() req: Request, @Body() body: { text?: unknown }): Promise<{ categories: { code: string; name: string }[] }> {
    const text = typeof body?.text === 'string' ? body.text.trim().slice(0, 4000) : '';
    if (!text) return { categories: [] };
    const c = langOf(req.query.lang, (req as { cookies?: Record<string, string> }).cookies?.[LANG_COOKIE]);
    const list = await this.citizen.suggest(req, text);
    return { categories: list.map((g) => ({ code: g.code, name: c === 'en' ? g.nameEn : g.nameZh })) };
  }

  @Get('status')
  statusForm(@Req() req: Request, @Res() res: Response, @Query('orderNo') orderNo?: string): void {
    const c = contextOf(req, res);
    const no = typeof orderNo === 'string' && ORDER_NO.test(orderNo) ? orderNo : undefined;
    send(res, c, 200, { title: c.t((m) => m.status.title), current: 'status' }, statusForm(c.t, { orderNo: no }));
  }

  /** POST, so the token never sits in a URL, a log or the browser's history. */
  @Post('status')
  @HttpCode(200)
  async status(@Req() req: Request, @Res() res: Response, @Body() body: Record<string, unknown>): Promise<void> {
    const c = contextOf(req, res);
    const orderNo = typeof body?.orderNo === 'string' ? body.orderNo.trim() : '';
    const token = typeof body?.token === 'string' ? normaliseStatusToken(body.token) : '';
    const title = c.t((m) => m.status.title);
    if (!ORDER_NO.test(orderNo) || !STATUS_TOKEN.test(token)) {
      return send(res, c, 400, { title, current: 'status' }, statusForm(c.t, { orderNo: orderNo.slice(0, 15), notFound: true }));
    }
    const s = await this.citizen.status(req, orderNo, token);
    if (!s) return send(res, c, 404, { title, current: 'status' }, statusForm(c.t, { orderNo, notFound: true }));
    send(res, c, 200, { title, current: 'status' }, statusPage(c.t, c.lang, s, this.supplementForm(req, res, token)));
  }

  /**
   * 补充诉求 from the status page: the words go to intake with the order number and token; the page
   * comes back with the order's status and what became of them — saved (the time), or refused (why,
   * in the citizen's language, with what was typed kept).
   */
  @Post('status/supplement')
  @HttpCode(201)
  async supplement(@Req() req: Request, @Res() res: Response, @Body() body: Record<string, unknown>): Promise<void> {
    const c = contextOf(req, res);
    // the language switch goes to the lookup (a GET of this path has nothing to show)
    c.path = `${PREFIX}/status`;
    const nonce = this.checkForm(req, body, c);
    const pick = (k: string) => (typeof body?.[k] === 'string' ? body[k] : '');
    const orderNo = pick('orderNo').trim();
    const token = normaliseStatusToken(pick('token'));
    const title = c.t((m) => m.status.title);
    if (!ORDER_NO.test(orderNo) || !STATUS_TOKEN.test(token)) {
      return send(res, c, 400, { title, current: 'status' }, statusForm(c.t, { orderNo: orderNo.slice(0, 15), notFound: true }));
    }
    const once = pick('_once');
    if (!ONCE.test(once))
      throw new Refused(
        403,
        c.t((m) => m.errors.csrf),
        true,
      );
    const text = pick('text')
      .slice(0, MAX_SUPPLEMENT * 2 + 1)
      .trim();
    const again = async (status: number, o: Omit<SupplementForm, 'formToken' | 'once' | 'token'>, refused?: Refused) => {
      const s = await this.citizen.status(req, orderNo, token);
      if (!s) return send(res, c, 404, { title, current: 'status' }, statusForm(c.t, { orderNo, notFound: true }));
      const refusal = refused ? this.supplementRefusal(refused, c, s.mergedIntoOrderNo) : undefined;
      send(
        res,
        c,
        status,
        { title, current: 'status' },
        statusPage(c.t, c.lang, s, { ...this.supplementForm(req, res, token), ...o, refusal }),
      );
    };
    if (!text) return again(400, { problems: [{ field: 'text', message: c.t((m) => m.supplement.required) }] });
    if ([...text].length > MAX_SUPPLEMENT) {
      return again(400, { text, problems: [{ field: 'text', message: c.t((m) => m.supplement.tooLong, { n: MAX_SUPPLEMENT }) }] });
    }
    let savedAt: string;
    try {
      savedAt = (await this.citizen.supplement(req, orderNo, token, text, nonce, once)).supplementedAt;
    } catch (e) {
      // a 429 is the error page (a lookup now would be refused too); a 404 the lookup's "not found"
      if (!(e instanceof Refused) || e.status === 429) throw e;
      if (e.status === 404) return send(res, c, 404, { title, current: 'status' }, statusForm(c.t, { orderNo, notFound: true }));
      return again(e.status, { text }, e);
    }
    return again(201, { savedAt });
  }

  @Get('wall')
  async wall(
    @Req() req: Request,
    @Res() res: Response,
    @Query('district') district?: string,
    @Query('street') street?: string,
    @Query('page') pageNo?: string,
  ): Promise<void> {
    const c = contextOf(req, res);
    const places = await this.citizen.placeList(req);
    const d = typeof district === 'string' && PLACE_CODE.test(district) ? places.find((p) => p.code === district) : undefined;
    const s = d && typeof street === 'string' ? d.streets.find((x) => x.code === street) : undefined;
    const n = typeof pageNo === 'string' && /^\d{1,4}$/.test(pageNo) ? Math.max(1, Number(pageNo)) : 1;
    const streetNames = new Map(places.flatMap((p) => p.streets.map((x) => [x.code, `${p.name}${x.name}`] as const)));
    const w = d ? await this.citizen.wall(req, { districtCode: d.code, streetCode: s?.code }, n) : undefined;
    send(
      res,
      c,
      200,
      { title: c.t((m) => m.wall.title), current: 'wall' },
      wallPage(c.t, c.lang, { places, district: d?.code ?? places[0]?.code, street: s?.code, wall: w, streetNames }),
    );
  }

  @Get('s/:token')
  async survey(@Req() req: Request, @Res() res: Response, @Param('token') token: string): Promise<void> {
    const c = contextOf(req, res);
    if (!SURVEY_TOKEN.test(token) || token.length > 300)
      throw new Refused(
        404,
        c.t((m) => m.errors.surveyNotFound),
        true,
      );
    const v = await this.surveyView(req, token, c);
    send(res, c, 200, { title: c.t((m) => m.survey.title) }, surveyPage(c.t, c.lang, token, this.issueForm(req, res), v));
  }

  @Post('s/:token')
  @HttpCode(200)
  async answer(
    @Req() req: Request,
    @Res() res: Response,
    @Param('token') token: string,
    @Body() body: Record<string, unknown>,
  ): Promise<void> {
    const c = contextOf(req, res);
    if (!SURVEY_TOKEN.test(token) || token.length > 300)
      throw new Refused(
        404,
        c.t((m) => m.errors.surveyNotFound),
        true,
      );
    this.checkForm(req, body, c);
    const pick = (k: string) => (typeof body?.[k] === 'string' ? body[k] : undefined);
    const contacted = pick('contacted');
    const resolved = pick('resolved');
    const satisfaction = pick('satisfaction');
    const comment = (pick('comment') ?? '').trim();
    const problems: FieldProblem[] = [];
    const bool = /^(true|false)$/;
    if (
      !contacted ||
      !bool.test(contacted) ||
      !resolved ||
      !bool.test(resolved) ||
      !satisfaction ||
      !/^(satisfied|basically_satisfied|unsatisfied)$/.test(satisfaction)
    ) {
      problems.push({ field: 'answers', message: c.t((m) => m.errors.answerRequired) });
    }
    if ([...comment].length > 2000) problems.push({ field: 'comment', message: c.t((m) => m.errors.commentTooLong) });
    if (problems.length) {
      const v = await this.surveyView(req, token, c);
      return send(
        res,
        c,
        400,
        { title: c.t((m) => m.survey.title) },
        surveyPage(c.t, c.lang, token, this.issueForm(req, res), v, problems),
      );
    }
    try {
      await this.citizen.answerSurvey(req, token, {
        contacted: contacted === 'true',
        resolved: resolved === 'true',
        satisfaction,
        ...(comment ? { comment } : {}),
      });
    } catch (e) {
      throw this.surveyRefusal(e, c);
    }
    send(res, c, 200, { title: c.t((m) => m.survey.thanks) }, thanksPage(c.t));
  }

  private async surveyView(req: Request, token: string, c: Ctx) {
    try {
      return await this.citizen.openSurvey(req, token);
    } catch (e) {
      throw this.surveyRefusal(e, c);
    }
  }

  /** The survey link's refusals in the citizen's words: not ours (404), used (409), expired (410). */
  private surveyRefusal(e: unknown, c: Ctx): unknown {
    if (!(e instanceof Refused)) return e;
    if (e.status === 404 || e.status === 400)
      return new Refused(
        404,
        c.t((m) => m.errors.surveyNotFound),
        true,
      );
    if (e.status === 409)
      return new Refused(
        409,
        c.t((m) => m.errors.surveyUsed),
        true,
      );
    if (e.status === 410)
      return new Refused(
        410,
        c.t((m) => m.errors.surveyExpired),
        true,
      );
    return e;
  }

  /** The status page's 补充诉求 form: the CSRF pair, a fresh one-time value, the token it was looked up with. */
  private supplementForm(req: Request, res: Response, token: string): SupplementForm {
    return { formToken: this.issueForm(req, res), once: randomBytes(16).toString('base64url'), token };
  }

  private supplementRefusal(e: Refused, c: Ctx, mergedIntoOrderNo: string | null): string {
    const say = e.code ? SUPPLEMENT_REFUSALS[e.code] : undefined;
    if (say) return c.t(say, { orderNo: mergedIntoOrderNo ?? '' });
    return c.t((m) => m.supplement.failed, { reason: e.reason });
  }

  private async categoryName(req: Request, lang: Lang, code: string): Promise<string | null> {
    if (!code) return null;
    const c = (await this.citizen.categoryList(req)).find((x) => x.code === code);
    return c ? (lang === 'en' ? c.nameEn : c.nameZh) : null;
  }

  /** A form's CSRF pair: the nonce in a SameSite=Strict cookie, its HMAC in the form. */
  private issueForm(req: Request, res: Response): string {
    const cookies = (req as { cookies?: Record<string, string> }).cookies ?? {};
    let nonce = cookies[FORM_COOKIE];
    if (!nonce || !/^[A-Za-z0-9_-]{22}$/.test(nonce)) {
      nonce = this.forms.newNonce();
      res.cookie(FORM_COOKIE, nonce, { path: PREFIX, sameSite: 'strict', httpOnly: true, secure: this.config.secureCookies });
    }
    return this.forms.tokenFor(nonce);
  }

  private checkForm(req: Request, body: Record<string, unknown> | undefined, c: Ctx): string {
    const nonce = (req as { cookies?: Record<string, string> }).cookies?.[FORM_COOKIE];
    if (!this.forms.verify(nonce, body?._form))
      throw new Refused(
        403,
        c.t((m) => m.errors.csrf),
        true,
      );
    return nonce!;
  }
}
