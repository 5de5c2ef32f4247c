import 'reflect-metadata';
import { EventEnvelope } from '@app/contracts';
import { effectOf, MergeChange } from './fact-effects';
import { FactRow, mergeFact } from './fact-merge';

/** sla.clocks-set.v1 of cycle 1, set at `at`. */
function clocksSet(at: string, respondDueAt: string | undefined, finishDueAt: string): EventEnvelope {
  return {
    id: at,
    type: 'sla.clocks-set.v1',
    version: 1,
    occurredAt: at,
    district: '630104',
    ticketId: 't1',
    producer: 'sla',
    data: { cycle: 1, unitId: 'u1', finishDueAt, finishWarnAt: finishDueAt, ...(respondDueAt ? { respondDueAt } : {}) },
  } as unknown as EventEnvelope;
}

const apply = (events: EventEnvelope[]): FactRow =>
  events.reduce<FactRow>((row, e) => mergeFact(row, (effectOf(e).change as MergeChange).values), {
    ticket_id: 't1',
    district_code: '630104',
  });

describe('the first cycle’s due times in the facts (the on-time rates compare with them)', () => {
  const dispatched = clocksSet('2026-03-02T02:00:01.000Z', '2026-03-03T02:00:00.000Z', '2026-03-09T02:00:00.000Z');
  // A merge made the order 双交办: sla brought both forward (12 h / 3 working days).
  const tightened = clocksSet('2026-03-02T05:00:00.000Z', '2026-03-02T14:00:00.000Z', '2026-03-05T02:00:00.000Z');
  // An extension granted later moves the finish due time out again; the respond clock had stopped.
  const extended = clocksSet('2026-03-04T01:00:00.000Z', undefined, '2026-03-10T02:00:00.000Z');

  it('follow their latest setting, earlier or later, whatever order the events arrive in', () => {
    for (const order of [
      [dispatched, tightened],
      [tightened, dispatched],
    ]) {
      const row = apply(order);
      expect(row.respond_due_at).toEqual(new Date('2026-03-02T14:00:00Z'));
      expect(row.first_finish_due_at).toEqual(new Date('2026-03-05T02:00:00Z'));
    }
    const row = apply([extended, dispatched, tightened]);
    expect(row.first_finish_due_at).toEqual(new Date('2026-03-10T02:00:00Z'));
    // The extension carried no respond due time: the latest one set stays.
    expect(row.respond_due_at).toEqual(new Date('2026-03-02T14:00:00Z'));
  });

  it('leave a later cycle’s due times to the wall’s columns', () => {
    const e = clocksSet('2026-03-12T01:00:00.000Z', '2026-03-13T01:00:00.000Z', '2026-03-19T01:00:00.000Z');
    (e.data as { cycle: number }).cycle = 2;
    const row = apply([dispatched, e]);
    expect(row.first_finish_due_at).toEqual(new Date('2026-03-09T02:00:00Z'));
    expect(row.finish_due_at).toEqual(new Date('2026-03-19T01:00:00Z'));
  });
});
