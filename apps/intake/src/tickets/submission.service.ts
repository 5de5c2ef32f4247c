import { CommunityLocation, RequestType, TicketFlag, Urgency } from '@app/contracts';
import {
  cityDay,
  CLOCK,
  Clock,
  FieldError,
  FieldValidationException,
  isUniqueViolation,
  Outbox,
  OutgoingEvent,
  TransactionHost,
  TxHost,
} from '@app/platform';
import { ConflictException, ForbiddenException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { maskName, maskPhone, PiiCipher } from '../citizens/pii.service';
import { ClassifierService } from '../classification/classifier.service';
import { DuplicatesService } from '../duplicates/duplicates.service';
import { IntakeConfig } from '../intake.config';
import { INTAKE_CONFIG } from '../intake.tokens';
import { KnowledgeService } from '../knowledge/knowledge.service';
import { PLACE_INDEX, placeNameOf } from '../location/gazetteer';
import { LocationResolver } from '../location/location-resolver';
import { TaxonomyService } from '../taxonomy/taxonomy.service';
import { ANONYMOUS_CHANNELS, IdempotencyInput, NOT_ACCEPTED_GUIDANCE, PROACTIVE_CHANNELS, Submission, Submitter } from './submission';
import { OrderNumbers } from './order-numbers';
import { IdempotencyKey, LocationSource, Ticket } from './ticket.entity';
import { toView, TicketView } from './ticket.view';
import { TicketsRepository } from './tickets.repository';

export interface SubmissionResult {
  ticket: TicketView;
  /** The citizen's secret for the status lookup (with the order number). */
  statusToken: string;
  /** True when an Idempotency-Key matched an earlier submission: nothing new was stored. */
  replayed: boolean;
}

class IdempotencyRace extends Error {}

/** The order number was taken already (an order numbered before the permutation): roll back, take another. */
class OrderNoTaken extends Error {}

/** The unique index on the order number (migrations). */
const ORDER_NO_UNIQUE = 'uq_ticket_order_no';

/**
 * 受理: every channel's submission becomes an order (or a merged contact, a first-contact answer, a
 * refusal). Validates the rules no DTO can (channel and anonymity, disposition, taxonomy, place),
 * resolves the location, sets the repeat/concentrated flags, numbers the order, and writes it with
 * its event in one transaction. Nothing is stored when anything is refused.
 */
@Injectable()
export class SubmissionService {
  private readonly resolver = new LocationResolver();

  constructor(
    @Inject(TransactionHost) private readonly txHost: TxHost,
    private readonly tickets: TicketsRepository,
    private readonly outbox: Outbox,
    private readonly pii: PiiCipher,
    private readonly taxonomy: TaxonomyService,
    private readonly classifier: ClassifierService,
    private readonly duplicates: DuplicatesService,
    private readonly knowledge: KnowledgeService,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(INTAKE_CONFIG) private readonly config: IntakeConfig,
  ) {
    this.orderNumbers = new OrderNumbers(tickets, config.PII_HASH_KEY);
  }

  private readonly orderNumbers: OrderNumbers;

  async submit(who: Submitter, s: Submission, idem?: IdempotencyInput): Promise<SubmissionResult> {
    const scope = `${who.id}`;
    if (idem) {
      const earlier = await this.replay(scope, idem);
      if (earlier) return earlier;
    }
    const proactive = PROACTIVE_CHANNELS.includes(s.channel);
    const problems: FieldError[] = [];
    this.checkContent(s, problems);
    this.checkCitizen(s, proactive, problems);
    const disposition = this.checkDisposition(s, proactive, problems);
    const place = this.place(s, problems);
    if (s.categoryCode && !(await this.taxonomy.isActive(s.categoryCode))) {
      problems.push({ field: 'categoryCode', reason: `${s.categoryCode} is not an active category of the taxonomy (GET /categories)` });
    }
    if (problems.length) throw new FieldValidationException(problems);
    if (who.districts && !who.districts.includes(place.districtCode) && !who.districts.includes(this.config.CITY_CODE)) {
      throw new ForbiddenException(`you may not record orders for district ${place.districtCode}`);
    }

    // What the submitter left open, the classifier fills (the public form has no taxonomy picker).
    const guess = !s.categoryCode || !s.requestType || !s.urgency ? await this.classifier.suggest(s.content) : null;
    const categoryCode = s.categoryCode ?? guess!.categories[0]?.code ?? 'other';
    const requestType = s.requestType ?? (who.staff ? RequestType.Complaint : guess!.requestType);
    const urgency = s.urgency ?? (who.staff ? Urgency.Ordinary : guess!.urgency);

    let answer: string | null = null;
    if (disposition === 'answered') {
      answer = s.answer ?? null;
      if (s.articleId) {
        const article = await this.knowledge.findValid(s.articleId, this.clock.now());
        if (!article)
          throw new FieldValidationException([{ field: 'articleId', reason: `no knowledge-base article ${s.articleId} valid today` }]);
        answer ??= article.body;
      }
    } else if (disposition === 'not_accepted') {
      answer = NOT_ACCEPTED_GUIDANCE[s.notAcceptedReason!];
    }

    const citizen = s.citizen && !s.anonymous ? s.citizen : undefined;
    const phoneHash = citizen ? this.pii.phoneHash(citizen.phone) : null;
    const probe = { content: s.content, categoryCode, ...place, lat: s.location.lat, lng: s.location.lng, phoneHash };
    const flags = disposition === 'dispatch' && !s.mergeInto ? await this.duplicates.flagsFor(probe) : [];

    const now = this.clock.now();
    const day = cityDay(now, this.config.CITY_TIME_ZONE);
    // The number comes from a block this process reserved (OrderNumbers), outside the order's
    // transaction: the day's counter row is locked for one statement per block, never for an order
    // (a rolled-back order leaves a gap in the day's numbers, which is allowed; two orders never share a number).
    const orderNo = await this.orderNumbers.next(day);
    const id = randomUUID();
    const ticket: Ticket = Object.assign(new Ticket(), {
      id,
      orderNo,
      channel: s.channel,
      requestType,
      categoryCode,
      urgency,
      content: s.content,
      matchWords: this.duplicates.wordsOf(s.content),
      address: s.location.address,
      districtCode: place.districtCode,
      streetCode: place.streetCode,
      communityCode: place.communityCode,
      lat: s.location.lat ?? null,
      lng: s.location.lng ?? null,
      // Bound to this order and field: copied to another order's row or field, it does not decrypt.
      citizenNameEnc: citizen ? this.pii.encrypt(citizen.name, { record: id, field: 'citizen_name' }) : null,
      citizenPhoneEnc: citizen ? this.pii.encrypt(citizen.phone, { record: id, field: 'citizen_phone' }) : null,
      citizenPhoneHash: phoneHash,
      citizenPhoneMasked: citizen ? maskPhone(citizen.phone) : null,
      citizenNameMasked: citizen ? maskName(citizen.name) : null,
      identityHidden: s.identityHidden ?? false,
      publicWallOptOut: s.publicWallOptOut ?? null,
      smsOptOut: citizen?.smsOptOut ?? false,
      anonymous: !proactive && !!s.anonymous,
      proactive,
      flags,
      disposition: s.mergeInto ? 'merged' : disposition,
      mergedInto: null,
      citizenCount: citizen || s.anonymous ? 1 : 0,
      notAcceptedReason: disposition === 'not_accepted' ? s.notAcceptedReason! : null,
      publicAnswer: answer,
      articleId: disposition === 'answered' ? (s.articleId ?? null) : null,
      suggestedCategory: s.suggestedCategoryCode ?? guess?.categories[0]?.code ?? null,
      locationSource: place.source,
      progress: s.mergeInto ? 'merged' : disposition === 'dispatch' ? 'accepted' : disposition,
      progressCycle: 0,
      progressRank: 0,
      progressAt: null,
      unitId: null,
      unitName: null,
      publicReply: null,
      createdBy: who.id,
      acceptedAt: now,
    });

    // The classifier learns from what staff confirm (or correct); the public form confirms nothing.
    const sample = who.staff && !s.mergeInto && disposition !== 'not_accepted';
    for (;;) {
      try {
        // A transaction only where more than the order's one statement goes with it (`write`).
        const write = () => this.write(who, s, ticket, sample, scope, idem);
        if (idem || s.mergeInto) await this.txHost.withTransaction(write);
        else await write();
        if (sample) this.classifier.learn(ticket.content, ticket.categoryCode, s.suggestedCategoryCode ?? null, ticket.matchWords!);
        return { ticket: toView(ticket), statusToken: this.pii.statusToken(ticket.id), replayed: false };
      } catch (e) {
        if (e instanceof OrderNoTaken) {
          ticket.orderNo = await this.orderNumbers.next(day);
          continue;
        }
        if (e instanceof IdempotencyRace && idem) {
          const earlier = await this.replay(scope, idem);
          if (earlier) return earlier;
        }
        throw e;
      }
    }
  }

  /**
   * Writes the order: its key claimed first when it came with one, then a merge (in the caller's
   * transaction), or the order, its classifier sample and its event in ONE statement
   * (`Outbox.publishWith`: atomic on its own, so the usual submission opens no transaction). Its number
   * taken already rolls it back (`OrderNoTaken`), to be retried with the next.
   */
  private async write(
    who: Submitter,
    s: Submission,
    ticket: Ticket,
    sample: boolean,
    scope: string,
    idem?: IdempotencyInput,
  ): Promise<void> {
    if (idem) {
      const claimed = await this.tickets.claimIdempotencyKey(
        Object.assign(new IdempotencyKey(), { scope, key: idem.key, requestHash: idem.requestHash, ticketId: ticket.id }),
      );
      if (!claimed) throw new IdempotencyRace();
    }
    if (s.mergeInto) return this.merge(who, ticket, s.mergeInto);
    const writes = [this.tickets.insertWrite(ticket)];
    if (sample) writes.push(this.classifier.sampleWrite(ticket.id, ticket.content, ticket.categoryCode, s.suggestedCategoryCode ?? null));
    try {
      const event = announcement(ticket);
      await this.outbox.publishWith(writes, event ? [event] : []);
    } catch (e) {
      if (isUniqueViolation(e, ORDER_NO_UNIQUE)) throw new OrderNoTaken();
      throw e;
    }
  }

  /** Writes a merged contact; its number taken already rolls the transaction back (`OrderNoTaken`), to be retried with the next. */
  private async insert(ticket: Ticket): Promise<void> {
    if (!(await this.tickets.insert(ticket))) throw new OrderNoTaken();
  }

  /** The order an earlier submission with this key created, or null; another body under the key is refused. */
  private async replay(scope: string, idem: IdempotencyInput): Promise<SubmissionResult | null> {
    const row = await this.tickets.findIdempotent(scope, idem.key);
    if (!row) return null;
    if (row.requestHash !== idem.requestHash) {
      throw new ConflictException(`Idempotency-Key ${idem.key} was used for a different request; use a new key for a new request`);
    }
    const t = await this.tickets.findById(row.ticketId);
    return { ticket: toView(t!), statusToken: this.pii.statusToken(t!.id), replayed: true };
  }

  /** 合并: the contact joins an open order; the order counts its citizens and may become repeat/concentrated. */
  private async merge(who: Submitter, contact: Ticket, targetId: string): Promise<void> {
    const target = await this.tickets.lockById(targetId);
    if (!target || (who.districts && !who.districts.includes(target.districtCode))) {
      throw new NotFoundException(`no order ${targetId}`);
    }
    if (target.disposition !== 'dispatch' || target.progress === 'closed') {
      throw new ConflictException(`order ${target.orderNo} is not open (${target.progress}); record a new order instead`);
    }
    const before = await this.tickets.citizensOf([target.id]);
    const repeat = contact.citizenPhoneHash !== null && before.includes(contact.citizenPhoneHash);
    Object.assign(contact, {
      mergedInto: target.id,
      districtCode: target.districtCode,
      streetCode: target.streetCode ?? contact.streetCode,
    });
    await this.insert(contact);
    // A proactive contact (no citizen, not anonymous) adds nobody; an anonymous one adds one.
    const added = contact.citizenPhoneHash ?? (contact.anonymous ? null : undefined);
    const count = this.duplicates.countCitizens(added === undefined ? before : [...before, added]);
    const flags = new Set(target.flags);
    if (repeat) flags.add(TicketFlag.Repeat);
    if (count >= this.config.CONCENTRATED_MIN_CITIZENS) flags.add(TicketFlag.Concentrated);
    await this.tickets.updateMerged(target.id, count, [...flags]);
    await this.outbox.publish('ticket.merged.v1', {
      district: target.districtCode,
      ticketId: target.id,
      occurredAt: contact.acceptedAt,
      data: {
        contactId: contact.id,
        channel: contact.channel,
        citizenCount: Math.max(1, count),
        flags: [...flags],
        mergedAt: contact.acceptedAt.toISOString(),
      },
    });
  }

  private checkContent(s: Submission, problems: FieldError[]): void {
    const max = this.config.MAX_CONTENT_LENGTH;
    if (s.content.length > max)
      problems.push({ field: 'content', reason: `content is ${s.content.length} characters; the limit is ${max}` });
  }

  private checkCitizen(s: Submission, proactive: boolean, problems: FieldError[]): void {
    if (s.anonymous && !ANONYMOUS_CHANNELS.includes(s.channel)) {
      problems.push({
        field: 'anonymous',
        reason: `channel ${s.channel} does not allow a fully anonymous request (allowed: ${ANONYMOUS_CHANNELS.join(', ')}); use identityHidden to keep the citizen from the unit`,
      });
    } else if (s.anonymous && s.citizen) {
      problems.push({ field: 'citizen', reason: 'an anonymous request carries no citizen; leave citizen out or set anonymous to false' });
    } else if (!proactive && !s.anonymous && !s.citizen) {
      problems.push({ field: 'citizen', reason: `citizen (name and phone) is required for channel ${s.channel}` });
    }
  }

  private checkDisposition(s: Submission, proactive: boolean, problems: FieldError[]): 'dispatch' | 'answered' | 'not_accepted' {
    const d = s.disposition ?? 'dispatch';
    if (s.mergeInto && d !== 'dispatch') problems.push({ field: 'mergeInto', reason: `a merged contact cannot also be ${d}` });
    if (d === 'answered' && !s.answer && !s.articleId) {
      problems.push({ field: 'answer', reason: 'an answer (or a knowledge-base articleId) is required when the disposition is answered' });
    }
    if (d === 'answered' && proactive)
      problems.push({ field: 'disposition', reason: `a proactive ${s.channel} order has nobody to answer` });
    if (d !== 'answered' && (s.answer || s.articleId)) {
      problems.push({
        field: s.answer ? 'answer' : 'articleId',
        reason: 'only an order answered at first contact (disposition answered) carries an answer',
      });
    }
    if (d === 'not_accepted' && !s.notAcceptedReason) {
      problems.push({ field: 'notAcceptedReason', reason: 'the reason is required when the disposition is not_accepted' });
    }
    if (d !== 'not_accepted' && s.notAcceptedReason) {
      problems.push({ field: 'notAcceptedReason', reason: 'a reason is only given when the disposition is not_accepted' });
    }
    return d;
  }

  /**
   * District, street and community: as given (checked against each other and the place list), else
   * from the address by the place list, else the city's triage queue.
   */
  private place(
    s: Submission,
    problems: FieldError[],
  ): { districtCode: string; streetCode: string | null; communityCode: string | null; source: LocationSource } {
    const given = s.location.districtCode;
    const city = this.config.CITY_CODE;
    if (given && given.slice(0, 4) !== city.slice(0, 4)) {
      problems.push({ field: 'location.districtCode', reason: `${given} is not a district of city ${city}` });
      return { districtCode: city, streetCode: null, communityCode: null, source: 'triage' };
    }
    if (given && s.location.streetCode && !s.location.streetCode.startsWith(given)) {
      problems.push({ field: 'location.streetCode', reason: `street ${s.location.streetCode} is not in district ${given}` });
    }
    const community = this.givenCommunity(s, problems);
    if (given && given !== city) {
      const r = this.resolver.resolve(s.location.address, given);
      const streetCode = s.location.streetCode ?? community?.street.code ?? r.streetCode;
      const communityCode = community?.community.code ?? (r.streetCode === streetCode ? r.communityCode : null);
      return { districtCode: given, streetCode, communityCode, source: 'given' };
    }
    if (community) {
      return {
        districtCode: community.district.code,
        streetCode: community.street.code,
        communityCode: community.community.code,
        source: 'given',
      };
    }
    const r = this.resolver.resolve(s.location.address);
    if (r.districtCode)
      return { districtCode: r.districtCode, streetCode: r.streetCode, communityCode: r.communityCode, source: 'gazetteer' };
    return { districtCode: city, streetCode: null, communityCode: null, source: 'triage' };
  }

  /** A community given must be on the place list and lie in the street and district given. */
  private givenCommunity(s: Submission, problems: FieldError[]): CommunityLocation | null {
    const code = s.location.communityCode;
    if (!code) return null;
    const field = 'location.communityCode';
    const found = PLACE_INDEX.community(code);
    if (!found) {
      problems.push({ field, reason: `${code} is not a community or village of the city's place list (GET /places)` });
      return null;
    }
    const { streetCode, districtCode } = s.location;
    if (streetCode && found.street.code !== streetCode) {
      problems.push({ field, reason: `community ${code} (${found.community.nameZh}) is not in street ${streetCode}` });
      return null;
    }
    if (districtCode && found.district.code !== districtCode) {
      problems.push({ field, reason: `community ${code} (${found.community.nameZh}) is not in district ${districtCode}` });
      return null;
    }
    return found;
  }
}

/**
 * The citizen can get the survey link by SMS: a mainland mobile (seen on the masked copy, nothing is
 * decrypted), not refused, and someone to ask (not a proactive order).
 */
export function smsReachable(t: Pick<Ticket, 'citizenPhoneMasked' | 'smsOptOut' | 'proactive'>): boolean {
  return !t.proactive && !t.smsOptOut && /^1[3-9]\d\*{4}\d{4}$/.test(t.citizenPhoneMasked ?? '');
}

function placeNameField(name: string | null): { placeName?: string } {
  return name ? { placeName: name } : {};
}

/**
 * The event each disposition publishes, written with the order (none for a merged contact). A refusal
 * (不予受理) publishes `ticket.not-accepted.v1` for the counts only: nothing dispatches it or calls it back.
 */
function announcement(t: Ticket): OutgoingEvent | null {
  // Every disposition's event: the order, at its acceptance, in its district, with what was asked.
  const about = { district: t.districtCode, ticketId: t.id, occurredAt: t.acceptedAt };
  const asked = { orderNo: t.orderNo, channel: t.channel, requestType: t.requestType, categoryCode: t.categoryCode };
  switch (t.disposition) {
    case 'dispatch':
      return {
        type: 'ticket.accepted.v1',
        ...about,
        data: {
          ...asked,
          urgency: t.urgency,
          content: t.content,
          location: {
            address: t.address,
            districtCode: t.districtCode,
            ...(t.streetCode ? { streetCode: t.streetCode } : {}),
            ...(t.communityCode ? { communityCode: t.communityCode } : {}),
            ...(t.lat !== null ? { lat: t.lat } : {}),
            ...(t.lng !== null ? { lng: t.lng } : {}),
          },
          identityHidden: t.identityHidden,
          ...(t.publicWallOptOut !== null ? { publicWallOptOut: t.publicWallOptOut } : {}),
          proactive: t.proactive,
          flags: t.flags,
          ...placeNameField(placeNameOf(t.districtCode, t.streetCode, t.communityCode)),
          smsReachable: smsReachable(t),
          acceptedAt: t.acceptedAt.toISOString(),
        },
      };
    case 'answered':
      return {
        type: 'ticket.answered.v1',
        ...about,
        data: {
          ...asked,
          ...(t.articleId ? { articleId: t.articleId } : {}),
          answer: t.publicAnswer!,
          answeredAt: t.acceptedAt.toISOString(),
        },
      };
    case 'not_accepted':
      return {
        type: 'ticket.not-accepted.v1',
        ...about,
        data: {
          ...asked,
          reason: t.notAcceptedReason!,
          ...(t.streetCode ? { streetCode: t.streetCode } : {}),
          notAcceptedAt: t.acceptedAt.toISOString(),
        },
      };
    case 'merged':
      return null;
  }
}
