import { RevealCitizenContactQueryV1, RevealCitizenContactReplyV1 } from '@app/contracts';
import { districtScope, inDistrict, inUnit, Principal } from '@app/platform';
import { ForbiddenException, Injectable, NotFoundException } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { PiiCipher } from '../citizens/pii.service';
import { ClassificationView, ClassifierService } from '../classification/classifier.service';
import { DuplicateCandidate, DuplicatesService } from '../duplicates/duplicates.service';
import { ArticleView, KnowledgeService } from '../knowledge/knowledge.service';
import { LocationResolver } from '../location/location-resolver';
import { TaxonomyService } from '../taxonomy/taxonomy.service';
import { AssistDto } from './create-ticket.dto';
import { RevealAudit, Ticket } from './ticket.entity';
import { PROGRESS_LABELS, toView, TicketView } from './ticket.view';
import { SearchTicketsQuery } from './search-tickets.dto';
import { TicketsRepository } from './tickets.repository';

export interface RevealView {
  requestedBy: string;
  role: string;
  purpose: string;
  granted: boolean;
  at: string;
}

/** What the operator sees while typing: one call, everything that helps decide. */
export interface AssistView {
  classification: ClassificationView;
  location: { districtCode: string | null; streetCode: string | null };
  /** Open orders on the same matter: offer the merge (POST /tickets with mergeInto). */
  duplicates: DuplicateCandidate[];
  /** The same caller's earlier orders on the same matter (一人重复): the new order will be flagged repeat. */
  repeatOf: { id: string; orderNo: string; progress: string; acceptedAt: string }[];
  /** Knowledge-base articles that may answer it on the spot. */
  articles: ArticleView[];
}

export interface TicketPage {
  items: TicketView[];
  total: number;
  page: number;
  pageSize: number;
}

/** 办理状态 for the citizen: the order number, where it stands, who handles it, the public reply. Nothing else. */
export interface CitizenStatusView {
  orderNo: string;
  status: string;
  statusLabel: string;
  category: string;
  acceptedAt: string;
  unitName: string | null;
  reply: string | null;
  /** The order this request was merged into, when it was. */
  mergedIntoOrderNo: string | null;
  updatedAt: string;
}

@Injectable()
export class TicketsService {
  private readonly resolver = new LocationResolver();

  constructor(
    private readonly tickets: TicketsRepository,
    private readonly pii: PiiCipher,
    private readonly classifier: ClassifierService,
    private readonly duplicates: DuplicatesService,
    private readonly knowledge: KnowledgeService,
    private readonly taxonomy: TaxonomyService,
  ) {}

  /** The order if the user may see it (its district is theirs); otherwise 404, the same as an unknown order. */
  async visibleOrder(user: Principal, id: string): Promise<Ticket> {
    const t = await this.tickets.findById(id);
    if (!t || !inDistrict(user, t.districtCode)) throw new NotFoundException(`no order ${id}`);
    return t;
  }

  async get(user: Principal, id: string): Promise<TicketView> {
    return toView(await this.visibleOrder(user, id));
  }

  async list(user: Principal, districtCode: string | undefined, limit: number): Promise<TicketView[]> {
    return (await this.tickets.list(districtScope(user), districtCode, limit)).map(toView);
  }

  /** 工单查询, within the person's districts; a from after to is simply empty. */
  async search(user: Principal, q: SearchTicketsQuery): Promise<TicketPage> {
    const page = q.page ?? 1;
    const pageSize = q.pageSize ?? 20;
    const [rows, total] = await this.tickets.search(
      {
        orderNo: q.orderNo,
        phoneHash: q.phone ? this.pii.phoneHash(q.phone) : undefined,
        text: q.q?.trim() || undefined,
        from: q.from ? new Date(q.from) : undefined,
        to: q.to ? new Date(q.to) : undefined,
        progress: q.status,
        districtCode: q.districtCode,
      },
      districtScope(user),
      (page - 1) * pageSize,
      pageSize,
    );
    return { items: rows.map(toView), total, page, pageSize };
  }

  async assist(user: Principal, dto: AssistDto): Promise<AssistView> {
    const place = this.resolver.resolve(dto.address ?? '', dto.districtCode);
    const classification = await this.classifier.suggest(dto.content);
    const categoryCode = dto.categoryCode ?? classification.categories[0]?.code;
    const district = place.districtCode;
    const scoped = district && inDistrict(user, district);
    const probe = {
      content: dto.content,
      categoryCode,
      districtCode: district ?? '',
      streetCode: place.streetCode,
      lat: dto.lat,
      lng: dto.lng,
      phoneHash: dto.phone ? this.pii.phoneHash(dto.phone) : null,
    };
    const duplicates = scoped ? await this.duplicates.candidates(probe) : [];
    const repeatOf = dto.phone ? await this.duplicates.sameCaller(probe) : [];
    const articles = await this.knowledge.search(dto.content, categoryCode, 5);
    return {
      classification,
      location: place,
      duplicates,
      repeatOf: repeatOf
        .filter((t) => inDistrict(user, t.districtCode))
        .map((t) => ({ id: t.id, orderNo: t.orderNo, progress: t.progress, acceptedAt: t.acceptedAt.toISOString() })),
      articles,
    };
  }

  /** The citizen's lookup by order number and token. A wrong token and an unknown number look the same. */
  async citizenStatus(orderNo: string, token: string): Promise<CitizenStatusView> {
    const contact = await this.tickets.findByOrderNo(orderNo);
    if (!contact || !this.pii.checkStatusToken(contact.id, token)) throw new NotFoundException('no order with this number and token');
    let order: Ticket = contact;
    if (contact.mergedInto) order = (await this.tickets.findById(contact.mergedInto)) ?? contact;
    return {
      orderNo: contact.orderNo,
      status: order.progress,
      statusLabel: PROGRESS_LABELS[order.progress],
      category: this.taxonomy.find(order.categoryCode)?.nameZh ?? order.categoryCode,
      acceptedAt: contact.acceptedAt.toISOString(),
      unitName: order.unitName,
      reply: order.publicReply ?? order.publicAnswer,
      mergedIntoOrderNo: order === contact ? null : order.orderNo,
      updatedAt: (order.progressAt ?? order.acceptedAt).toISOString(),
    };
  }

  async reveals(user: Principal, id: string): Promise<RevealView[]> {
    await this.visibleOrder(user, id);
    return (await this.tickets.reveals(id)).map((r) => ({
      requestedBy: r.requestedBy,
      role: r.role,
      purpose: r.purpose,
      granted: r.granted,
      at: r.at.toISOString(),
    }));
  }

  /** A staff member who must call the citizen asks over HTTP: scope-checked, then as the NATS query. */
  async revealForUser(user: Principal, id: string, purpose: string): Promise<{ name: string | null; phone: string }> {
    const t = await this.visibleOrder(user, id);
    const staffRole = (['supervisor', 'dispatcher'] as const).find((r) => user.roles.includes(r));
    // A unit's member may call only about an order their unit handles.
    if (!staffRole && !user.roles.includes('admin') && (!t.unitId || !inUnit(user, t.unitId))) {
      throw new ForbiddenException('only a member of the unit handling this order may reveal its citizen');
    }
    const r = await this.revealOf(t, { ticketId: id, requestedBy: user.id, role: staffRole ?? 'handler', purpose });
    if (r.error === 'identity_hidden') throw new ForbiddenException('the citizen asked that their identity be kept from the handling unit');
    if (!r.ok) throw new NotFoundException(`order ${t.orderNo} has no citizen contact (${r.error})`);
    return { name: r.name ?? null, phone: r.phone! };
  }

  /**
   * Decrypt a citizen's contact for someone who must call them, and audit the attempt. A handler
   * never sees a citizen who asked to stay hidden from the unit; callback agents still do.
   */
  async reveal(q: RevealCitizenContactQueryV1): Promise<RevealCitizenContactReplyV1> {
    return this.revealOf(await this.tickets.findById(q.ticketId), q);
  }

  /** The reveal of an order already read (null: no such order). */
  private async revealOf(t: Ticket | null, q: RevealCitizenContactQueryV1): Promise<RevealCitizenContactReplyV1> {
    let error: string | undefined;
    if (!t) error = 'not_found';
    else if (!t.citizenPhoneEnc) error = 'anonymous';
    else if (t.identityHidden && q.role === 'handler') error = 'identity_hidden';
    if (t) {
      await this.tickets.audit(
        Object.assign(new RevealAudit(), {
          id: randomUUID(),
          ticketId: t.id,
          requestedBy: q.requestedBy,
          role: q.role,
          purpose: q.purpose,
          granted: !error,
        }),
      );
    }
    if (error || !t) return { ok: false, error };
    return {
      ok: true,
      name: t.citizenNameEnc ? this.pii.decrypt(t.citizenNameEnc) : null,
      phone: this.pii.decrypt(t.citizenPhoneEnc!),
    };
  }
}
