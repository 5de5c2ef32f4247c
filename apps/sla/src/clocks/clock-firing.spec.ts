import 'reflect-metadata';
import { ClockKind, EscalationTarget } from '@app/contracts';
import { provisionalCalendar } from '@app/platform';
import { isWorkday } from 'chinese-days';
import { countSteps, fireDue, stepEvent } from './clock-firing';
import { newClock, scheduleOf } from './clock-plan';
import { at, testPolicy, ZONE } from './clock.fixtures';

const cal = provisionalCalendar(isWorkday);
const policy = testPolicy();
/** A finish clock from Monday 2 March 2026, 10:00: warning Sat 7 Mar 16:00, due and step 1 Mon 9 Mar 10:00, step 2 Tue 10 Mar, step 3 Mon 16 Mar. */
const clock = () =>
  newClock(
    {
      ticketId: '7d3e1c52-5b0a-4c7e-9f1d-2a6b8c4e0f13',
      district: '630104',
      unitId: '5a1c0000-0000-4000-8000-000000000001',
      kind: ClockKind.Finish,
      cycle: 1,
      start: at('2026-03-02T10:00:00'),
    },
    policy,
    ZONE,
    cal,
  );
const fire = (c: ReturnType<typeof clock>, now: Date) => fireDue(c, scheduleOf(c, policy, ZONE, cal.isWorkingDay), now);

describe('a clock fired at a tick', () => {
  it('fires nothing before its first milestone, and leaves the next look where it was', () => {
    const c = clock();
    const f = fire(c, at('2026-03-07T15:59:00'));
    expect(f.steps).toEqual([]);
    expect(f.clock.nextFireAt).toEqual(at('2026-03-07T16:00:00'));
  });

  it('fires a warning once: its key is kept, the next look is the due time', () => {
    const c = clock();
    const now = at('2026-03-07T16:01:00');
    const f = fire(c, now);
    expect(f.steps).toEqual([{ kind: 'warning', rule: 'elapsed_75pct' }]);
    expect(f.clock).toMatchObject({ fired: ['warn:elapsed_75pct'], warnedAt: now, nextFireAt: c.dueAt });
    expect(fire(f.clock, at('2026-03-07T16:02:00')).steps).toEqual([]);
  });

  it('fires everything due in schedule order, and leaves the row it was given untouched', () => {
    const c = clock();
    const now = at('2026-03-10T10:05:00');
    const f = fire(c, now);
    expect(f.steps).toEqual([
      { kind: 'warning', rule: 'elapsed_75pct' },
      { kind: 'breach' },
      { kind: 'escalation', step: 1, target: EscalationTarget.Unit },
      { kind: 'escalation', step: 2, target: EscalationTarget.District },
    ]);
    expect(f.clock).toMatchObject({
      fired: ['warn:elapsed_75pct', 'breach', 'escalate:1', 'escalate:2'],
      warnedAt: now,
      breachedAt: now,
      escalationStep: 2,
      escalatedAt: now,
      nextFireAt: at('2026-03-16T10:00:00'),
    });
    expect(c).toMatchObject({ fired: [], warnedAt: null, breachedAt: null, escalationStep: 0, nextFireAt: at('2026-03-07T16:00:00') });
    expect(countSteps([f, fire(c, at('2026-03-07T16:01:00'))])).toEqual({ warnings: 2, breaches: 1, escalations: 2 });
  });

  it('keeps the first warning instant and the highest step when fired again later', () => {
    const first = fire(clock(), at('2026-03-09T10:01:00'));
    const later = fire(first.clock, at('2026-03-16T10:01:00'));
    expect(later.steps).toEqual([
      { kind: 'escalation', step: 2, target: EscalationTarget.District },
      { kind: 'escalation', step: 3, target: EscalationTarget.City },
    ]);
    expect(later.clock).toMatchObject({ warnedAt: at('2026-03-09T10:01:00'), escalationStep: 3, nextFireAt: null });
  });

  it('announces each step with the clock it belongs to', () => {
    const c = clock();
    const now = at('2026-03-09T10:05:00');
    const [, breach, step] = fire(c, now).steps;
    expect(stepEvent(c, breach, now)).toEqual({
      type: 'sla.breached.v1',
      district: '630104',
      ticketId: c.ticketId,
      occurredAt: now,
      data: {
        clockId: c.id,
        kind: ClockKind.Finish,
        unitId: c.unitId,
        cycle: 1,
        dueAt: c.dueAt.toISOString(),
        breachedAt: now.toISOString(),
      },
    });
    expect(stepEvent(c, step, now)).toMatchObject({ type: 'sla.escalated.v1', data: { step: 1, target: EscalationTarget.Unit } });
  });
});
