import { ClockKind, RequestType, TicketDispatchedV1, Urgency } from '@app/contracts';
import { MetricsRegistry } from '@app/platform';
import { serviceTier, ServiceTier } from '@app/platform/testing';
import { randomUUID } from 'node:crypto';
import { CalendarAdminService } from '../../apps/sla/src/calendar/calendar-admin.service';
import { CalendarRepository } from '../../apps/sla/src/calendar/calendar.repository';
import { CalendarService } from '../../apps/sla/src/calendar/calendar.service';
import { ClocksRepository } from '../../apps/sla/src/clocks/clocks.repository';
import { ClockLifecycleService } from '../../apps/sla/src/clocks/clock-lifecycle.service';
import { ClockPausesService } from '../../apps/sla/src/clocks/clock-pauses.service';
import { ClockQueriesService } from '../../apps/sla/src/clocks/clock-queries.service';
import { ClockReassignmentService } from '../../apps/sla/src/clocks/clock-reassignment.service';
import { ClockRecomputeService } from '../../apps/sla/src/clocks/clock-recompute.service';
import { ClockSchedules } from '../../apps/sla/src/clocks/clock-schedules.service';
import { ClockTickService } from '../../apps/sla/src/clocks/clock-tick.service';
import { SlaClock } from '../../apps/sla/src/clocks/sla-clock.entity';
import { PoliciesRepository } from '../../apps/sla/src/policies/policies.repository';
import { PolicyCache } from '../../apps/sla/src/policies/policy-cache';
import { SLA_CONFIG, SlaConfig } from '../../apps/sla/src/sla.config';
import { SlaMetrics } from '../../apps/sla/src/sla.metrics';
import { SLA_PERSISTENCE } from '../../apps/sla/src/sla.persistence';
import { SupervisionItem } from '../../apps/sla/src/supervision/supervision.entity';
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
      ClockSchedules,
      ClockReassignmentService,
      ClockLifecycleService,
      ClockRecomputeService,
      ClockTickService,
      ClockQueriesService,
      ClockPausesService,
      SupervisionRepository,
      SupervisionService,
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

/** A lift complaint dispatched to the market bureau at `at` (default: Monday 2 March 2026, 10:00 in Xining). */
async function dispatch(at = '2026-03-02T02:00:00.000Z'): Promise<string> {
  const ticketId = randomUUID();
  const data: TicketDispatchedV1 = {
    assignmentId: randomUUID(),
    unitId,
    unitName: '城中区市场监督管理局',
    districtCode: '630104',
    categoryCode: 'market.lift',
    requestType: RequestType.Complaint,
    urgency: Urgency.Ordinary,
    flags: [],
    cycle: 1,
    dispatchedAt: at,
  };
  // tier.event still returns the payload-typed (deprecated) envelope; the handler takes the type-keyed one.
  const e = tier.event('ticket.dispatched.v1', {
    ticketId,
    district: '630104',
    data,
    occurredAt: new Date(at),
  });
  await tier.transaction(() => lifecycle.onDispatched(e));
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
});

it('sets aside a clock that throws in the tick, and the others still fire', async () => {
  const broken = await dispatch();
  const sound = await dispatch();
  // A policy row gone: the broken order's respond clock cannot read its schedule.
  // It is claimed first (the tick goes by next_fire_at): the RecordingOutbox forgets the events of an
  // earlier sibling savepoint when a later one rolls back, which the real outbox does not.
  await tier.ds.query(
    `UPDATE sla.sla_clock SET policy_id = $1, next_fire_at = next_fire_at - interval '1 minute' WHERE ticket_id = $2 AND kind = 'respond'`,
    [randomUUID(), broken],
  );
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
