import { CLOCK, Clock, Outbox, Principal, TransactionHost, TxHost } from '@app/platform';
import { ConflictException, Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { IntakeConfig } from '../intake.config';
import { INTAKE_CONFIG } from '../intake.tokens';
import { IdempotencyInput } from '../tickets/submission';
import { Ticket } from '../tickets/ticket.entity';
import { TicketsRepository } from '../tickets/tickets.repository';
import { TicketsService } from '../tickets/tickets.service';
import { Supplement } from './supplement.entity';
import { CITIZEN_AUTHOR, SupplementRefusal, supplementRefusal } from './supplement-rule';
import { SupplementsRepository } from './supplements.repository';

export interface SupplementView {
  id: string;
  ticketId: string;
  text: string;
  createdBy: string;
  at: string;
}

/** What the citizen is told after adding to their order: nothing but the order number and the time. */
export interface PublicSupplementReceipt {
  orderNo: string;
  supplementedAt: string;
}

const toView = (s: Supplement): SupplementView => ({
  id: s.id,
  ticketId: s.ticketId,
  text: s.text,
  createdBy: s.createdBy,
  at: s.at.toISOString(),
});

interface Recorded {
  row: Supplement;
  /** True when an Idempotency-Key matched an earlier request: nothing new was stored or published. */
  replayed: boolean;
}

interface Author {
  createdBy: string;
  /** The refusal in this author's words. */
  refusal(t: Ticket, why: SupplementRefusal): Promise<ConflictException>;
  /** At most this many by this author on one order in any 24 hours (none: no limit). */
  perDay?: number;
}

const DAY_MS = 24 * 3600_000;

/** 补充诉求: stored and announced (ticket.supplemented.v1) in one transaction, by an operator or by the citizen. */
@Injectable()
export class SupplementsService {
  constructor(
    @Inject(TransactionHost) private readonly txHost: TxHost,
    private readonly supplements: SupplementsRepository,
    private readonly tickets: TicketsService,
    private readonly ticketRows: TicketsRepository,
    private readonly outbox: Outbox,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(INTAKE_CONFIG) private readonly config: IntakeConfig,
  ) {}

  /** An operator records what the citizen added (told on the phone): the order must be in their districts. */
  async add(
    user: Principal,
    ticketId: string,
    text: string,
    idem?: IdempotencyInput,
  ): Promise<{ supplement: SupplementView; replayed: boolean }> {
    const t = await this.tickets.visibleOrder(user, ticketId);
    const r = await this.record(t.id, text, idem, {
      createdBy: user.id,
      refusal: (o, why) => Promise.resolve(new ConflictException(staffRefusal(o, why))),
    });
    return { supplement: toView(r.row), replayed: r.replayed };
  }

  /**
   * The citizen adds to their own order on the status page, with its number and status token (an
   * unknown number and a wrong token are the same 404). The same rule and transaction as an
   * operator's; refusals in the citizen's words, Chinese first, with a `code` the page can translate;
   * at most PUBLIC_SUPPLEMENT_MAX_PER_DAY in any 24 hours.
   */
  async addPublic(
    orderNo: string,
    token: string,
    text: string,
    idem?: IdempotencyInput,
  ): Promise<{ receipt: PublicSupplementReceipt; replayed: boolean }> {
    const contact = await this.tickets.citizenContact(orderNo, token);
    const max = this.config.PUBLIC_SUPPLEMENT_MAX_PER_DAY;
    const r = await this.record(contact.id, text, idem, {
      createdBy: CITIZEN_AUTHOR,
      refusal: (o, why) => this.citizenRefusal(o, why),
      perDay: max,
    });
    return { receipt: { orderNo: contact.orderNo, supplementedAt: r.row.at.toISOString() }, replayed: r.replayed };
  }

  async list(user: Principal, ticketId: string): Promise<SupplementView[]> {
    await this.tickets.visibleOrder(user, ticketId);
    const rows = await this.supplements.ofTicket(ticketId);
    return rows.map(toView);
  }

  /**
   * The rule, the limit and the write, on the order locked for the transaction: a supplement and the
   * order's closing (or a second supplement with the same key) are taken one after the other. A key
   * seen before answers with the supplement it stored, whatever the order's state since.
   */
  private record(ticketId: string, text: string, idem: IdempotencyInput | undefined, who: Author): Promise<Recorded> {
    return this.txHost.withTransaction(async () => {
      const t = await this.ticketRows.lockById(ticketId);
      if (!t) throw new Error(`order ${ticketId} vanished while a supplement was added`);
      if (idem) {
        const earlier = await this.supplements.findIdempotent(t.id, who.createdBy, idem.key);
        if (earlier) {
          if (earlier.requestHash !== idem.requestHash) {
            throw new ConflictException({
              code: 'idempotency_key_reused',
              message: `Idempotency-Key ${idem.key} was used for a different request; use a new key for a new request`,
            });
          }
          return { row: earlier, replayed: true };
        }
      }
      const why = supplementRefusal(t);
      if (why) throw await who.refusal(t, why);
      const now = this.clock.now();
      if (who.perDay === 0) throw limitReached(0);
      if (who.perDay !== undefined) {
        const recent = await this.supplements.countSince(t.id, who.createdBy, new Date(now.getTime() - DAY_MS));
        if (recent >= who.perDay) throw limitReached(who.perDay);
      }
      const row = Object.assign(new Supplement(), {
        id: randomUUID(),
        ticketId: t.id,
        text,
        createdBy: who.createdBy,
        at: now,
        idempotencyKey: idem?.key ?? null,
        requestHash: idem?.requestHash ?? null,
      });
      await this.supplements.insert(row);
      await this.outbox.publish('ticket.supplemented.v1', {
        district: t.districtCode,
        ticketId: t.id,
        occurredAt: row.at,
        data: { text, supplementedAt: row.at.toISOString() },
      });
      return { row, replayed: false };
    });
  }

  /**
   * Why the citizen cannot add to this request, in their words. A merged contact is told the number of
   * the order it joined (the status page shows it already), nothing else of that order: its token is
   * another citizen's, so the way to add to it is the hotline.
   */
  private async citizenRefusal(t: Ticket, why: SupplementRefusal): Promise<ConflictException> {
    switch (why) {
      case 'merged': {
        const target = t.mergedInto ? await this.ticketRows.findById(t.mergedInto) : null;
        const no = target?.orderNo ?? '';
        return new ConflictException({
          code: 'supplement_merged',
          message: `您的诉求已并入工单 ${no} 一并办理，不能在这里补充；请拨打 12345 说明您要补充的情况 your request was merged into order ${no} and is handled with it: call 12345 to add to it`,
        });
      }
      case 'answered':
        return new ConflictException({
          code: 'supplement_answered',
          message:
            '您的诉求已在受理时直接答复，没有办理单位跟进，不能补充；如有新情况，请重新反映 your request was answered when it was received and no unit handles it: submit a new request',
        });
      case 'not_accepted':
        return new ConflictException({
          code: 'supplement_not_accepted',
          message: '您的诉求不予受理，不能补充 your request was not accepted, so nothing can be added to it',
        });
      case 'closed':
        return new ConflictException({
          code: 'supplement_closed',
          message:
            '工单已办结，不能再补充；如问题仍未解决，请重新反映或拨打 12345 the order is closed: if the problem remains, submit a new request or call 12345',
        });
    }
  }
}

function staffRefusal(t: Ticket, why: SupplementRefusal): string {
  switch (why) {
    case 'merged':
      return `order ${t.orderNo} was merged into ${t.mergedInto}: supplement that order`;
    case 'answered':
      return `order ${t.orderNo} was answered at first contact: record a new contact`;
    case 'not_accepted':
      return `order ${t.orderNo} was not accepted: record a new contact`;
    case 'closed':
      return `order ${t.orderNo} is closed: record a new contact`;
  }
}

function limitReached(max: number): ConflictException {
  if (max === 0) {
    return new ConflictException({
      code: 'supplement_off',
      message: '网上补充暂不开放，请拨打 12345 补充 adding to a request online is turned off: call 12345 to add to it',
    });
  }
  return new ConflictException({
    code: 'supplement_limit',
    message: `同一工单 24 小时内最多在网上补充 ${max} 次；情况紧急请拨打 12345 at most ${max} additions to one order in 24 hours; if it is urgent, call 12345`,
  });
}
