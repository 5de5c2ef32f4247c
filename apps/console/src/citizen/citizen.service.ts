import { redactPublicText } from '@app/platform';
import { Inject, Injectable } from '@nestjs/common';
import { Request } from 'express';
import { createHash } from 'node:crypto';
import { ConsoleConfig } from '../console.config';
import { CONSOLE_CONFIG } from '../console.tokens';
import { CitizenStatusView, WallPage } from '@app/contracts';
import { Category, Place, Receipt, SurveyView } from './pages';
import { Photo, ReportInput, sniffPhoto, toPublicRequest } from './report-form';
import { CitizenServices, ServiceAnswer } from './services.client';

const CACHE_MS = 10 * 60_000;

/** A service's refusal, passed on to the citizen with its status and reason. */
export class Refused extends Error {
  constructor(
    readonly status: number,
    readonly reason: string,
    /** The reason is already written for the citizen (their language), not a service's words. */
    readonly forCitizen = false,
    /** The service's machine-readable reason (`code` of its error body), when it gave one. */
    readonly code?: string,
  ) {
    super(reason);
  }
}

function codeOf(a: ServiceAnswer<unknown>): string | undefined {
  const b = a.body as { code?: unknown } | null;
  return b && typeof b === 'object' && typeof b.code === 'string' ? b.code : undefined;
}

function reasonOf(a: ServiceAnswer<unknown>): string {
  const b = a.body as { message?: unknown; errors?: { field: string; reason: string }[] } | string | null;
  if (b && typeof b === 'object') {
    if (Array.isArray(b.errors) && b.errors.length) return b.errors.map((e) => `${e.field}: ${e.reason}`).join('; ');
    if (typeof b.message === 'string') return b.message;
  }
  return `HTTP ${a.status}`;
}

/**
 * The citizens' pages' calls to the services' public endpoints: intake (submit, photo, status,
 * categories, places, suggestions), analytics (the wall) and callback (the survey). What they
 * answer is already free of personal data; the replies are masked once more here, so a page never
 * depends on one service remembering it.
 */
@Injectable()
export class CitizenService {
  private categories?: { at: number; list: Category[] };
  private places?: { at: number; list: Place[] };

  constructor(
    private readonly services: CitizenServices,
    @Inject(CONSOLE_CONFIG) private readonly config: ConsoleConfig,
  ) {}

  async categoryList(req: Request): Promise<Category[]> {
    if (this.categories && Date.now() - this.categories.at < CACHE_MS) return this.categories.list;
    const a = await this.services.call<Category[]>(req, 'intake', '/categories').catch(() => null);
    if (!a || a.status !== 200 || !Array.isArray(a.body)) return this.categories?.list ?? [];
    this.categories = { at: Date.now(), list: a.body.filter((c) => c.active !== false) };
    return this.categories.list;
  }

  async placeList(req: Request): Promise<Place[]> {
    if (this.places && Date.now() - this.places.at < CACHE_MS) return this.places.list;
    const a = await this.services.call<Place[]>(req, 'intake', '/public/places');
    if (a.status !== 200 || !Array.isArray(a.body)) throw new Refused(a.status, reasonOf(a));
    this.places = { at: Date.now(), list: a.body };
    return this.places.list;
  }

  async suggest(req: Request, text: string): Promise<{ code: string; nameZh: string; nameEn: string }[]> {
    const a = await this.services.call<{ categories: { code: string; nameZh: string; nameEn: string }[] }>(
      req,
      'intake',
      '/public/suggest',
      {
        json: { text },
      },
    );
    if (a.status !== 200) throw new Refused(a.status, reasonOf(a));
    return a.body.categories;
  }

  /**
   * Submits the request, then its photo. The form's nonce and the request make the idempotency key:
   * a double tap on 提交 gives the same order (and one photo), an edited form a new one.
   */
  async submit(req: Request, input: ReportInput, nonce: string, photo?: Photo): Promise<{ receipt: Receipt; photo: string | null }> {
    const body = toPublicRequest(input);
    const key = `citizen-form:${createHash('sha256').update(nonce).update(JSON.stringify(body)).digest('base64url')}`;
    const a = await this.services.call<Receipt>(req, 'intake', '/public/requests', { json: body, headers: { 'idempotency-key': key } });
    if (a.status !== 201 && a.status !== 200) throw new Refused(a.status, reasonOf(a));
    const receipt = a.body;
    if (!photo) return { receipt, photo: null };
    // A replayed submission has its photo already.
    if (a.headers.get('idempotent-replayed') === 'true') return { receipt, photo: 'saved' };
    const type = sniffPhoto(photo.buffer)!;
    const ext = type.split('/')[1].replace('jpeg', 'jpg');
    const q = new URLSearchParams({ token: receipt.token, fileName: `photo.${ext}` });
    try {
      const up = await this.services.call(req, 'intake', `/public/requests/${receipt.orderNo}/attachments?${q.toString()}`, {
        body: photo.buffer,
        contentType: type,
      });
      return { receipt, photo: up.status === 201 || up.status === 200 ? 'saved' : reasonOf(up) };
    } catch (e) {
      return { receipt, photo: (e as Error).message };
    }
  }

  /** The order by number and token, or null when they do not match. */
  async status(req: Request, orderNo: string, token: string): Promise<CitizenStatusView | null> {
    const a = await this.services.call<CitizenStatusView>(req, 'intake', '/public/status', { json: { orderNo, token } });
    if (a.status === 404 || a.status === 400) return null;
    if (a.status !== 200) throw new Refused(a.status, reasonOf(a));
    return { ...a.body, reply: a.body.reply ? redactPublicText(a.body.reply) : null };
  }

  /**
   * 补充诉求: the citizen's words added to their order, with its number and token. The form's nonce,
   * the form's own one-time value and the words make the idempotency key: a double tap (or the page
   * sent again from the browser's history) adds one supplement, the same words typed again later a
   * second. Refusals carry intake's code, for the page to say why in the citizen's language.
   */
  async supplement(
    req: Request,
    orderNo: string,
    token: string,
    text: string,
    nonce: string,
    once: string,
  ): Promise<{ orderNo: string; supplementedAt: string }> {
    const key = `citizen-supplement:${createHash('sha256').update(nonce).update('\n').update(once).update('\n').update(text).digest('base64url')}`;
    const a = await this.services.call<{ orderNo: string; supplementedAt: string }>(
      req,
      'intake',
      `/public/requests/${orderNo}/supplements`,
      {
        json: { token, text },
        headers: { 'idempotency-key': key },
      },
    );
    if (a.status !== 201 && a.status !== 200) throw new Refused(a.status, reasonOf(a), false, codeOf(a));
    return a.body;
  }

  async wall(req: Request, filter: { districtCode?: string; streetCode?: string }, page: number): Promise<WallPage> {
    const q = new URLSearchParams({ page: String(page), pageSize: '10' });
    if (filter.streetCode) q.set('streetCode', filter.streetCode);
    else if (filter.districtCode) q.set('districtCode', filter.districtCode);
    const a = await this.services.call<WallPage>(req, 'analytics', `/wall?${q.toString()}`);
    if (a.status !== 200) throw new Refused(a.status, reasonOf(a));
    return { ...a.body, items: a.body.items.map((i) => ({ ...i, reply: i.reply ? redactPublicText(i.reply) : null })) };
  }

  async openSurvey(req: Request, token: string): Promise<SurveyView> {
    const a = await this.services.call<SurveyView>(req, 'callback', `/s/${encodeURIComponent(token)}`);
    if (a.status !== 200) throw new Refused(a.status, reasonOf(a));
    return { ...a.body, publicReply: a.body.publicReply ? redactPublicText(a.body.publicReply) : null };
  }

  async answerSurvey(req: Request, token: string, answers: Record<string, unknown>): Promise<void> {
    const a = await this.services.call(req, 'callback', `/s/${encodeURIComponent(token)}`, { json: answers });
    if (a.status !== 200) throw new Refused(a.status, reasonOf(a));
  }

  get maxPhotoBytes(): number {
    return this.config.CITIZEN_PHOTO_MAX_BYTES;
  }
}
