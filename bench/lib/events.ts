/**
 * A seeded stream of analytics-relevant events shaped like a hotline year: per order accepted,
 * dispatched (15 % re-dispatched to another unit), clocks set, contacted, replied, reviewed (12 %
 * sent back), called back (8 % of callbacks failed), closed; 5 % answered at first contact instead
 * (never dispatched); 6 % breached, 4 % with a merged contact; and
 * one event in a thousand invalid (the replay skips what the live consumers would dead-letter).
 * Every envelope passes the contracts' validators.
 */
import { randomUUID } from 'node:crypto';

export interface GeneratedEvent {
  subject: string;
  body: string;
  id: string;
}

const DISTRICTS = ['630102', '630103', '630104', '630105', '630121', '630122', '630123'];
const CATEGORIES = ['noise', 'heating', 'lift', 'garbage', 'wage_arrears', 'water', 'street_vendors', 'property', 'parking', 'road'];
const CHANNELS = ['phone_12345', 'phone_12345', 'phone_12345', 'web', 'mayor_mailbox', 'grid_worker'];
const YEAR = Date.parse('2025-01-01T00:00:00+08:00');
const HOUR = 3_600_000;
const POLICY = '6b0f2a8e-0d3c-4c1e-9a51-000000000001';
const CONTENTS: Record<string, string> = Object.fromEntries(
  CATEGORIES.map((c) => [c, `市民来电反映${c}问题，已持续多日，影响正常生活，希望相关部门尽快处理。`]),
);

function random(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 2 ** 32;
  };
}

export class EventFactory {
  private readonly rnd: () => number;
  private readonly units = new Map<string, string[]>();
  private n = 0;
  readonly typeCounts = new Map<string, number>();
  /** Events made invalid on purpose (what the replay must skip, and nothing else). */
  invalid = 0;

  constructor(
    private readonly prefix: string,
    seed = 17,
  ) {
    this.rnd = random(seed);
    for (const d of DISTRICTS)
      this.units.set(
        d,
        Array.from({ length: 19 }, () => randomUUID()),
      );
  }

  private pick<T>(xs: T[]): T {
    return xs[Math.floor(this.rnd() * xs.length)];
  }

  /** The events of the next order, in the order the services would publish them. */
  nextOrder(): GeneratedEvent[] {
    const n = ++this.n;
    const ticketId = randomUUID();
    const accepted = this.pick(DISTRICTS);
    const district = accepted;
    const t0 = YEAR + Math.floor(this.rnd() * 364 * 24) * HOUR + Math.floor(this.rnd() * HOUR);
    const at = (hours: number) => new Date(t0 + hours * HOUR).toISOString();
    const out: GeneratedEvent[] = [];
    const ev = (type: string, hours: number, data: object, under = district) => {
      const id = randomUUID();
      const envelope = { id, type, version: 1, occurredAt: at(hours), district: under, ticketId, producer: 'bench', data };
      out.push({ subject: `${this.prefix}.${under}.${type}`, body: JSON.stringify(envelope), id });
      this.typeCounts.set(type, (this.typeCounts.get(type) ?? 0) + 1);
    };
    const day = new Date(t0 + 8 * HOUR).toISOString().slice(0, 10).replaceAll('-', '');
    const orderNo = `${day}-${String(n % 1_000_000).padStart(6, '0')}`;
    const category = this.pick(CATEGORIES);
    const channel = this.pick(CHANNELS);
    if (this.rnd() < 0.05) {
      ev(
        'ticket.answered.v1',
        0,
        { orderNo, channel, requestType: 'inquiry', categoryCode: category, answer: '已答复', answeredAt: at(0) },
        accepted,
      );
      if (this.rnd() < 0.5) {
        ev(
          'callback.completed.v1',
          24,
          {
            taskId: randomUUID(),
            unitId: this.pick(this.units.get(accepted)!),
            cycle: 1,
            completedAt: at(24),
            contacted: true,
            resolved: true,
            satisfaction: 'satisfied',
            channel: 'phone',
            kind: 'first_contact',
          },
          accepted,
        );
      }
      return out;
    }
    const street = this.rnd() < 0.85 ? `${accepted}${String(1 + Math.floor(this.rnd() * 10)).padStart(3, '0')}` : undefined;
    ev(
      'ticket.accepted.v1',
      0,
      {
        orderNo,
        channel,
        categoryCode: category,
        requestType: this.rnd() < 0.7 ? 'complaint' : 'help',
        urgency: this.rnd() < 0.05 ? 'urgent' : 'ordinary',
        acceptedAt: at(0),
        content: CONTENTS[category],
        location: street
          ? {
              districtCode: accepted,
              streetCode: street,
              communityCode: `${street}001`,
              address: '西宁市某小区3号楼',
              lat: 36.6 + this.rnd() / 10,
              lng: 101.7 + this.rnd() / 10,
            }
          : { districtCode: accepted, address: '西宁市' },
        proactive: channel === 'grid_worker',
        identityHidden: this.rnd() < 0.1,
        flags: [],
      },
      accepted,
    );
    const dispatch = (unitId: string, hours: number) =>
      ev('ticket.dispatched.v1', hours, {
        assignmentId: randomUUID(),
        unitId,
        unitName: `单位${unitId.slice(0, 4)}`,
        districtCode: district,
        categoryCode: category,
        requestType: 'complaint',
        urgency: 'ordinary',
        flags: [],
        cycle: 1,
        dispatchedAt: at(hours),
      });
    let unit = this.pick(this.units.get(district)!);
    dispatch(unit, 1);
    ev('sla.clocks-set.v1', 1, { unitId: unit, policyId: POLICY, cycle: 1, respondDueAt: at(25), finishDueAt: at(1 + 24 * 5) });
    if (this.rnd() < 0.15) {
      unit = this.pick(this.units.get(district)!);
      dispatch(unit, 5);
    }
    const contactAt = 2 + this.rnd() * 30;
    ev('ticket.contacted.v1', contactAt, { assignmentId: randomUUID(), unitId: unit, method: 'phone', contactedAt: at(contactAt) });
    if (this.rnd() < 0.06) {
      ev('sla.breached.v1', 26, {
        clockId: randomUUID(),
        kind: this.rnd() < 0.5 ? 'respond' : 'finish',
        unitId: unit,
        cycle: 1,
        dueAt: at(25),
        breachedAt: at(26),
      });
    }
    if (this.rnd() < 0.04) ev('ticket.merged.v1', 8, { contactId: randomUUID(), channel: 'phone_12345', citizenCount: 2, mergedAt: at(8) });
    const replyAt = 24 + this.rnd() * 150;
    const assignment = { assignmentId: randomUUID(), unitId: unit, outcome: 'resolved', cycle: 1 };
    ev('ticket.replied.v1', replyAt, { ...assignment, repliedAt: at(replyAt), replyText: '已处理完毕，已与市民沟通。' });
    ev('ticket.reviewed.v1', replyAt + 1, {
      ...assignment,
      decision: this.rnd() < 0.12 ? 'sent_back' : 'approved',
      reviewedBy: 'reviewer',
      reviewedAt: at(replyAt + 1),
    });
    const unreachable = this.rnd() < 0.08;
    if (unreachable) {
      ev('callback.failed.v1', replyAt + 20, {
        taskId: randomUUID(),
        unitId: unit,
        cycle: 1,
        attempts: 3,
        reason: '无人接听',
        failedAt: at(replyAt + 20),
        kind: 'reply',
      });
    } else {
      ev('callback.completed.v1', replyAt + 20, {
        taskId: randomUUID(),
        unitId: unit,
        cycle: 1,
        completedAt: at(replyAt + 20),
        contacted: true,
        resolved: this.rnd() < 0.8,
        satisfaction: this.pick(['satisfied', 'satisfied', 'basically_satisfied', 'unsatisfied']),
        channel: 'phone',
        kind: 'reply',
      });
    }
    ev('ticket.closed.v1', replyAt + 21, {
      unitId: unit,
      outcome: 'resolved',
      closeReason: unreachable ? 'callback_unreachable' : 'callback_satisfied',
      cycle: 1,
      closedAt: at(replyAt + 21),
    });
    if (this.rnd() < 0.001) {
      // what a live consumer would dead-letter: a payload that fails its validator
      this.invalid++;
      out.push({
        subject: `${this.prefix}.${district}.ticket.closed.v1`,
        body: JSON.stringify({ id: randomUUID(), type: 'ticket.closed.v1' }),
        id: randomUUID(),
      });
    }
    return out;
  }
}
