import {
  RevealCitizenContactQueryV2,
  RevealCitizenContactReplyV2,
  RevealRole,
  SurveySmsContactQueryV1,
  SurveySmsContactReplyV1,
} from '@app/contracts';
import { smsReachable } from './submission.service';
import { districtScope, hasRole, inDistrict, inUnit, InvalidTokenError, Principal, redactPublicText, TokenVerifier } from '@app/platform';
import { CitizenStatusView } from '@app/contracts';
import { ConflictException, ForbiddenException, Inject, Injectable, Logger, NotFoundException } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { PiiCipher } from '../citizens/pii.service';
import { ClassificationView, ClassifierService } from '../classification/classifier.service';
import { DuplicateCandidate, DuplicatesService } from '../duplicates/duplicates.service';
import { ArticleView } from '../knowledge/knowledge.dto';
import { CITIZEN_AUTHOR, supplementRefusal } from '../supplements/supplement-rule';
import { SupplementsRepository } from '../supplements/supplements.repository';
import { KnowledgeService } from '../knowledge/knowledge.service';
import { LocationResolver, ResolvedLocation } from '../location/location-resolver';
import { TaxonomyService } from '../taxonomy/taxonomy.service';
import { IntakeConfig } from '../intake.config';
import { INTAKE_CONFIG } from '../intake.tokens';
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
  location: ResolvedLocation;
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

/**
 * May `user` have the citizen of `t` revealed, acting as `role`? The role must be theirs (a unit head
 * acts as the unit's handler), the order in their districts, and a handler must handle it: a member
 * of the unit it was dispatched to, or someone that unit assigned it to (ticket.assigned.v1: a
 * person it named, a member of the unit it passed the order down to) while the unit still holds it.
 */
export function mayReveal(user: Principal, t: Ticket, role: RevealRole): boolean {
  if (!inDistrict(user, t.districtCode)) return false;
  if (role !== 'handler') return hasRole(user, role);
  if (!hasRole(user, 'handler', 'unit_head')) return false;
  if (user.roles.includes('admin')) return true;
  if (t.unitId && inUnit(user, t.unitId)) return true;
  if (!t.unitId || t.assignedUnitId !== t.unitId) return false;
  return t.assignees.includes(user.id) || (!!t.subUnitId && inUnit(user, t.subUnitId));
}

export interface PublicSuggestionView {
  categories: { code: string; nameZh: string; nameEn: string }[];
  requestType: string;
}

const nullableRedacted = (text: string | null): string | null => (text ? redactPublicText(text) : null);

/** A stored contact that fails its integrity check: refused with a reason, never a 500. */
const UNREADABLE_CONTACT =
  '诉求人联系方式未通过完整性校验，无法读取，已告警，请联系系统管理员 the citizen’s stored contact fails its integrity check and cannot be read; operators have been alerted';

@Injectable()
export class TicketsService {
  private readonly resolver = new LocationResolver();
  private readonly log = new Logger('ContactReveal');

  constructor(
    private readonly tickets: TicketsRepository,
    private readonly pii: PiiCipher,
    private readonly classifier: ClassifierService,
    private readonly duplicates: DuplicatesService,
    private readonly knowledge: KnowledgeService,
    private readonly taxonomy: TaxonomyService,
    private readonly verifier: TokenVerifier,
    private readonly supplements: SupplementsRepository,
    @Inject(INTAKE_CONFIG) private readonly config: IntakeConfig,
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

  /** The contact an order number and its status token name; a wrong token and an unknown number are the same 404. */
  async citizenContact(orderNo: string, token: string): Promise<Ticket> {
    const contact = await this.tickets.findByOrderNo(orderNo);
    if (!contact || !this.pii.checkStatusToken(contact.id, token)) throw new NotFoundException('no order with this number and token');
    return contact;
  }

  /** The public form's suggestion while the citizen types: categories and request type, nothing about other orders. */
  async publicSuggestion(text: string): Promise<PublicSuggestionView> {
    const c = await this.classifier.suggest(text);
    return {
      categories: c.categories.slice(0, 3).map((g) => ({ code: g.code, nameZh: g.nameZh, nameEn: g.nameEn })),
      requestType: c.requestType,
    };
  }

  /**
   * The citizen's lookup by order number and token. A wrong token and an unknown number look the same.
   * With it, whether the citizen may add to the order (the supplements' rule) and when they did: only
   * their own supplements (added with this token), never an operator's, and never the words.
   */
  async citizenStatus(orderNo: string, token: string): Promise<CitizenStatusView> {
    const contact = await this.citizenContact(orderNo, token);
    let order: Ticket = contact;
    if (contact.mergedInto) order = (await this.tickets.findById(contact.mergedInto)) ?? contact;
    const own = order === contact ? await this.supplements.ofTicket(contact.id, CITIZEN_AUTHOR) : [];
    return {
      orderNo: contact.orderNo,
      status: order.progress,
      statusLabel: PROGRESS_LABELS[order.progress],
      category: this.taxonomy.find(order.categoryCode)?.nameZh ?? order.categoryCode,
      acceptedAt: contact.acceptedAt.toISOString(),
      unitName: order.unitName,
      // A receipt can be passed on (a screenshot, a forwarded message): the reply is shown as the wall shows it.
      reply: nullableRedacted(order.publicReply ?? order.publicAnswer),
      mergedIntoOrderNo: order === contact ? null : order.orderNo,
      updatedAt: (order.progressAt ?? order.acceptedAt).toISOString(),
      canSupplement: supplementRefusal(contact) === null && this.config.PUBLIC_SUPPLEMENT_MAX_PER_DAY > 0,
      supplementedAt: own.map((s) => s.at.toISOString()),
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

  /** A staff member who must call the citizen asks over HTTP (their token was verified by the guard). */
  async revealForUser(user: Principal, id: string, purpose: string): Promise<{ name: string | null; phone: string }> {
    const t = await this.visibleOrder(user, id);
    const role = (['supervisor', 'dispatcher'] as const).find((r) => user.roles.includes(r)) ?? 'handler';
    if (!mayReveal(user, t, role)) {
      await this.audit(t, user.id, role, purpose, false);
      throw new ForbiddenException(
        'only a member of the unit handling this order, or a person it assigned the order to, may reveal its citizen',
      );
    }
    const r = await this.revealOf(t, user.id, role, purpose);
    if (r.error === 'identity_hidden') throw new ForbiddenException('the citizen asked that their identity be kept from the handling unit');
    if (r.error === 'unreadable') throw new ConflictException(UNREADABLE_CONTACT);
    if (!r.ok) throw new NotFoundException(`order ${t.orderNo} has no citizen contact (${r.error})`);
    return { name: r.name ?? null, phone: r.phone! };
  }

  /**
   * The reveal query over NATS, relayed by a service for a person. Nothing the caller wrote says who
   * asks: the person is the one of the token, verified for an audience allowed to relay reveals
   * (REVEAL_RELAY_AUDIENCES); the role and scope are checked against its claims, and the audit row
   * names the verified person. A query without a valid token is refused and not audited (there is no
   * person to audit, and anyone on NATS could fill the table); it is logged.
   */
  async revealQuery(q: RevealCitizenContactQueryV2): Promise<RevealCitizenContactReplyV2> {
    let user: Principal;
    try {
      user = await this.verifier.verify(q.token, { audiences: this.config.REVEAL_RELAY_AUDIENCES });
    } catch (e) {
      if (!(e instanceof InvalidTokenError)) throw e;
      this.log.warn({ ticketId: q.ticketId, role: q.role, reason: e.message }, 'contact reveal refused: no valid token');
      return { ok: false, error: 'unauthenticated' };
    }
    const t = await this.tickets.findById(q.ticketId);
    if (!t) return { ok: false, error: 'not_found' };
    if (!mayReveal(user, t, q.role)) {
      await this.audit(t, user.id, q.role, q.purpose, false);
      return { ok: false, error: 'forbidden' };
    }
    return this.revealOf(t, user.id, q.role, q.purpose);
  }

  /**
   * The mobile for callback's automatic survey SMS. No person asks, so there is no token: who may ask
   * is NATS's (only callback's account publishes this subject). Only a mainland mobile of a citizen
   * who did not refuse SMS is answered, never a name; every answer about an order is audited.
   */
  async surveySmsContact(q: SurveySmsContactQueryV1): Promise<SurveySmsContactReplyV1> {
    const t = await this.tickets.findById(q.ticketId);
    if (!t) return { ok: false, error: 'not_found' };
    const purpose = `${q.purpose} (callback task ${q.taskId})`.slice(0, 500);
    let error: SurveySmsContactReplyV1['error'];
    if (t.smsOptOut) error = 'sms_refused';
    else if (!smsReachable(t) || !t.citizenPhoneEnc) error = 'no_mobile';
    const mobile = error ? null : this.readContact(t, t.citizenPhoneEnc!, 'citizen_phone');
    if (!error && mobile === null) error = 'unreadable';
    await this.audit(t, 'service:callback', 'callback_agent', purpose, !error);
    if (error) return { ok: false, error };
    return { ok: true, mobile: mobile! };
  }

  /**
   * Decrypt a citizen's contact for someone allowed to call them, and audit the attempt. A handler
   * never sees a citizen who asked to stay hidden from the unit; callback agents still do.
   */
  private async revealOf(t: Ticket, requestedBy: string, role: RevealRole, purpose: string): Promise<RevealCitizenContactReplyV2> {
    let error: RevealCitizenContactReplyV2['error'];
    if (!t.citizenPhoneEnc) error = 'anonymous';
    else if (t.identityHidden && role === 'handler') error = 'identity_hidden';
    let name: string | null = null;
    let phone: string | null = null;
    if (!error) {
      phone = this.readContact(t, t.citizenPhoneEnc!, 'citizen_phone');
      name = t.citizenNameEnc ? this.readContact(t, t.citizenNameEnc, 'citizen_name') : null;
      if (phone === null || (t.citizenNameEnc && name === null)) error = 'unreadable';
    }
    await this.audit(t, requestedBy, role, purpose, !error);
    if (error) return { ok: false, error };
    return { ok: true, name, phone };
  }

  /**
   * Decrypt one stored contact field, or null when it fails its integrity check (copied from another
   * order or field, or written with a key no longer configured): an alarm for the operators, a clear
   * refusal for the person asking, never a crash of the query.
   */
  private readContact(t: Ticket, value: string, field: 'citizen_phone' | 'citizen_name'): string | null {
    try {
      return this.pii.decrypt(value, { record: t.id, field });
    } catch (e) {
      this.log.error({ msg: 'citizen contact fails its integrity check', ticketId: t.id, field, reason: (e as Error).message });
      return null;
    }
  }

  private audit(t: Ticket, requestedBy: string, role: string, purpose: string, granted: boolean): Promise<void> {
    return this.tickets.audit(Object.assign(new RevealAudit(), { id: randomUUID(), ticketId: t.id, requestedBy, role, purpose, granted }));
  }
}
