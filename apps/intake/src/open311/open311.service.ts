import { Channel } from '@app/contracts';
import { CLOCK, Clock, redactPublicText } from '@app/platform';
import { Inject, Injectable } from '@nestjs/common';
import { IntakeConfig } from '../intake.config';
import { INTAKE_CONFIG } from '../intake.tokens';
import { TaxonomyService } from '../taxonomy/taxonomy.service';
import { IdempotencyInput } from '../tickets/submission';
import { SubmissionService } from '../tickets/submission.service';
import { Ticket } from '../tickets/ticket.entity';
import { CLOSED_PROGRESS, TicketsRepository } from '../tickets/tickets.repository';
import { Open311ApiKeysService } from './open311-api-keys.service';
import { Open311Error } from './open311.errors';
import { Open311PostDto, Open311QueryDto } from './open311.dto';
import { placeNameOf } from '../location/gazetteer';

const DAY = 86_400_000;
/**
 * The window and page of GET requests. The spec's default (90 days, 1,000 requests) let anyone copy
 * the city's orders wholesale; the public wall shows a community at a time, so the feed is kept to a
 * month and small pages (the DTO caps page_size at MAX_PAGE_SIZE).
 */
const MAX_DAYS = 31;
const DEFAULT_LIMIT = 50;
export const MAX_PAGE_SIZE = 100;
/** Coordinates are snapped to this grid (degrees, about 500 m): a street, not a doorstep. */
const GRID = 0.005;

const snap = (v: number) => Number((Math.round(v / GRID) * GRID).toFixed(3));

/** What a reply should never have carried (phone, ID card numbers, house numbers, a named person), as the public wall masks it. */
export function maskPersonalData(text: string): string {
  return redactPublicText(text);
}

export interface Open311Request {
  service_request_id: string;
  status: 'open' | 'closed';
  status_notes?: string;
  service_name?: string;
  service_code: string;
  agency_responsible?: string;
  service_notice?: string;
  requested_datetime: string;
  updated_datetime?: string;
  address?: string;
  lat?: number;
  long?: number;
}

/**
 * Open311 GeoReport v2 on the taxonomy. Requests are shown as the public wall shows them: without
 * their description and any citizen data (a description is the citizen's own words and often names
 * people and homes), placed at street level (the street's name and coordinates on a ~500 m grid,
 * never the free-text address), replies masked of numbers, and orders kept off the wall
 * (identity hidden) not at all.
 */
@Injectable()
export class Open311Service {
  constructor(
    private readonly taxonomy: TaxonomyService,
    private readonly tickets: TicketsRepository,
    private readonly submissions: SubmissionService,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(INTAKE_CONFIG) private readonly config: IntakeConfig,
    private readonly apiKeys: Open311ApiKeysService,
  ) {}

  checkJurisdiction(id: string | undefined): void {
    if (id !== undefined && id !== this.config.OPEN311_JURISDICTION) {
      throw new Open311Error(404, `jurisdiction_id ${id} not found; this endpoint serves ${this.config.OPEN311_JURISDICTION}`);
    }
  }

  /** The client name for a valid key (issued and not revoked, or in OPEN311_API_KEYS); 403 otherwise. */
  async client(apiKey: string | undefined): Promise<string> {
    if (!apiKey) throw new Open311Error(403, 'api_key is required to submit a request');
    const client = await this.apiKeys.clientOf(apiKey);
    if (!client) throw new Open311Error(403, 'api_key is not valid');
    return client;
  }

  discovery(): object {
    const base = this.config.PUBLIC_BASE_URL ?? '';
    return {
      changeset: '2026-01-01T00:00:00Z',
      contact: '12345 政务服务便民热线 / 12345 citizen hotline',
      key_service: 'Ask the hotline centre for an api_key to submit requests.',
      endpoints: [
        {
          specification: 'http://wiki.open311.org/GeoReport_v2',
          url: `${base}/open311/v2`,
          changeset: '2026-01-01T00:00:00Z',
          type: 'production',
          formats: ['text/xml', 'application/json'],
        },
      ],
    };
  }

  services(): object[] {
    return this.taxonomy.list().map((c) => ({
      service_code: c.code,
      service_name: c.nameZh,
      description: c.nameEn,
      metadata: false,
      type: 'realtime',
      keywords: c.keywords.join(','),
      group: this.taxonomy.find(c.code.split('.')[0])?.nameZh ?? c.nameZh,
    }));
  }

  async definition(code: string): Promise<object> {
    if (!(await this.taxonomy.isActive(code))) throw new Open311Error(404, `service_code ${code} not found`);
    return { service_code: code, attributes: [] };
  }

  async submit(dto: Open311PostDto, idem: IdempotencyInput | undefined): Promise<object[]> {
    const client = await this.client(dto.api_key);
    this.checkJurisdiction(dto.jurisdiction_id);
    const forms = [dto.lat !== undefined || dto.long !== undefined, !!dto.address_string, !!dto.address_id].filter(Boolean).length;
    if (forms !== 1) throw new Open311Error(400, 'give exactly one location: lat and long, or address_string, or address_id');
    if ((dto.lat === undefined) !== (dto.long === undefined)) throw new Open311Error(400, 'lat and long go together');
    if (dto.address_id)
      throw new Open311Error(400, 'address_id is not supported by this jurisdiction; send address_string or lat and long');
    if (!(await this.taxonomy.isActive(dto.service_code)))
      throw new Open311Error(400, `service_code ${dto.service_code} not found (GET services)`);
    const max = this.config.MAX_CONTENT_LENGTH;
    if (dto.description.length > max)
      throw new Open311Error(400, `description is ${dto.description.length} characters; the limit is ${max}`);
    const name = `${dto.last_name ?? ''}${dto.first_name ?? ''}`.trim() || '市民';
    const r = await this.submissions.submit(
      { id: `open311:${client}`, districts: null, staff: false },
      {
        channel: Channel.Open311,
        categoryCode: dto.service_code,
        content: dto.description,
        ...(dto.phone ? { citizen: { name, phone: dto.phone } } : { anonymous: true }),
        location: {
          address: dto.address_string ?? `坐标 ${dto.lat},${dto.long}`,
          ...(dto.lat !== undefined ? { lat: dto.lat, lng: dto.long } : {}),
        },
      },
      idem,
    );
    return [
      {
        service_request_id: r.ticket.orderNo,
        token: r.ticket.id,
        service_notice: r.ticket.location.source === 'triage' ? '已受理，待市热线中心确定承办区域。' : '已受理，将按时限办理。',
      },
    ];
  }

  async list(q: Open311QueryDto): Promise<Open311Request[]> {
    this.checkJurisdiction(q.jurisdiction_id);
    const size = Math.min(q.page_size ?? DEFAULT_LIMIT, MAX_PAGE_SIZE);
    const offset = ((q.page ?? 1) - 1) * size;
    if (q.service_request_id) {
      const orderNos = q.service_request_id
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
        .slice(0, MAX_PAGE_SIZE);
      return (await this.tickets.open311({ orderNos, from: new Date(0), to: new Date(0), offset, limit: size })).map((t) => this.view(t));
    }
    const now = this.clock.now();
    const end = q.end_date ? new Date(q.end_date) : now;
    const start = q.start_date ? new Date(q.start_date) : new Date(end.getTime() - MAX_DAYS * DAY);
    if (Number.isNaN(start.getTime()) || Number.isNaN(end.getTime()))
      throw new Open311Error(400, 'start_date and end_date must be W3C date-times');
    if (end < start) throw new Open311Error(400, 'end_date is before start_date');
    if (end.getTime() - start.getTime() > MAX_DAYS * DAY)
      throw new Open311Error(400, `start_date to end_date may not span more than ${MAX_DAYS} days`);
    const statuses = q.status ? [...new Set(q.status.split(','))] : [];
    const rows = await this.tickets.open311({
      categoryCodes: q.service_code ? q.service_code.split(',').map((s) => s.trim()) : undefined,
      from: start,
      to: end,
      closed: statuses.length === 1 ? statuses[0] === 'closed' : undefined,
      offset,
      limit: size,
    });
    return rows.map((t) => this.view(t));
  }

  async one(id: string): Promise<Open311Request> {
    const t = await this.tickets.findByOrderNo(id);
    if (!t || (t.publicWallOptOut ?? t.identityHidden)) throw new Open311Error(404, `service_request_id ${id} not found`);
    return this.view(t);
  }

  async token(token: string): Promise<{ service_request_id: string; token: string }> {
    const t = /^[0-9a-f-]{36}$/i.test(token) ? await this.tickets.findById(token) : null;
    if (!t) throw new Open311Error(404, `token ${token} not found`);
    return { service_request_id: t.orderNo, token: t.id };
  }

  private view(t: Ticket): Open311Request {
    const closed = CLOSED_PROGRESS.includes(t.progress);
    const reply = (text: string | null) => (text ? maskPersonalData(text) : undefined);
    const notes: Partial<Record<Ticket['progress'], string>> = {
      merged: 'Duplicate request (已合并办理).',
      not_accepted: reply(t.publicAnswer),
      answered: reply(t.publicAnswer),
      closed: reply(t.publicReply),
      replied: reply(t.publicReply),
    };
    const r: Open311Request = {
      service_request_id: t.orderNo,
      status: closed ? 'closed' : 'open',
      service_name: this.taxonomy.find(t.categoryCode)?.nameZh ?? t.categoryCode,
      service_code: t.categoryCode,
      requested_datetime: t.acceptedAt.toISOString(),
      updated_datetime: (t.progressAt ?? t.acceptedAt).toISOString(),
    };
    // Street level at most: the feed is public and a community narrows it towards a doorstep.
    const place = placeNameOf(t.districtCode, t.streetCode);
    if (place) r.address = place;
    if (notes[t.progress]) r.status_notes = notes[t.progress];
    if (t.unitName) r.agency_responsible = t.unitName;
    if (t.lat !== null && t.lng !== null) Object.assign(r, { lat: snap(t.lat), long: snap(t.lng) });
    return r;
  }
}
