/**
 * 转办 and the unit held to the time limit: an order dispatched to the market-regulation bureau (A)
 * and re-dispatched within its cycle to the city-management bureau (B). The clock keeps running from
 * the first dispatch, but it is B, the unit that holds the order now, that sla warns, breaches,
 * escalates and puts on the supervision list (an item already open moves with the order), and
 * analytics counts the order for B in the per-unit figures while the district's stay as they were.
 * A late copy of the older dispatch to A moves neither back, and a replay of the stream gives the
 * same read model. The five services run on one
 * ManualClock from Monday 9 March 2026, 10:00 in Xining (no holiday until April).
 */
import { loadConfig } from '@app/platform';
import { randomUUID } from 'node:crypto';
import { AnalyticsConfig } from '../../apps/analytics/src/analytics.config';
import { replayAnalytics } from '../../apps/analytics/src/replay/replay';
import { U } from './dispatch-helpers';
import { waitFor } from '@app/platform/testing';
import { analyticsReadModel, bootPlatform, consumersSettled, eventually, Platform, publishRaw, settled, submitTicket } from './platform';

jest.setTimeout(180_000);

const T0 = new Date('2026-03-09T10:00:00+08:00');
const L = (local: string) => new Date(`${local}+08:00`).toISOString();
const A = U.market;
const B = U.cityMgmt;
const PERIOD = 'from=2026-03-09&to=2026-03-31&districtCode=630104';

let p: Platform;
beforeAll(async () => {
  p = await bootPlatform({ start: T0, allOnManualClock: true });
});
afterAll(async () => {
  await p?.close();
});

interface ClockRow {
  kind: string;
  cycle: number;
  unitId: string;
  startedAt: string;
  dueAt: string;
  stoppedAt: string | null;
  breachedAt: string | null;
}
interface Item {
  id: string;
  ticketId: string;
  unitId: string;
  reason: string;
  level: string;
  actions?: { action: string; note: string | null }[];
}
interface Breakdown {
  rows: {
    key: string;
    label: string;
    volumes: Record<string, number>;
    rates: Record<string, { numerator: number; denominator: number }>;
  }[];
}

const sla = () => p.as('supervisor', 'sla');
const clocks = (id: string) => sla().get(`/clocks?ticketId=${id}`);
const clockOf = (cs: ClockRow[], kind: string) => cs.find((c) => c.kind === kind && c.cycle === 1)!;
const tickAt = async (local: string) => {
  p.slaClock.set(new Date(`${local}+08:00`));
  await p.as('admin', 'sla').post('/admin/tick').expect(200);
};
const items = async (unitId: string) => (await sla().get(`/supervision?unitId=${unitId}`).expect(200)).body as Item[];

async function newOrder(content: string, phone: string): Promise<string> {
  const { id } = await submitTicket(p, {
    content,
    citizen: { name: '刘晓梅', phone },
    location: { address: '西宁市城西区胜利路12号', districtCode: '630104', streetCode: '630104004' },
  });
  const o = await eventually<{ unitId: string; finishDueAt: string | null }>(
    () => p.as('dispatcher', 'dispatch').get(`/orders/${id}`),
    (x) => !!x.finishDueAt,
    `order ${content} dispatched with its due time`,
  );
  expect(o.unitId).toBe(A);
  return id;
}

const redispatch = (id: string, reason: string) =>
  p.as('dispatcher', 'dispatch').post(`/orders/${id}/redispatch`, { unitId: B, reason }).expect(200);

/** What sla published about an order, with the unit each event names. */
async function slaEvents(ticketId: string): Promise<{ type: string; kind: string; unitId: string; detail: string }[]> {
  const r = await p.db.query<{ type: string; kind: string; unit: string; detail: string | null }>(
    `SELECT type, envelope->'data'->>'kind' AS kind, envelope->'data'->>'unitId' AS unit,
            coalesce(envelope->'data'->>'rule', envelope->'data'->>'target', envelope->'data'->>'reason') AS detail
       FROM sla.outbox WHERE envelope->>'ticketId' = $1 AND type <> 'sla.clocks-set.v1' ORDER BY seq`,
    [ticketId],
  );
  return r.rows.map((x) => ({ type: x.type, kind: x.kind ?? '', unitId: x.unit, detail: x.detail ?? '' }));
}

/** Publish ticket.dispatched.v1 straight to JetStream (a late copy of an older dispatch); returns the event id. */
function publishDispatched(ticketId: string, unitId: string, unitName: string, dispatchedAt: Date): Promise<string> {
  return publishRaw(p.env, {
    type: 'ticket.dispatched.v1',
    district: '630104',
    ticketId,
    occurredAt: dispatchedAt,
    producer: 'test',
    data: {
      assignmentId: randomUUID(),
      unitId,
      unitName,
      districtCode: '630104',
      streetCode: '630104004',
      categoryCode: 'lift',
      requestType: 'complaint',
      urgency: 'ordinary',
      flags: [],
      cycle: 1,
      dispatchedAt: dispatchedAt.toISOString(),
    },
  });
}

async function applied(schema: 'sla' | 'analytics', eventId: string): Promise<void> {
  await waitFor(
    async () =>
      (
        await p.db.query(`SELECT 1 FROM ${schema}.inbox WHERE consumer = $1 AND event_id = $2`, [
          `${schema}__ticket_dispatched_v1`,
          eventId,
        ])
      ).rowCount,
    (n) => !!n,
    { what: `${schema} to apply event ${eventId}`, timeoutMs: 20_000 },
  );
}

describe('转办: the unit holding the order now is the one held to its time limit', () => {
  const id = { x: '', y: '' };

  it('moves the running clocks to the new unit; the clock still runs from the first dispatch', async () => {
    id.x = await newOrder('电梯困人，物业不处理', '13897002001');
    id.y = await newOrder('电梯异响，运行不稳', '13897002002');
    // A signs for X and contacts the citizen: X's respond clock stops under A.
    await p.as('handlerMarket', 'dispatch').post(`/orders/${id.x}/sign`).expect(200);
    await p.as('handlerMarket', 'dispatch').post(`/orders/${id.x}/contact`, { method: 'phone' }).expect(200);
    await eventually<ClockRow[]>(
      () => clocks(id.x),
      (cs) => clockOf(cs, 'respond')?.stoppedAt != null,
      'X respond clock stopped',
    );

    p.slaClock.set(new Date('2026-03-09T11:00:00+08:00'));
    await redispatch(id.x, '涉及占道经营，转城管局');
    const cs = await eventually<ClockRow[]>(
      () => clocks(id.x),
      (c) => clockOf(c, 'finish')?.unitId === B,
      'X finish clock names the city-management bureau',
    );
    // The time limit is not restarted: 5 working days from the first dispatch.
    expect(clockOf(cs, 'finish')).toMatchObject({
      unitId: B,
      startedAt: T0.toISOString(),
      dueAt: L('2026-03-16T10:00:00'),
      stoppedAt: null,
    });
    // The respond clock had stopped under A (A contacted the citizen): it keeps A.
    expect(clockOf(cs, 'respond')).toMatchObject({ unitId: A, stoppedAt: T0.toISOString() });
  });

  it('ignores a late copy of the older dispatch to A', async () => {
    const late = await publishDispatched(id.x, A, '城西区市场监督管理局', T0);
    await applied('sla', late);
    await applied('analytics', late);
    const cs = (await clocks(id.x).expect(200)).body as ClockRow[];
    expect(clockOf(cs, 'finish')).toMatchObject({ unitId: B, startedAt: T0.toISOString(), dueAt: L('2026-03-16T10:00:00') });
    const fact = await p.db.query<{ unit_id: string }>('SELECT unit_id FROM analytics.ticket_fact WHERE ticket_id = $1', [id.x]);
    expect(fact.rows[0].unit_id).toBe(B);
  });

  it('moves an open supervision item with the order, and escalates the new unit', async () => {
    // Y: A never contacts the citizen; the respond clock breaches after 24 h and A goes on the list.
    await tickAt('2026-03-10T10:00:00');
    const [opened] = await eventually<Item[]>(
      () => sla().get(`/supervision?unitId=${A}&reason=overdue`),
      (xs) => xs.some((i) => i.ticketId === id.y),
      'Y on the supervision list under A',
    );
    expect(opened).toMatchObject({ ticketId: id.y, unitId: A, level: 'unit' });

    p.slaClock.set(new Date('2026-03-10T11:00:00+08:00'));
    await redispatch(id.y, '属占道经营，转城管局');
    await eventually<Item[]>(
      () => sla().get(`/supervision?unitId=${B}&reason=overdue`),
      (xs) => xs.some((i) => i.id === opened.id),
      'the item moved to B',
    );
    expect((await items(A)).map((i) => i.ticketId)).not.toContain(id.y);
    const cs = (await clocks(id.y).expect(200)).body as ClockRow[];
    // Y's respond clock still runs (breached, climbing the ladder), so it moves to B with the finish clock.
    expect(clockOf(cs, 'respond')).toMatchObject({ unitId: B, stoppedAt: null, breachedAt: L('2026-03-10T10:00:00') });
    expect(clockOf(cs, 'finish')).toMatchObject({ unitId: B, startedAt: T0.toISOString() });

    // One working day after the due time the district escalation fires: it names B.
    await tickAt('2026-03-11T10:00:00');
    const item = (await sla().get(`/supervision/${opened.id}`).expect(200)).body as Item;
    expect(item).toMatchObject({ unitId: B, level: 'district' });
    expect(item.actions!.map((a) => a.action)).toEqual(['opened', 'escalated', 'reassigned', 'escalated']);
    // named for the supervisor, not by unit ids
    expect(item.actions!.find((a) => a.action === 'reassigned')!.note).toBe(
      '随工单转办至城西区城市管理局（第1轮） moved with the order to its new unit (cycle 1)',
    );
    const events = await slaEvents(id.y);
    expect(events.filter((e) => e.kind === 'respond').map((e) => [e.type, e.detail, e.unitId])).toEqual([
      ['sla.warning.v1', 'elapsed_75pct', A],
      ['sla.breached.v1', '', A],
      ['sla.escalated.v1', 'unit', A],
      ['sla.escalated.v1', 'district', B],
    ]);
  });

  it('warns, breaches and escalates the unit holding the order at the finish deadline, and lists it', async () => {
    await tickAt('2026-03-16T10:00:00');
    const x = await slaEvents(id.x);
    const finish = x.filter((e) => e.kind === 'finish');
    expect(finish.map((e) => e.type)).toEqual(['sla.warning.v1', 'sla.breached.v1', 'sla.escalated.v1']);
    expect(finish.every((e) => e.unitId === B)).toBe(true);
    const cs = (await clocks(id.x).expect(200)).body as ClockRow[];
    expect(clockOf(cs, 'finish')).toMatchObject({ unitId: B, breachedAt: L('2026-03-16T10:00:00') });
    const listed = await items(B);
    expect(listed.filter((i) => i.ticketId === id.x).map((i) => [i.reason, i.unitId])).toEqual([['overdue', B]]);
    expect((await items(A)).filter((i) => i.ticketId === id.x || i.ticketId === id.y)).toEqual([]);
    expect(((await sla().get(`/supervision?unitId=${B}&reason=overdue`).expect(200)).body as Item[]).map((i) => i.ticketId).sort()).toEqual(
      [id.x, id.y].sort(),
    );
  });

  it('counts both orders for B in the per-unit figures; the district figures are unchanged', async () => {
    const byUnit = await settled<Breakdown>(
      p,
      () => p.as('analyst', 'analytics').get(`/rates/breakdown?${PERIOD}&dimension=unit`),
      (b) => b.rows.find((r) => r.key === B)?.volumes.dispatched === 2,
      'both orders counted for the city-management bureau',
    );
    expect(byUnit.rows.map((r) => [r.key, r.volumes.accepted, r.volumes.dispatched])).toEqual([[B, 2, 2]]);
    expect(byUnit.rows[0].label).toBe('城西区城市管理局');
    // X was contacted in time (by A, before the re-dispatch), Y never: the order's response counts where the order now is.
    expect(byUnit.rows[0].rates.response).toMatchObject({ numerator: 1, denominator: 2 });
    const district = (await p.as('analyst', 'analytics').get(`/rates?${PERIOD}`).expect(200)).body as {
      volumes: Record<string, number>;
      rates: Record<string, { numerator: number; denominator: number }>;
    };
    expect(district.volumes).toMatchObject({ accepted: 2, dispatched: 2 });
    expect(district.rates.response).toMatchObject({ numerator: 1, denominator: 2 });
    const facts = await p.db.query<{ unit_id: string; unit_name: string; dispatched_at: Date }>(
      'SELECT unit_id, unit_name, dispatched_at FROM analytics.ticket_fact WHERE ticket_id = ANY($1) ORDER BY ticket_id',
      [[id.x, id.y]],
    );
    expect(facts.rows.map((f) => [f.unit_id, f.unit_name, f.dispatched_at.toISOString()])).toEqual([
      [B, '城西区城市管理局', T0.toISOString()],
      [B, '城西区城市管理局', T0.toISOString()],
    ]);
    const top = (await p.as('analyst', 'analytics').get(`/units/${B}/top-problems?${PERIOD}`).expect(200)).body as {
      categoryCode: string;
      orders?: number;
    }[];
    expect(top.map((t) => t.categoryCode)).toEqual(['lift']);
    expect((await p.as('analyst', 'analytics').get(`/units/${A}/top-problems?${PERIOD}`).expect(200)).body).toEqual([]);
  });

  it('rebuilds the same attribution from a replay of the stream (the late older dispatch included)', async () => {
    await consumersSettled(p, 'analytics');
    const live = await analyticsReadModel(p);
    await replayAnalytics(loadConfig(AnalyticsConfig, p.env));
    expect(await analyticsReadModel(p)).toEqual(live);
    expect((live.ticket_fact as { unit_id: string }[]).map((f) => f.unit_id)).toEqual([B, B]);
  });
});
