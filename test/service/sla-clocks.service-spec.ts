import { Channel, ClockKind, ContactMethod, ReopenSource, RequestType, TicketDispatchedV1, TicketFlag, Urgency } from '@app/contracts';
import { currentTraceparent, MetricsRegistry, newTrace, runWithTrace, toTraceparent } from '@app/platform';
import { asBatch, serviceTier, ServiceTier, waitFor } from '@app/platform/testing';
import { randomUUID } from 'node:crypto';
import { CalendarAdminService } from '../../apps/sla/src/calendar/calendar-admin.service';
import { CalendarRepository } from '../../apps/sla/src/calendar/calendar.repository';
import { CalendarService } from '../../apps/sla/src/calendar/calendar.service';
import { ClocksHandlers } from '../../apps/sla/src/clocks/clocks.handlers';
import { ClocksRepository } from '../../apps/sla/src/clocks/clocks.repository';
import { ClockLifecycleService } from '../../apps/sla/src/clocks/clock-lifecycle.service';
import { ClockPausesService } from '../../apps/sla/src/clocks/clock-pauses.service';
import { ClockQueriesService } from '../../apps/sla/src/clocks/clock-queries.service';
import { ClockReassignmentService } from '../../apps/sla/src/clocks/clock-reassignment.service';
import { ClockRecomputeService } from '../../apps/sla/src/clocks/clock-recompute.service';
import { ClockSchedules } from '../../apps/sla/src/clocks/clock-schedules.service';
import { ClockTickService } from '../../apps/sla/src/clocks/clock-tick.service';
import { SlaClock } from '../../apps/sla/src/clocks/sla-clock.entity';
import { SlaOrdersRepository } from '../../apps/sla/src/clocks/sla-orders.repository';
import { PoliciesRepository } from '../../apps/sla/src/policies/policies.repository';
import { PolicyCache } from '../../apps/sla/src/policies/policy-cache';
import { specificity } from '../../apps/sla/src/policies/policy-match';
import { SlaPolicy } from '../../apps/sla/src/policies/sla-policy.entity';
import { SLA_CONFIG, SlaConfig } from '../../apps/sla/src/sla.config';
import { SlaMetrics } from '../../apps/sla/src/sla.metrics';
import { SLA_PERSISTENCE } from '../../apps/sla/src/sla.persistence';
import {
  SupervisionAction,
  SupervisionActionKind,
  SupervisionItem,
  SupervisionReason,
  SupervisionStatus,
} from '../../apps/sla/src/supervision/supervision.entity';
import { SupervisionRepository } from '../../apps/sla/src/supervision/supervision.repository';
import { SupervisionService } from '../../apps/sla/src/supervision/supervision.service';

/**
 * sla's clocks on their real repositories: a dispatch sets them, the tick fires them (each clock on
 * its own), a calendar declaration recomputes the provisional ones. Every test starts with no running
 * clock but its own, so the tick's counts are this test's.
 */
let tier: ServiceTier;
let lifecycle: ClockLifecycleService;
let clocks: ClockTickService;
beforeAll(async () => {
  tier = await serviceTier({
    service: 'sla',
    persistence: SLA_PERSISTENCE,
    providers: [
      { provide: SLA_CONFIG, useValue: Object.assign(new SlaConfig(), { CITY_TIME_ZONE: 'Asia/Shanghai', SLA_TICK_BATCH: 50 }) },
      MetricsRegistry,
      SlaMetrics,
      CalendarRepository,
      CalendarService,
      CalendarAdminService,
      PoliciesRepository,
      PolicyCache,
      ClocksRepository,
      SlaOrdersRepository,
      ClockSchedules,
      ClockReassignmentService,
      ClockLifecycleService,
      ClockRecomputeService,
      ClockTickService,
      ClockQueriesService,
      ClockPausesService,
      SupervisionRepository,
      SupervisionService,
      ClocksHandlers,
    ],
  });
  lifecycle = tier.get(ClockLifecycleService);
  clocks = tier.get(ClockTickService);
});
afterAll(() => tier?.close());
beforeEach(async () => {
  await tier.ds.query(`UPDATE sla.sla_clock SET stopped_at = now(), next_fire_at = NULL WHERE stopped_at IS NULL`);
  tier.outbox.clear();
});

const unitId = '5a1c0000-0000-4000-8000-000000000001';

const otherUnitId = '5a1c0000-0000-4000-8000-000000000002';
const UNIT_NAMES: Record<string, string> = { [unitId]: '城中区市场监督管理局', [otherUnitId]: '城中区住房和城乡建设局' };

/** A lift complaint's `ticket.dispatched.v1` at `at`: to the market bureau in cycle 1 unless told otherwise. */
function dispatchedEvent(ticketId: string, at: string, o: { unit?: string; cycle?: number; urgency?: Urgency; flags?: TicketFlag[] } = {}) {
  const unit = o.unit ?? unitId;
  const data: TicketDispatchedV1 = {
    assignmentId: randomUUID(),
    unitId: unit,
    unitName: UNIT_NAMES[unit],
    districtCode: '630104',
    categoryCode: 'market.lift',
    requestType: RequestType.Complaint,
    urgency: o.urgency ?? Urgency.Ordinary,
    flags: o.flags ?? [],
    cycle: o.cycle ?? 1,
    dispatchedAt: at,
  };
  // tier.event still returns the payload-typed (deprecated) envelope; the handler takes the type-keyed one.
  return tier.event('ticket.dispatched.v1', { ticketId, district: '630104', data, occurredAt: new Date(at) });
}

/**
 * A lift complaint dispatched to the market bureau at `at` (default: Monday 2 March 2026, 10:00 in
 * Xining), handled by the lifecycle alone, or by the bus edge (`via: 'handler'`: clocks, then the
 * supervision list).
 */
async function dispatch(
  at = '2026-03-02T02:00:00.000Z',
  o: { ticketId?: string; urgency?: Urgency; flags?: TicketFlag[]; via?: 'handler' } = {},
): Promise<string> {
  const ticketId = o.ticketId ?? randomUUID();
  const e = dispatchedEvent(ticketId, at, { urgency: o.urgency, flags: o.flags });
  if (o.via === 'handler') await tier.transaction(() => asBatch((ctx) => tier.get(ClocksHandlers).dispatched(e, ctx)));
  else await tier.transaction(() => lifecycle.onDispatched(e));
  return ticketId;
}

async function clockOf(ticketId: string, kind: ClockKind): Promise<SlaClock> {
  return tier.ds.getRepository(SlaClock).findOneByOrFail({ ticketId, kind, cycle: 1 });
}

const eventsOf = (ticketId: string) => tier.outbox.events.map((e) => e.envelope).filter((e) => e.ticketId === ticketId);

it('sets the respond and finish clocks of a dispatch from the default policy and announces them in sla.clocks-set.v1', async () => {
  const id = await dispatch();
  const respond = await clockOf(id, ClockKind.Respond);
  const finish = await clockOf(id, ClockKind.Finish);
  // 24 hours to respond; 5 working days to finish (Monday 10:00 → the next Monday 10:00).
  expect(respond).toMatchObject({ unitId, districtCode: '630104', dueAt: new Date('2026-03-03T02:00:00Z'), provisional: false });
  expect(finish).toMatchObject({ unitId, dueAt: new Date('2026-03-09T02:00:00Z'), provisional: false, fired: [] });
  // The first warning at 75 % of the limit is what the tick waits for.
  expect(respond.nextFireAt).toEqual(new Date('2026-03-02T20:00:00Z'));
  expect(tier.outbox.types()).toEqual(['sla.clocks-set.v1']);
  const set = tier.outbox.only('sla.clocks-set.v1');
  expect(set.ticketId).toBe(id);
  expect(set.data).toMatchObject({
    unitId,
    cycle: 1,
    respondDueAt: '2026-03-03T02:00:00.000Z',
    finishDueAt: '2026-03-09T02:00:00.000Z',
    respondWarnAt: '2026-03-02T20:00:00.000Z',
  });
  expect(set.data.provisional).toBeUndefined();
});

it("hands a reopened cycle's finish clock to the unit its dispatch names, and starts no respond clock for it", async () => {
  const id = await dispatch();
  const reopened = tier.event('ticket.reopened.v1', {
    ticketId: id,
    district: '630104',
    data: {
      assignmentId: randomUUID(),
      unitId,
      source: ReopenSource.Callback,
      reason: '不满意',
      cycle: 2,
      reopenedAt: '2026-03-04T02:00:00.000Z',
    },
    occurredAt: new Date('2026-03-04T02:00:00Z'),
  });
  await tier.transaction(() => lifecycle.onReopened(reopened));
  const redispatched = dispatchedEvent(id, '2026-03-04T03:00:00.000Z', { unit: otherUnitId, cycle: 2 });
  await expect(tier.transaction(() => lifecycle.onDispatched(redispatched))).resolves.toBeNull();
  const cycle2 = await tier.ds.getRepository(SlaClock).findBy({ ticketId: id, cycle: 2 });
  expect(cycle2.map((c) => ({ kind: c.kind, unitId: c.unitId }))).toEqual([{ kind: ClockKind.Finish, unitId: otherUnitId }]);
});

it('fires a due warning once, and not again at the next tick', async () => {
  const id = await dispatch();
  tier.outbox.clear();
  expect(await clocks.tick(new Date('2026-03-02T19:59:00Z'))).toEqual({ warnings: 0, breaches: 0 });
  expect(await clocks.tick(new Date('2026-03-02T20:01:00Z'))).toEqual({ warnings: 1, breaches: 0 });
  expect(await clocks.tick(new Date('2026-03-02T20:02:00Z'))).toEqual({ warnings: 0, breaches: 0 });
  const warnings = eventsOf(id).filter((e) => e.type === 'sla.warning.v1');
  expect(warnings).toHaveLength(1);
  expect(warnings[0].data).toMatchObject({ kind: ClockKind.Respond, rule: 'elapsed_75pct', unitId });
  const respond = await clockOf(id, ClockKind.Respond);
  expect(respond.fired).toEqual(['warn:elapsed_75pct']);
  expect(respond.warnedAt).toEqual(new Date('2026-03-02T20:01:00Z'));
  expect(respond.nextFireAt).toEqual(respond.dueAt);
});

it('fires a breach with its first escalation step and puts the order on the supervision list', async () => {
  const id = await dispatch();
  tier.outbox.clear();
  const now = new Date('2026-03-03T02:05:00Z');
  // The respond clock's warning and breach are both due; the ladder's first step (unit, 0 days) fires with the breach.
  expect(await clocks.tick(now)).toEqual({ warnings: 1, breaches: 1 });
  expect(eventsOf(id).map((e) => e.type)).toEqual(['sla.warning.v1', 'sla.breached.v1', 'sla.supervision-opened.v1', 'sla.escalated.v1']);
  expect(tier.outbox.only('sla.breached.v1').data).toMatchObject({ kind: ClockKind.Respond, dueAt: '2026-03-03T02:00:00.000Z' });
  expect(tier.outbox.only('sla.escalated.v1').data).toMatchObject({ kind: ClockKind.Respond, step: 1, target: 'unit' });
  const respond = await clockOf(id, ClockKind.Respond);
  expect(respond).toMatchObject({ breachedAt: now, escalationStep: 1, escalatedAt: now });
  const items = await tier.ds.getRepository(SupervisionItem).findBy({ ticketId: id });
  expect(items).toHaveLength(1);
  expect(items[0]).toMatchObject({ reason: 'overdue', level: 'unit', status: 'open', unitId, cycle: 1 });
  // What supervisors and the unit read (the list, the item, the order's timeline): the due time in the city's zone.
  const summary = '响应超时：应于 3月3日 10:00 前响应（第1轮） respond overdue: due 2026-03-03 10:00 (cycle 1)';
  expect(items[0].summary).toBe(summary);
  expect(tier.outbox.only('sla.supervision-opened.v1').data).toMatchObject({ summary });
});

it('sets aside a clock that throws in the tick, and the others still fire', async () => {
  const broken = await dispatch();
  const sound = await dispatch();
  // A policy row gone: the broken order's respond clock cannot read its schedule, so its firing cannot
  // be planned; it is set aside before the batch is written.
  await tier.ds.query(`UPDATE sla.sla_clock SET policy_id = $1 WHERE ticket_id = $2 AND kind = 'respond'`, [randomUUID(), broken]);
  tier.outbox.clear();
  const now = new Date('2026-03-02T20:01:00Z');
  expect(await clocks.tick(now)).toEqual({ warnings: 1, breaches: 0, failed: 1 });
  expect(eventsOf(sound).map((e) => e.type)).toEqual(['sla.warning.v1']);
  expect(eventsOf(broken)).toEqual([]);
  const failed = await clockOf(broken, ClockKind.Respond);
  expect(failed.failCount).toBe(1);
  expect(failed.lastError).toMatch(/^tick: policy .* vanished$/);
  expect(failed.fired).toEqual([]);
  // Backed off a minute, so it is not claimed first again at every tick.
  expect(failed.nextFireAt).toEqual(new Date(now.getTime() + 60_000));
  expect(await clockOf(sound, ClockKind.Respond)).toMatchObject({ failCount: 0, fired: ['warn:elapsed_75pct'], warnedAt: now });
});

it('marks a deadline in an undeclared year provisional, and recomputes it when the year is declared', async () => {
  // Monday 28 December 2026, 10:00: five working days end in 2027, which the calendar library does not know.
  const id = await dispatch('2026-12-28T02:00:00.000Z');
  const before = await clockOf(id, ClockKind.Finish);
  // 29, 30, 31 December, Friday 1 January (a weekday on the provisional calendar), Monday 4 January.
  expect(before).toMatchObject({ dueAt: new Date('2027-01-04T02:00:00Z'), provisional: true, provisionalYears: [2027] });
  expect(tier.outbox.only('sla.clocks-set.v1').data).toMatchObject({ finishDueAt: '2027-01-04T02:00:00.000Z', provisional: true });
  tier.outbox.clear();

  await tier.get(CalendarAdminService).declareYear({
    year: 2027,
    source: '国务院办公厅关于2027年部分节假日安排的通知',
    days: [{ day: '2027-01-01', working: false, note: '元旦' }],
  });

  // New Year's Day off: the fifth working day is Tuesday 5 January.
  const after = await clockOf(id, ClockKind.Finish);
  expect(after).toMatchObject({ dueAt: new Date('2027-01-05T02:00:00Z'), provisional: false, provisionalYears: [] });
  const sets = eventsOf(id).filter((e) => e.type === 'sla.clocks-set.v1');
  expect(sets.length).toBeGreaterThanOrEqual(1);
  const last = sets[sets.length - 1].data;
  expect(last.finishDueAt).toBe('2027-01-05T02:00:00.000Z');
  expect(last.provisional).toBeUndefined();
});

describe('the tick, a batch at a time', () => {
  /** The supervision items of an order, with their action rows (oldest first). */
  async function itemsOf(ticketId: string): Promise<(SupervisionItem & { actions: string[] })[]> {
    const items = await tier.ds.getRepository(SupervisionItem).findBy({ ticketId });
    return Promise.all(
      items.map(async (i) => ({
        ...i,
        actions: (await tier.ds.getRepository(SupervisionAction).find({ where: { itemId: i.id }, order: { at: 'ASC' } }))
          .map((a) => a.action)
          .sort(),
      })),
    );
  }

  it('fires warnings only: one event per clock, no supervision item, each clock moved on to its due time', async () => {
    const ids = [await dispatch(), await dispatch(), await dispatch()];
    tier.outbox.clear();
    const now = new Date('2026-03-02T20:01:00Z');
    expect(await clocks.tick(now)).toEqual({ warnings: 3, breaches: 0 });
    expect(tier.outbox.types()).toEqual(['sla.warning.v1', 'sla.warning.v1', 'sla.warning.v1']);
    for (const id of ids) {
      expect(eventsOf(id).map((e) => e.data)).toEqual([expect.objectContaining({ kind: ClockKind.Respond, rule: 'elapsed_75pct' })]);
      const respond = await clockOf(id, ClockKind.Respond);
      expect(respond).toMatchObject({ fired: ['warn:elapsed_75pct'], warnedAt: now, breachedAt: null, nextFireAt: respond.dueAt });
      expect(await itemsOf(id)).toEqual([]);
    }
  });

  it('fires a breach with two escalation steps at once: one item, raised to the district, its actions noted', async () => {
    const id = await dispatch();
    tier.outbox.clear();
    // Wednesday 4 March, 10:05: the respond clock (due Tuesday 10:00) is one working day late, so its
    // warning, breach, step 1 (unit) and step 2 (district) all fire in this one tick.
    const now = new Date('2026-03-04T02:05:00Z');
    expect(await clocks.tick(now)).toEqual({ warnings: 1, breaches: 1 });
    expect(eventsOf(id).map((e) => e.type)).toEqual([
      'sla.warning.v1',
      'sla.breached.v1',
      'sla.supervision-opened.v1',
      'sla.escalated.v1',
      'sla.escalated.v1',
    ]);
    expect(tier.outbox.of('sla.escalated.v1').map((e) => [e.data.step, e.data.target])).toEqual([
      [1, 'unit'],
      [2, 'district'],
    ]);
    const [item] = await itemsOf(id);
    // Opened at the unit's level by the breach, raised by step 2 in the same firing.
    expect(item).toMatchObject({ reason: 'overdue', level: 'district', status: 'open', actions: ['escalated', 'escalated', 'opened'] });
    const notes = await tier.ds.getRepository(SupervisionAction).find({ where: { itemId: item.id } });
    expect(notes.map((a) => a.note).sort()).toEqual([
      '响应超时：应于 3月3日 10:00 前响应（第1轮） respond overdue: due 2026-03-03 10:00 (cycle 1)',
      '第1级升级：单位级督办（响应超时） escalation step 1: unit level (respond overdue)',
      '第2级升级：区级督办（响应超时） escalation step 2: district level (respond overdue)',
    ]);
    expect(tier.outbox.only('sla.supervision-opened.v1').data).toMatchObject({ itemId: item.id, level: 'unit' });
    expect(await clockOf(id, ClockKind.Respond)).toMatchObject({ breachedAt: now, escalationStep: 2, escalatedAt: now });
  });

  it('raises the open item at a later tick, without opening another; an item closed by then is opened again at the step', async () => {
    const raisedId = await dispatch();
    const reopenedId = await dispatch();
    await clocks.tick(new Date('2026-03-03T02:05:00Z'));
    const [closed] = await itemsOf(reopenedId);
    await tier.ds.query(`UPDATE sla.supervision_item SET status = 'closed', closed_at = now() WHERE id = $1`, [closed.id]);
    tier.outbox.clear();
    // Wednesday 4 March, 10:05: step 2 (district) of both respond clocks.
    expect(await clocks.tick(new Date('2026-03-04T02:05:00Z'))).toEqual({ warnings: 0, breaches: 0 });
    expect(eventsOf(raisedId).map((e) => e.type)).toEqual(['sla.escalated.v1']);
    expect(await itemsOf(raisedId)).toMatchObject([{ level: 'district', status: 'open', actions: ['escalated', 'escalated', 'opened'] }]);
    expect(eventsOf(reopenedId).map((e) => e.type)).toEqual(['sla.escalated.v1', 'sla.supervision-opened.v1']);
    const reopened = (await itemsOf(reopenedId)).filter((i) => i.status === SupervisionStatus.Open);
    expect(reopened).toMatchObject([{ level: 'district', actions: ['escalated', 'opened'] }]);
    expect(tier.outbox.only('sla.supervision-opened.v1').data).toMatchObject({ itemId: reopened[0].id, level: 'district' });
  });

  it('puts an order whose two clocks breach in one batch on the list once', async () => {
    const id = await dispatch();
    tier.outbox.clear();
    // Tuesday 10 March, 10:05: the finish clock (due Monday 9 March) is a working day late as well.
    expect(await clocks.tick(new Date('2026-03-10T02:05:00Z'))).toEqual({ warnings: 2, breaches: 2 });
    expect(tier.outbox.of('sla.supervision-opened.v1')).toHaveLength(1);
    const items = await itemsOf(id);
    expect(items).toHaveLength(1);
    // Respond: steps 1-3 (city at five working days); finish: steps 1-2. The second clock's breach is noted on the item.
    expect(items[0]).toMatchObject({ level: 'city', actions: [...Array(5).fill('escalated'), 'opened', 'opened'] });
  });

  it('sets aside a clock whose write the database refuses: the batch is written clock by clock, the others fire once', async () => {
    const ids = [
      await dispatch('2026-03-02T02:00:00.000Z'),
      await dispatch('2026-03-02T02:01:00.000Z'),
      await dispatch('2026-03-02T02:02:00.000Z'),
    ];
    const broken = ids[1]; // claimed between the two others (the tick goes by next_fire_at)
    tier.outbox.clear();
    await tier.ds.query(`CREATE FUNCTION sla.refuse_item() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF NEW.ticket_id = '${broken}' THEN RAISE EXCEPTION 'supervision_item refused for %', NEW.ticket_id; END IF; RETURN NEW; END $$`);
    await tier.ds.query(`CREATE TRIGGER refuse_item BEFORE INSERT ON sla.supervision_item FOR EACH ROW EXECUTE FUNCTION sla.refuse_item()`);
    const now = new Date('2026-03-03T02:05:00Z');
    try {
      expect(await clocks.tick(now)).toEqual({ warnings: 2, breaches: 2, failed: 1 });
      // Nothing more is due at once: the sound clocks fired, the broken one is backed off a minute.
      expect(await clocks.tick(new Date(now.getTime() + 30_000))).toEqual({ warnings: 0, breaches: 0 });
    } finally {
      await tier.ds.query(`DROP TRIGGER refuse_item ON sla.supervision_item; DROP FUNCTION sla.refuse_item()`);
    }
    for (const id of [ids[0], ids[2]]) {
      expect(eventsOf(id).map((e) => e.type)).toEqual([
        'sla.warning.v1',
        'sla.breached.v1',
        'sla.supervision-opened.v1',
        'sla.escalated.v1',
      ]);
      expect(await itemsOf(id)).toMatchObject([{ level: 'unit', actions: ['escalated', 'opened'] }]);
      expect(await clockOf(id, ClockKind.Respond)).toMatchObject({ fired: ['warn:elapsed_75pct', 'breach', 'escalate:1'], failCount: 0 });
    }
    expect(eventsOf(broken)).toEqual([]);
    expect(await itemsOf(broken)).toEqual([]);
    expect(await clockOf(broken, ClockKind.Respond)).toMatchObject({
      fired: [],
      breachedAt: null,
      failCount: 1,
      lastError: expect.stringMatching(/^tick: supervision_item refused for /) as unknown,
      nextFireAt: new Date(now.getTime() + 60_000),
    });

    // Once the database takes it, the broken clock fires at its retry, once; it is no longer failing.
    tier.outbox.clear();
    expect(await clocks.tick(new Date(now.getTime() + 61_000))).toEqual({ warnings: 1, breaches: 1 });
    expect(tier.outbox.events.map((e) => e.envelope.ticketId)).toEqual(Array(4).fill(broken));
    expect(await itemsOf(broken)).toMatchObject([{ level: 'unit', actions: ['escalated', 'opened'] }]);
    expect(await clockOf(broken, ClockKind.Respond)).toMatchObject({
      failCount: 0,
      lastError: null,
      breachedAt: new Date(now.getTime() + 61_000),
    });
  });
});

describe("choosing an order's policy (PolicyCache.best)", () => {
  it('chooses as the SQL it replaced did, among policies that differ only in what they narrow by (2,000 orders)', async () => {
    const rollback = new Error('rollback');
    const codes = ['lift', 'lift.fault', 'heating', 'heating.cold', 'noise.night'];
    let seed = 23;
    const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), Math.floor((seed / 2 ** 31) * n));
    const pick = <T>(xs: readonly T[]): T => xs[rnd(xs.length)];
    const maybe = <T>(x: T): T | null => (rnd(2) ? x : null);
    const flags: string[] = Object.values(TicketFlag);
    await expect(
      tier.transaction(async (m) => {
        const repo = tier.get(PoliciesRepository);
        const [template] = await repo.active();
        for (let i = 0; i < 60; i++) {
          await repo.insert(
            Object.assign(new SlaPolicy(), template, {
              id: randomUUID(),
              name: `p${i}`,
              version: pick([1, 1, 2]),
              districtCode: maybe(pick(['630104', '630105'])),
              requestType: maybe(pick(Object.values(RequestType))),
              categoryPrefix: maybe(pick(codes)),
              urgency: maybe(pick(Object.values(Urgency))),
              flag: maybe(pick(flags)),
              priority: pick([0, 10, 10, 10, 20]),
              active: rnd(10) > 0,
            }),
          );
        }
        const cache = tier.get(PolicyCache);
        let chosen = 0;
        for (let i = 0; i < 2000; i++) {
          const q = {
            districtCode: pick(['630104', '630105', '630102']),
            requestType: pick(Object.values(RequestType)),
            categoryCode: pick([...codes, 'lift.noise', 'lifting', 'other']),
            urgency: pick(Object.values(Urgency)),
            flags: flags.filter(() => rnd(3) === 0),
          };
          const ours = await cache.best(q);
          const sql = await sqlBestPolicy(m, q);
          // Policies equally good by the SQL's order were chosen between arbitrarily by it: the same rank is enough.
          expect({ q, rank: ours && rank(ours) }).toEqual({ q, rank: sql && rank(sql) });
          if (ours) chosen++;
        }
        expect(chosen).toBe(2000);
        throw rollback;
      }),
    ).rejects.toBe(rollback);
  });

  const rank = (p: SlaPolicy) => [p.priority, specificity(p), p.version];

  /** The statement that chose every order's policy until bestPolicy (PoliciesRepository.best). */
  async function sqlBestPolicy(
    m: { query(sql: string, params: unknown[]): Promise<SlaPolicy[]> },
    q: { districtCode: string; requestType: string; categoryCode: string; urgency: string; flags: string[] },
  ): Promise<SlaPolicy | null> {
    const rows = await m.query(
      `SELECT priority, version, district_code AS "districtCode", request_type AS "requestType", category_prefix AS "categoryPrefix",
              urgency, flag
         FROM sla_policy t
        WHERE t.active
          AND (t.district_code IS NULL OR t.district_code = $1)
          AND (t.request_type IS NULL OR t.request_type = $2)
          AND (t.category_prefix IS NULL OR $3 = t.category_prefix OR $3 LIKE t.category_prefix || '.%')
          AND (t.urgency IS NULL OR t.urgency = $4)
          AND (t.flag IS NULL OR t.flag = ANY($5))
        ORDER BY t.priority DESC,
                 (t.district_code IS NOT NULL)::int + (t.request_type IS NOT NULL)::int + (t.category_prefix IS NOT NULL)::int
                   + (t.urgency IS NOT NULL)::int + (t.flag IS NOT NULL)::int DESC,
                 t.version DESC
        LIMIT 1`,
      [q.districtCode, q.requestType, q.categoryCode, q.urgency, q.flags],
    );
    return rows[0] ?? null;
  }
});

describe('a merge that leaves the order repeat or concentrated (双交办, ticket.merged.v1)', () => {
  const supervision = () => tier.get(SupervisionService);
  const merged = (ticketId: string, flags: TicketFlag[], citizenCount = 2) =>
    tier.event('ticket.merged.v1', {
      ticketId,
      district: '630104',
      data: { contactId: randomUUID(), channel: Channel.Phone, citizenCount, flags, mergedAt: '2026-03-03T02:00:00.000Z' },
      occurredAt: new Date('2026-03-03T02:00:00Z'),
    });
  const onMerged = (ticketId: string, flags: TicketFlag[], citizenCount = 2) =>
    tier.transaction(() => supervision().onMerged(merged(ticketId, flags, citizenCount)));
  const repeatItems = (ticketId: string) => tier.ds.getRepository(SupervisionItem).findBy({ ticketId, reason: SupervisionReason.Repeat });

  it('puts a dispatched order on the list once, at the district level, naming the unit and cycle of its clocks', async () => {
    const id = await dispatch();
    tier.outbox.clear();
    await onMerged(id, []); // another citizen, no flag yet
    expect(await repeatItems(id)).toEqual([]);
    await onMerged(id, [TicketFlag.Repeat]);
    await onMerged(id, [TicketFlag.Repeat, TicketFlag.Concentrated], 3);
    const items = await repeatItems(id);
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ unitId, cycle: 1, level: 'district', status: 'open', districtCode: '630104' });
    expect(items[0].summary).toBe('双交办：重复件，合并后共2位市民反映（第1轮） flagged order: repeat; merged, 2 citizens (cycle 1)');
    expect(tier.outbox.types()).toEqual(['sla.supervision-opened.v1']);
    expect(tier.outbox.only('sla.supervision-opened.v1').data).toMatchObject({ itemId: items[0].id, reason: 'repeat', level: 'district' });
    // The order's next dispatch carries the flags (dispatch learnt them too): the open item stands, no second one.
    tier.outbox.clear();
    await tier.transaction(() =>
      supervision().onDispatched(
        dispatchedEvent(id, '2026-03-04T02:00:00.000Z', { cycle: 2, flags: [TicketFlag.Repeat, TicketFlag.Concentrated] }),
      ),
    );
    expect(await repeatItems(id)).toHaveLength(1);
    expect(tier.outbox.types()).toEqual([]);
  });

  it('never opens again an item of the cycle a supervisor closed (销号)', async () => {
    const id = await dispatch();
    await onMerged(id, [TicketFlag.Repeat]);
    const [item] = await repeatItems(id);
    await tier.ds.query(`UPDATE sla.supervision_item SET status = 'closed', closed_at = now() WHERE id = $1`, [item.id]);
    tier.outbox.clear();
    await onMerged(id, [TicketFlag.Repeat, TicketFlag.Concentrated], 3);
    expect(await repeatItems(id)).toMatchObject([{ id: item.id, status: 'closed' }]);
    expect(tier.outbox.types()).toEqual([]);
  });

  it('does nothing for an order sla has no clocks of (not dispatched yet: sla keeps the flags for its dispatch)', async () => {
    const id = randomUUID();
    tier.outbox.clear();
    await onMerged(id, [TicketFlag.Repeat, TicketFlag.Concentrated], 3);
    expect(await repeatItems(id)).toEqual([]);
    expect(tier.outbox.types()).toEqual([]);
  });
});

describe('双交办 after dispatch: a merge that makes the order repeat or concentrated (ClocksHandlers.merged)', () => {
  const DUAL_REPEAT = '6b0f2a8e-0d3c-4c1e-9a51-000000000006'; // 12 h / 3 working days
  const DEFAULT = '6b0f2a8e-0d3c-4c1e-9a51-000000000001'; // 24 h / 5 working days
  const URGENT = '6b0f2a8e-0d3c-4c1e-9a51-000000000005'; // 2 h / 24 h
  const merge = (ticketId: string, flags: TicketFlag[], at: string) =>
    tier.transaction(() =>
      tier.get(ClocksHandlers).merged(
        tier.event('ticket.merged.v1', {
          ticketId,
          district: '630104',
          data: { contactId: randomUUID(), channel: Channel.Phone, citizenCount: 2, flags, mergedAt: at },
          occurredAt: new Date(at),
        }),
      ),
    );
  const repeatItems = (ticketId: string) => tier.ds.getRepository(SupervisionItem).findBy({ ticketId, reason: SupervisionReason.Repeat });
  const contact = (ticketId: string, at: string) =>
    tier.transaction(() =>
      lifecycle.onContacted(
        tier.event('ticket.contacted.v1', {
          ticketId,
          district: '630104',
          data: { assignmentId: randomUUID(), unitId, method: ContactMethod.Phone, contactedAt: at },
          occurredAt: new Date(at),
        }),
      ),
    );

  it('moves both running clocks to the 双交办 limits from the dispatch, announces them once, and puts the order on the list', async () => {
    const id = await dispatch('2026-03-02T02:00:00.000Z', { via: 'handler' });
    expect(await clockOf(id, ClockKind.Finish)).toMatchObject({ policyId: DEFAULT, dueAt: new Date('2026-03-09T02:00:00Z') });
    tier.outbox.clear();
    tier.clock.set(new Date('2026-03-02T04:00:00Z'));
    await merge(id, [TicketFlag.Repeat], '2026-03-02T04:00:00.000Z');
    // Monday 10:00 + 12 hours; + 3 working days (Thursday 10:00), not the next Monday.
    expect(await clockOf(id, ClockKind.Respond)).toMatchObject({ policyId: DUAL_REPEAT, dueAt: new Date('2026-03-02T14:00:00Z') });
    const finish = await clockOf(id, ClockKind.Finish);
    expect(finish).toMatchObject({
      policyId: DUAL_REPEAT,
      dueAt: new Date('2026-03-05T02:00:00Z'),
      startedAt: new Date('2026-03-02T02:00:00Z'),
    });
    expect(finish.nextFireAt).toEqual(finish.warnAt);
    expect(tier.outbox.types()).toEqual(['sla.clocks-set.v1', 'sla.supervision-opened.v1']);
    expect(tier.outbox.only('sla.clocks-set.v1').data).toMatchObject({
      policyId: DUAL_REPEAT,
      cycle: 1,
      respondDueAt: '2026-03-02T14:00:00.000Z',
      finishDueAt: '2026-03-05T02:00:00.000Z',
      finishWarnAt: finish.warnAt.toISOString(),
    });
    expect(await repeatItems(id)).toMatchObject([{ status: 'open', level: 'district', cycle: 1, unitId }]);
    // A second merge (now concentrated as well) moves nothing: the limits are those already.
    tier.outbox.clear();
    await merge(id, [TicketFlag.Repeat, TicketFlag.Concentrated], '2026-03-02T05:00:00.000Z');
    expect(tier.outbox.types()).toEqual([]);
    expect(await clockOf(id, ClockKind.Finish)).toMatchObject({ policyId: DUAL_REPEAT, dueAt: new Date('2026-03-05T02:00:00Z') });
  });

  it('leaves a stopped respond clock stopped and announces the finish due time alone', async () => {
    const id = await dispatch();
    await contact(id, '2026-03-02T03:00:00.000Z');
    const respond = await clockOf(id, ClockKind.Respond);
    tier.outbox.clear();
    await merge(id, [TicketFlag.Concentrated], '2026-03-03T02:00:00.000Z');
    expect(await clockOf(id, ClockKind.Respond)).toEqual(respond);
    expect(await clockOf(id, ClockKind.Finish)).toMatchObject({ dueAt: new Date('2026-03-05T02:00:00Z') });
    const set = tier.outbox.only('sla.clocks-set.v1').data;
    expect(set.finishDueAt).toBe('2026-03-05T02:00:00.000Z');
    expect(set.respondDueAt).toBeUndefined();
  });

  it('never lengthens a shorter limit: an urgent order keeps its clocks, and is still put on the list', async () => {
    const id = await dispatch('2026-03-02T02:00:00.000Z', { urgency: Urgency.Urgent });
    tier.outbox.clear();
    await merge(id, [TicketFlag.Repeat], '2026-03-02T03:00:00.000Z');
    expect(await clockOf(id, ClockKind.Finish)).toMatchObject({ policyId: URGENT, dueAt: new Date('2026-03-03T02:00:00Z') });
    expect(tier.outbox.types()).toEqual(['sla.supervision-opened.v1']);
  });

  it('gives a flagged urgent order its urgent limits at dispatch too: 双交办 never loosens a limit', async () => {
    const id = await dispatch('2026-03-02T02:00:00.000Z', { urgency: Urgency.Urgent, flags: [TicketFlag.Repeat] });
    // urgent: 2 h / 24 h, sooner than 双交办's 12 h / 3 working days.
    expect(await clockOf(id, ClockKind.Respond)).toMatchObject({ policyId: URGENT, dueAt: new Date('2026-03-02T04:00:00Z') });
    expect(await clockOf(id, ClockKind.Finish)).toMatchObject({ policyId: URGENT, dueAt: new Date('2026-03-03T02:00:00Z') });
    // An ordinary flagged order: 双交办's, sooner than the default 24 h / 5 working days.
    const ordinary = await dispatch('2026-03-02T02:00:00.000Z', { flags: [TicketFlag.Repeat] });
    expect(await clockOf(ordinary, ClockKind.Respond)).toMatchObject({ policyId: DUAL_REPEAT, dueAt: new Date('2026-03-02T14:00:00Z') });
    expect(await clockOf(ordinary, ClockKind.Finish)).toMatchObject({ policyId: DUAL_REPEAT, dueAt: new Date('2026-03-05T02:00:00Z') });
  });

  it('leaves a breached clock as it is, and moves the running one', async () => {
    const id = await dispatch();
    await clocks.tick(new Date('2026-03-03T02:05:00Z')); // the respond clock breaches
    const breached = await clockOf(id, ClockKind.Respond);
    expect(breached.breachedAt).not.toBeNull();
    tier.outbox.clear();
    await merge(id, [TicketFlag.Repeat], '2026-03-03T03:00:00.000Z');
    expect(await clockOf(id, ClockKind.Respond)).toEqual(breached);
    expect(await clockOf(id, ClockKind.Finish)).toMatchObject({ policyId: DUAL_REPEAT, dueAt: new Date('2026-03-05T02:00:00Z') });
  });

  it('moves nothing for a merge without flags', async () => {
    const id = await dispatch();
    tier.outbox.clear();
    await merge(id, [], '2026-03-02T03:00:00.000Z');
    expect(tier.outbox.types()).toEqual([]);
    expect(await clockOf(id, ClockKind.Finish)).toMatchObject({ policyId: DEFAULT });
  });

  it('keeps the flags of a merge that reaches sla before the dispatch: the dispatch starts the 双交办 clocks and opens the item', async () => {
    const id = randomUUID();
    await merge(id, [TicketFlag.Repeat], '2026-03-02T01:00:00.000Z');
    expect(tier.outbox.types()).toEqual([]);
    // dispatch dispatched before it applied the merge: its event carries no flag.
    await dispatch('2026-03-02T02:00:00.000Z', { ticketId: id, via: 'handler' });
    expect(await clockOf(id, ClockKind.Finish)).toMatchObject({ policyId: DUAL_REPEAT, dueAt: new Date('2026-03-05T02:00:00Z') });
    expect(await clockOf(id, ClockKind.Respond)).toMatchObject({ policyId: DUAL_REPEAT, dueAt: new Date('2026-03-02T14:00:00Z') });
    const [item] = await repeatItems(id);
    expect(item).toMatchObject({ status: 'open', level: 'district', cycle: 1 });
    expect(item.summary).toMatch(/repeat/);
    expect(tier.outbox.types()).toEqual(['sla.clocks-set.v1', 'sla.supervision-opened.v1']);
  });

  describe('a merge and a dispatch of one order handled at the same time (two consumers)', () => {
    const dispatched = (ticketId: string) => dispatchedEvent(ticketId, '2026-03-02T02:00:00.000Z');
    const mergedEvent = (ticketId: string) =>
      tier.event('ticket.merged.v1', {
        ticketId,
        district: '630104',
        data: {
          contactId: randomUUID(),
          channel: Channel.Phone,
          citizenCount: 2,
          flags: [TicketFlag.Repeat],
          mergedAt: '2026-03-02T01:00:00.000Z',
        },
        occurredAt: new Date('2026-03-02T01:00:00Z'),
      });
    /** Sessions of this database waiting for a lock: the second handler has reached the order's row. */
    const waiting = async () =>
      Number(
        (
          await tier.ds.query<{ n: string }[]>(
            `SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`,
          )
        )[0].n,
      );
    /**
     * `first` runs to the end of its work and holds its transaction open; `second` starts and must
     * wait for the order's row; then `first` commits, and `second` goes on with what it wrote.
     */
    async function overlapping(first: () => Promise<unknown>, second: () => Promise<unknown>): Promise<void> {
      let commit!: () => void;
      const held = new Promise<void>((r) => (commit = r));
      let worked!: () => void;
      const done = new Promise<void>((r) => (worked = r));
      const one = tier.transaction(async () => {
        await first();
        worked();
        await held;
      });
      await done;
      const two = tier.transaction(() => second());
      await waitFor(waiting, (n) => n > 0, { timeoutMs: 10_000, what: 'the second handler waiting for the order' });
      commit();
      await Promise.all([one, two]);
    }

    it('the merge first: the dispatch waits for it, and starts the 双交办 clocks', async () => {
      const id = randomUUID();
      const handlers = tier.get(ClocksHandlers);
      await overlapping(
        () => handlers.merged(mergedEvent(id)),
        () => asBatch((ctx) => handlers.dispatched(dispatched(id), ctx)),
      );
      expect(await clockOf(id, ClockKind.Finish)).toMatchObject({ policyId: DUAL_REPEAT });
      expect(await repeatItems(id)).toHaveLength(1);
    });

    it('the dispatch first: the merge waits for it, and moves the clocks it started', async () => {
      const id = randomUUID();
      const handlers = tier.get(ClocksHandlers);
      await overlapping(
        () => asBatch((ctx) => handlers.dispatched(dispatched(id), ctx)),
        () => handlers.merged(mergedEvent(id)),
      );
      expect(await clockOf(id, ClockKind.Finish)).toMatchObject({ policyId: DUAL_REPEAT, dueAt: new Date('2026-03-05T02:00:00Z') });
      expect(await repeatItems(id)).toHaveLength(1);
    });
  });

  it('leaves the clocks of an order dispatched before sla kept its facts, and still puts it on the list', async () => {
    const id = await dispatch();
    await tier.ds.query(`DELETE FROM sla.sla_order WHERE ticket_id = $1`, [id]);
    tier.outbox.clear();
    await merge(id, [TicketFlag.Repeat], '2026-03-02T03:00:00.000Z');
    expect(await clockOf(id, ClockKind.Finish)).toMatchObject({ policyId: DEFAULT, dueAt: new Date('2026-03-09T02:00:00Z') });
    expect(tier.outbox.types()).toEqual(['sla.supervision-opened.v1']);
  });
});

describe('a batch of dispatches (ClocksHandlers.dispatched: the orders and clocks of a consumer batch in one statement each)', () => {
  const U1 = unitId;
  const U2 = otherUnitId;
  type Order = 'fresh' | 'flagged' | 'twice' | 'flaggedTwice' | 'known' | 'reopened';
  const ORDERS: Order[] = ['fresh', 'flagged', 'twice', 'flaggedTwice', 'known', 'reopened'];
  const handlers = () => tier.get(ClocksHandlers);

  /**
   * Six orders: two new, one of them flagged (双交办: its own policy and a supervision item); two
   * dispatched twice in the stream (a 转办 after the first dispatch), one flagged, so the second
   * dispatch moves the item the first opened; one already dispatched (its dispatch hands the clocks
   * over); one reopened into cycle 2 (its dispatch writes a respond clock and removes it again). What
   * comes before is applied one message at a time; the dispatches in the order given.
   */
  async function scenario(): Promise<{
    ids: Record<Order, string>;
    before: () => Promise<void>;
    dispatches: ReturnType<typeof dispatchedEvent>[];
  }> {
    const ids = Object.fromEntries(ORDERS.map((o) => [o, randomUUID()])) as Record<Order, string>;
    const before = async () => {
      for (const o of ['known', 'reopened'] as const) {
        const e = dispatchedEvent(ids[o], '2026-03-02T01:00:00.000Z', { unit: U1 });
        await tier.transaction(() => asBatch((ctx) => handlers().dispatched(e, ctx)));
      }
      const reopened = tier.event('ticket.reopened.v1', {
        ticketId: ids.reopened,
        district: '630104',
        data: {
          assignmentId: randomUUID(),
          unitId: U1,
          source: ReopenSource.Callback,
          reason: '不满意',
          cycle: 2,
          reopenedAt: '2026-03-02T01:30:00.000Z',
        },
        occurredAt: new Date('2026-03-02T01:30:00Z'),
      });
      await tier.transaction(() => lifecycle.onReopened(reopened));
    };
    const at = '2026-03-02T02:00:00.000Z';
    const later = '2026-03-02T03:00:00.000Z';
    const dispatches = [
      dispatchedEvent(ids.fresh, at, { unit: U1 }),
      dispatchedEvent(ids.flagged, at, { unit: U1, flags: [TicketFlag.Repeat] }),
      dispatchedEvent(ids.twice, at, { unit: U1 }),
      dispatchedEvent(ids.twice, later, { unit: U2, flags: [TicketFlag.Concentrated] }),
      dispatchedEvent(ids.flaggedTwice, at, { unit: U1, flags: [TicketFlag.Repeat] }),
      dispatchedEvent(ids.flaggedTwice, later, { unit: U2, flags: [TicketFlag.Repeat] }),
      dispatchedEvent(ids.known, later, { unit: U2 }),
      dispatchedEvent(ids.reopened, later, { unit: U2, cycle: 2 }),
    ];
    return { ids, before, dispatches };
  }

  /** Everything sla keeps and publishes of the orders, their ids replaced by their names and random ids left out. */
  async function outcome(ids: Record<Order, string>) {
    const result: Record<string, unknown> = {};
    for (const o of ORDERS) {
      const clocks = await tier.ds.getRepository(SlaClock).find({ where: { ticketId: ids[o] }, order: { cycle: 'ASC', kind: 'ASC' } });
      const [order] = await tier.ds.query(`SELECT flags, request_type, category_code, urgency FROM sla.sla_order WHERE ticket_id = $1`, [
        ids[o],
      ]);
      const items = await tier.ds.getRepository(SupervisionItem).find({ where: { ticketId: ids[o] }, order: { openedAt: 'ASC' } });
      const actions = items.length
        ? await tier.ds.getRepository(SupervisionAction).find({ where: items.map((i) => ({ itemId: i.id })), order: { at: 'ASC' } })
        : [];
      result[o] = {
        order,
        clocks: clocks.map(({ id: _id, ticketId: _t, ...c }) => c),
        items: items.map(({ id: _id, ticketId: _t, ...i }) => i),
        actions: actions.map(({ action, at, note }) => ({ action, at, note })),
        events: eventsOf(ids[o]).map((e) => ({ type: e.type, data: { ...e.data, itemId: undefined } })),
      };
    }
    return result;
  }

  it('applies them as one message after the other would, with one sla_order statement per round and one sla_clock statement', async () => {
    const one = await scenario();
    await one.before();
    for (const e of one.dispatches) await tier.transaction(() => asBatch((ctx) => handlers().dispatched(e, ctx)));

    const all = await scenario();
    await all.before();
    // Every statement goes through the DataSource's logger.
    const query = jest.spyOn(tier.ds.logger, 'logQuery');
    // The trace each event is published in, by order.
    const traces = all.dispatches.map(() => newTrace());
    const publishedIn: Record<string, string[]> = {};
    const inTrace = (events: { ticketId?: string | null }[]) => {
      for (const e of events) (publishedIn[e.ticketId!] ??= []).push(currentTraceparent() ?? 'none');
    };
    const outbox = tier.outbox;
    const [publishOne, publishMany] = [outbox.publish.bind(outbox), outbox.publishMany.bind(outbox)];
    const publish = jest.spyOn(outbox, 'publish').mockImplementation((type, input) => (inTrace([input]), publishOne(type, input)));
    const many = jest.spyOn(outbox, 'publishMany').mockImplementation((events) => (inTrace([...events]), publishMany(events)));
    let sql: string[];
    try {
      await tier.transaction(() =>
        asBatch(async (ctx) => {
          for (const [i, e] of all.dispatches.entries()) await runWithTrace(traces[i], () => handlers().dispatched(e, ctx));
        }),
      );
      sql = query.mock.calls.map(([q]) => q);
    } finally {
      query.mockRestore();
      publish.mockRestore();
      many.mockRestore();
    }
    // Two dispatches of one order: two rounds of joins; every clock of the batch in one INSERT.
    expect(sql.filter((q) => /INSERT INTO sla_order/.test(q))).toHaveLength(2);
    expect(sql.filter((q) => /INSERT INTO \S*sla_clock/.test(q))).toHaveLength(1);

    const expected = await outcome(one.ids);
    expect(await outcome(all.ids)).toEqual(expected);
    // What the batch decided, to be sure the comparison compares something.
    expect(expected.twice).toMatchObject({
      order: { flags: [TicketFlag.Concentrated] },
      clocks: [
        { kind: ClockKind.Finish, unitId: U2 },
        { kind: ClockKind.Respond, unitId: U2 },
      ],
    });
    expect(expected.flaggedTwice).toMatchObject({
      items: [{ unitId: U2, reason: SupervisionReason.Repeat, status: 'open' }],
      actions: [{ action: SupervisionActionKind.Opened }, { action: SupervisionActionKind.Reassigned }],
    });
    expect((expected.reopened as { clocks: SlaClock[] }).clocks.filter((c) => c.cycle === 2)).toMatchObject([
      { kind: ClockKind.Finish, unitId: U2 },
    ]);
    // Each dispatch's events in its own message's trace, though published at the end of the batch.
    expect(publishedIn).toEqual({
      [all.ids.fresh]: [toTraceparent(traces[0])],
      // clocks-set, then supervision-opened.
      [all.ids.flagged]: [toTraceparent(traces[1]), toTraceparent(traces[1])],
      [all.ids.twice]: [toTraceparent(traces[2])],
      [all.ids.flaggedTwice]: [toTraceparent(traces[4]), toTraceparent(traces[4])],
    });
  });
});
