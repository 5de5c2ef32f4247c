/**
 * Time limits on the statutory calendar with time moved by hand: an order dispatched on the last
 * working day before the 2025 National Day holiday, its due times, and the warning and breach that
 * the tick fires as the clock passes them — seen in sla, dispatch and analytics.
 */
import { bootPlatform, eventually, Platform, submitTicket } from './platform';

jest.setTimeout(120_000);

let p: Platform;
const HOUR = 3_600_000;
// Tuesday 30 September 2025, 10:00 in Xining: 1–8 October are holidays, Saturday 11 October works.
const DISPATCH_AT = new Date('2025-09-30T10:00:00+08:00');

beforeAll(async () => {
  p = await bootPlatform({ start: DISPATCH_AT, allOnManualClock: true });
});

afterAll(async () => {
  await p?.close();
});

interface Clock {
  kind: string;
  dueAt: string;
  warnedAt: string | null;
  breachedAt: string | null;
  stoppedAt: string | null;
}

describe('time limits across the National Day holiday', () => {
  let id: string;
  const clocks = () => p.as('supervisor', 'sla').get(`/clocks?ticketId=${id}`);

  it('counts 5 working days over the holiday and 24 wall-clock hours for the response', async () => {
    const t = await submitTicket(p, {
      categoryCode: 'wage_arrears',
      content: '工地拖欠农民工工资77508元，多次讨要未果',
      citizen: { name: '马师傅', phone: '13909712345' },
      location: { address: '西宁市城西区通海路工地', districtCode: '630104' },
    });
    id = t.id;
    expect(t.orderNo).toMatch(/^20250930-/);
    const cs = await eventually<Clock[]>(clocks, (x) => x.length === 2, 'two clocks');
    const byKind = Object.fromEntries(cs.map((c) => [c.kind, c]));
    expect(byKind.respond.dueAt).toBe(new Date(DISPATCH_AT.getTime() + 24 * HOUR).toISOString());
    // 9, 10, 11 (adjusted working Saturday), 13, 14 October: due Tuesday 14 October, 10:00 local.
    expect(byKind.finish.dueAt).toBe(new Date('2025-10-14T10:00:00+08:00').toISOString());
    const order = await eventually<{ finishDueAt: string }>(
      () => p.as('dispatcher', 'dispatch').get(`/orders/${id}`),
      (o) => !!o.finishDueAt,
      'due time in dispatch',
    );
    expect(order.finishDueAt).toBe(byKind.finish.dueAt);
  });

  it('fires nothing before the warning point', async () => {
    p.slaClock.advance(17 * HOUR);
    const tick = await p.as('admin', 'sla').post('/admin/tick').expect(200);
    expect(tick.body).toEqual({ warnings: 0, breaches: 0 });
  });

  it('warns at 75% of the response limit, once', async () => {
    p.slaClock.advance(2 * HOUR); // 19 h elapsed ≥ 18 h
    expect((await p.as('admin', 'sla').post('/admin/tick').expect(200)).body).toEqual({ warnings: 1, breaches: 0 });
    expect((await p.as('admin', 'sla').post('/admin/tick').expect(200)).body).toEqual({ warnings: 0, breaches: 0 });
    const cs = (await clocks().expect(200)).body as Clock[];
    expect(cs.find((c) => c.kind === 'respond')?.warnedAt).not.toBeNull();
    expect(cs.find((c) => c.kind === 'finish')?.warnedAt).toBeNull();
  });

  it('breaches the response limit at its due time, and analytics counts the order as not responded in time', async () => {
    p.slaClock.advance(6 * HOUR); // 25 h
    expect((await p.as('admin', 'sla').post('/admin/tick').expect(200)).body).toEqual({ warnings: 0, breaches: 1 });
    await p.as('handlerMarket', 'dispatch').get(`/orders/${id}`).expect(404); // not its unit: wage arrears go to HR
    // The dispatched, never contacted order made 0/1 before the tick too: wait for the breach itself.
    const rates = await eventually<{ rates: { response: { numerator: number; denominator: number } }; events: Record<string, number> }>(
      () => p.as('analyst', 'analytics').get('/rates?from=2025-09-01&to=2025-10-31&districtCode=630104'),
      (r) => r.rates.response.denominator === 1 && r.events['sla.breached.v1'] === 1,
      'the dispatched order and its breach in analytics',
    );
    expect(rates.rates.response.numerator).toBe(0);
  });

  it('warns and then breaches the finish limit when the holiday is over', async () => {
    p.slaClock.set(new Date('2025-10-13T12:00:00+08:00'));
    expect((await p.as('admin', 'sla').post('/admin/tick').expect(200)).body).toEqual({ warnings: 1, breaches: 0 });
    p.slaClock.set(new Date('2025-10-14T10:00:00+08:00'));
    expect((await p.as('admin', 'sla').post('/admin/tick').expect(200)).body).toEqual({ warnings: 0, breaches: 1 });
    const cs = (await clocks().expect(200)).body as Clock[];
    expect(cs.every((c) => c.breachedAt !== null)).toBe(true);
  });
});
