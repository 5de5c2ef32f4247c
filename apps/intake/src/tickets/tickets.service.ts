import { Channel, RevealCitizenContactQueryV1, RevealCitizenContactReplyV1, TicketFlag, Urgency } from '@app/contracts';
import { CLOCK, Clock, districtScope, FieldValidationException, inDistrict, Outbox, Principal } from '@app/platform';
import { ForbiddenException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { maskName, maskPhone, PiiCipher } from '../citizens/pii.service';
import { INTAKE_CONFIG } from '../intake.tokens';
import { IntakeConfig } from '../intake.config';
import { CreateTicketDto } from './create-ticket.dto';
import { RevealAudit, Ticket } from './ticket.entity';
import { TicketsRepository } from './tickets.repository';

/** Channels whose orders are raised by staff before anyone complains (未诉先办): no citizen. */
export const PROACTIVE_CHANNELS: readonly Channel[] = [Channel.GridWorker, Channel.VideoPatrol];

export interface RevealView {
  requestedBy: string;
  role: string;
  purpose: string;
  granted: boolean;
  at: string;
}

export interface TicketView {
  id: string;
  orderNo: string;
  channel: Channel;
  requestType: string;
  categoryCode: string;
  urgency: string;
  content: string;
  location: {
    address: string;
    districtCode: string;
    streetCode: string | null;
    communityCode: string | null;
    lat: number | null;
    lng: number | null;
  };
  citizen: { name: string | null; phone: string | null } | null;
  identityHidden: boolean;
  proactive: boolean;
  flags: TicketFlag[];
  acceptedAt: string;
}

/** `YYYYMMDD` of an instant in the city's time zone. */
export function cityDay(at: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(at);
  const get = (t: string) => parts.find((p) => p.type === t)!.value;
  return `${get('year')}${get('month')}${get('day')}`;
}

@Injectable()
export class TicketsService {
  constructor(
    private readonly tickets: TicketsRepository,
    private readonly outbox: Outbox,
    private readonly pii: PiiCipher,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(INTAKE_CONFIG) private readonly config: IntakeConfig,
  ) {}

  async create(user: Principal, dto: CreateTicketDto): Promise<TicketView> {
    const proactive = PROACTIVE_CHANNELS.includes(dto.channel);
    const problems = [];
    if (dto.content.length > this.config.MAX_CONTENT_LENGTH) {
      problems.push({
        field: 'content',
        reason: `content is ${dto.content.length} characters; the limit is ${this.config.MAX_CONTENT_LENGTH}`,
      });
    }
    if (!proactive && !dto.citizen) {
      problems.push({ field: 'citizen', reason: `citizen (name and phone) is required for channel ${dto.channel}` });
    }
    const district = dto.location.districtCode;
    if (district.slice(0, 4) !== this.config.CITY_CODE.slice(0, 4)) {
      problems.push({ field: 'location.districtCode', reason: `${district} is not a district of city ${this.config.CITY_CODE}` });
    }
    if (dto.location.streetCode && !dto.location.streetCode.startsWith(district)) {
      problems.push({ field: 'location.streetCode', reason: `street ${dto.location.streetCode} is not in district ${district}` });
    }
    if (problems.length) throw new FieldValidationException(problems);
    if (!inDistrict(user, district) && !inDistrict(user, this.config.CITY_CODE)) {
      throw new ForbiddenException(`you may not record orders for district ${district}`);
    }

    const now = this.clock.now();
    const day = cityDay(now, this.config.CITY_TIME_ZONE);
    const citizen = dto.citizen;
    // The number is taken in its own short statement, not inside the order's transaction: the day's
    // counter row is then locked for one statement, not for the whole order (a rolled-back order
    // leaves a gap in the day's numbers, which is allowed; two orders never share a number).
    const seq = await this.tickets.nextOrderSequence(`${day.slice(0, 4)}-${day.slice(4, 6)}-${day.slice(6)}`);
    return this.tickets.transaction(async (m) => {
      const ticket: Ticket = Object.assign(new Ticket(), {
        id: randomUUID(),
        orderNo: `${day}-${String(seq).padStart(6, '0')}`,
        channel: dto.channel,
        requestType: dto.requestType,
        categoryCode: dto.categoryCode,
        urgency: dto.urgency ?? Urgency.Ordinary,
        content: dto.content,
        address: dto.location.address,
        districtCode: district,
        streetCode: dto.location.streetCode ?? null,
        communityCode: dto.location.communityCode ?? null,
        lat: dto.location.lat ?? null,
        lng: dto.location.lng ?? null,
        citizenNameEnc: citizen ? this.pii.encrypt(citizen.name) : null,
        citizenPhoneEnc: citizen ? this.pii.encrypt(citizen.phone) : null,
        citizenPhoneHash: citizen ? this.pii.phoneHash(citizen.phone) : null,
        citizenPhoneMasked: citizen ? maskPhone(citizen.phone) : null,
        citizenNameMasked: citizen ? maskName(citizen.name) : null,
        identityHidden: dto.identityHidden ?? false,
        proactive,
        flags: [],
        createdBy: user.id,
        acceptedAt: now,
      });
      await this.tickets.insert(m, ticket);
      await this.outbox.publish(m, 'ticket.accepted.v1', {
        district,
        ticketId: ticket.id,
        occurredAt: now,
        data: {
          orderNo: ticket.orderNo,
          channel: ticket.channel,
          requestType: ticket.requestType,
          categoryCode: ticket.categoryCode,
          urgency: ticket.urgency,
          content: ticket.content,
          location: {
            address: ticket.address,
            districtCode: district,
            ...(ticket.streetCode ? { streetCode: ticket.streetCode } : {}),
            ...(ticket.communityCode ? { communityCode: ticket.communityCode } : {}),
            ...(ticket.lat !== null ? { lat: ticket.lat } : {}),
            ...(ticket.lng !== null ? { lng: ticket.lng } : {}),
          },
          identityHidden: ticket.identityHidden,
          proactive,
          flags: ticket.flags,
          acceptedAt: now.toISOString(),
        },
      });
      return toView(ticket);
    });
  }

  async get(user: Principal, id: string): Promise<TicketView> {
    const t = await this.tickets.findById(id);
    if (!t || !inDistrict(user, t.districtCode)) throw new NotFoundException(`no order ${id}`);
    return toView(t);
  }

  async list(user: Principal, districtCode: string | undefined, limit: number): Promise<TicketView[]> {
    return (await this.tickets.list(districtScope(user), districtCode, limit)).map(toView);
  }

  async reveals(user: Principal, id: string): Promise<RevealView[]> {
    await this.get(user, id);
    return (await this.tickets.reveals(id)).map((r) => ({
      requestedBy: r.requestedBy,
      role: r.role,
      purpose: r.purpose,
      granted: r.granted,
      at: r.at.toISOString(),
    }));
  }

  /**
   * Decrypt a citizen's contact for someone who must call them, and audit the attempt. A handler
   * never sees a citizen who asked to stay hidden from the unit; callback agents still do.
   */
  async reveal(q: RevealCitizenContactQueryV1): Promise<RevealCitizenContactReplyV1> {
    const t = await this.tickets.findById(q.ticketId);
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

export function toView(t: Ticket): TicketView {
  return {
    id: t.id,
    orderNo: t.orderNo,
    channel: t.channel,
    requestType: t.requestType,
    categoryCode: t.categoryCode,
    urgency: t.urgency,
    content: t.content,
    location: {
      address: t.address,
      districtCode: t.districtCode,
      streetCode: t.streetCode,
      communityCode: t.communityCode,
      lat: t.lat,
      lng: t.lng,
    },
    citizen: t.citizenPhoneMasked ? { name: t.citizenNameMasked, phone: t.citizenPhoneMasked } : null,
    identityHidden: t.identityHidden,
    proactive: t.proactive,
    flags: t.flags,
    acceptedAt: t.acceptedAt.toISOString(),
  };
}
