import 'reflect-metadata';
import { ClockKind } from '@app/contracts';
import { provisionalCalendar, weekdaysOnly } from '@app/platform';
import { isWorkday } from 'chinese-days';
import { CalendarGapError } from '../calendar/working-time';
import { computeDue, newClock, plan, recompute, stoodMinutes, tighten } from './clock-plan';
import { SlaPolicy } from '../policies/sla-policy.entity';
import { at, testPolicy, ZONE } from './clock.fixtures';

/** The library's calendar, with 2027 a gap (as chinese-days 1.5.7 has it). */
const strict = (d: string) => {
  if (d.startsWith('2027')) throw new CalendarGapError(2027);
  return isWorkday(d);
};
const cal = () => provisionalCalendar(strict);
const policy = testPolicy();
const finishAt = (start: string) =>
  newClock({ ticketId: 't', district: '630104', unitId: 'u', kind: ClockKind.Finish, cycle: 1, start: at(start) }, policy, ZONE, cal());

describe('a clock planned from its policy', () => {
  it('is due after the limit, with the first warning at 75 % and nothing fired', () => {
    const c = finishAt('2026-03-02T10:00:00');
    expect(c.dueAt).toEqual(at('2026-03-09T10:00:00'));
    expect(c.warnAt).toEqual(at('2026-03-07T16:00:00'));
    expect(c.nextFireAt).toEqual(c.warnAt);
    expect(c.provisional).toBe(false);
  });

  it('adds the extension days granted and the working time stood still', () => {
    const c = finishAt('2026-03-02T10:00:00');
    c.extendedWorkingDays = 2;
    c.pausedMinutes = 60;
    expect(computeDue(c, policy, ZONE, cal().isWorkingDay)).toEqual(at('2026-03-11T11:00:00'));
  });

  it('counts a pause of a working-day limit in working time only', () => {
    const c = finishAt('2026-03-02T10:00:00');
    c.pausedAt = at('2026-03-06T10:00:00'); // Friday 10:00 to Monday 10:00: one working day stood still.
    expect(stoodMinutes(c, policy, at('2026-03-09T10:00:00'), ZONE, cal().isWorkingDay)).toBe(24 * 60);
  });

  it('is provisional for a year without data, counted weekends-only', () => {
    const c = finishAt('2026-12-28T10:00:00');
    expect(c.dueAt).toEqual(at('2027-01-04T10:00:00'));
    expect(c.provisionalYears).toEqual([2027]);
    expect(c.provisional).toBe(true);
  });
});

describe('a clock recomputed', () => {
  it('re-arms a warning fired whose new time is still ahead, and reports the move', () => {
    const c = finishAt('2026-03-02T10:00:00');
    c.fired = ['warn:elapsed_75pct'];
    c.warnedAt = at('2026-03-07T16:00:00');
    c.extendedWorkingDays = 3;
    expect(recompute(c, policy, at('2026-03-08T00:00:00'), ZONE, cal())).toEqual({ moved: true, changed: true });
    expect(c.dueAt).toEqual(at('2026-03-12T10:00:00'));
    expect(c.fired).toEqual([]);
    expect(c.warnedAt).toBeNull();
    expect(c.nextFireAt).toEqual(c.warnAt);
  });

  it('reports a change of the provisional mark alone, with the due time in place', () => {
    const c = finishAt('2026-12-28T10:00:00');
    // 2027 declared with no holiday in the window: the same days, no longer provisional.
    const declared = provisionalCalendar((d) => (d.startsWith('2027') ? weekdaysOnly(d) : isWorkday(d)));
    expect(recompute(c, policy, at('2026-12-28T11:00:00'), ZONE, declared)).toEqual({ moved: false, changed: true });
    expect(c.provisional).toBe(false);
  });

  it('leaves a paused clock with nothing to fire', () => {
    const c = finishAt('2026-03-02T10:00:00');
    c.pausedAt = at('2026-03-03T10:00:00');
    plan(c, policy, ZONE, cal());
    recompute(c, policy, at('2026-03-03T11:00:00'), ZONE, cal());
    expect(c.nextFireAt).toBeNull();
  });
});

describe('a running clock moved to the 双交办 policy a merge made the order match (tighten)', () => {
  /** The default 双交办 row: respond within 12 hours, finish within 3 working days. */
  const dual = Object.assign(new SlaPolicy(), testPolicy(), {
    id: '6b0f2a8e-0d3c-4c1e-9a51-000000000006',
    respondValue: 12,
    finishValue: 3,
  });
  const respondAt = (start: string) =>
    newClock({ ticketId: 't', district: '630104', unitId: 'u', kind: ClockKind.Respond, cycle: 1, start: at(start) }, policy, ZONE, cal());

  it('counts the stricter limit from the dispatch, warns at its share of it, and names the new policy', () => {
    const c = finishAt('2026-03-02T10:00:00');
    expect(tighten(c, dual, at('2026-03-03T10:00:00'), ZONE, cal())).toBe(true);
    // Monday 10:00 + 3 working days: Thursday 10:00 (not the next Monday); 75 % of the 72 hours: Wednesday 16:00.
    expect(c).toMatchObject({ policyId: dual.id, dueAt: at('2026-03-05T10:00:00'), warnAt: at('2026-03-04T16:00:00'), fired: [] });
    expect(c.nextFireAt).toEqual(c.warnAt);
    const r = respondAt('2026-03-02T10:00:00');
    expect(tighten(r, dual, at('2026-03-02T11:00:00'), ZONE, cal())).toBe(true);
    expect(r.dueAt).toEqual(at('2026-03-02T22:00:00'));
  });

  it('keeps the extension days granted and the time stood still', () => {
    const c = finishAt('2026-03-02T10:00:00');
    c.extendedWorkingDays = 2;
    plan(c, policy, ZONE, cal()); // Wednesday 11 March
    expect(tighten(c, dual, at('2026-03-03T10:00:00'), ZONE, cal())).toBe(true);
    expect(c.dueAt).toEqual(at('2026-03-09T10:00:00')); // Thursday + 2 working days
  });

  it('never lengthens a shorter limit: an urgent clock keeps its policy and due time', () => {
    const urgent = Object.assign(new SlaPolicy(), testPolicy(), { id: 'urgent', finishValue: 24, finishUnit: 'hours' });
    const c = newClock(
      { ticketId: 't', district: '630104', unitId: 'u', kind: ClockKind.Finish, cycle: 1, start: at('2026-03-02T10:00:00') },
      urgent,
      ZONE,
      cal(),
    );
    expect(tighten(c, dual, at('2026-03-02T12:00:00'), ZONE, cal())).toBe(false);
    expect(c).toMatchObject({ policyId: 'urgent', dueAt: at('2026-03-03T10:00:00') });
  });

  it('leaves a stopped clock and a breached one as they are', () => {
    const stopped = finishAt('2026-03-02T10:00:00');
    stopped.stoppedAt = at('2026-03-03T09:00:00');
    const breached = respondAt('2026-03-02T10:00:00');
    breached.fired = ['warn:elapsed_75pct', 'breach'];
    breached.breachedAt = at('2026-03-03T10:00:00');
    for (const c of [stopped, breached]) {
      const due = c.dueAt;
      expect(tighten(c, dual, at('2026-03-03T11:00:00'), ZONE, cal())).toBe(false);
      expect(c).toMatchObject({ policyId: policy.id, dueAt: due });
    }
  });

  it('makes a clock whose stricter due time has passed due at the next tick: the warning and the breach fire then', () => {
    const c = finishAt('2026-03-02T10:00:00');
    expect(tighten(c, dual, at('2026-03-06T12:00:00'), ZONE, cal())).toBe(true);
    expect(c.dueAt).toEqual(at('2026-03-05T10:00:00'));
    expect(c.fired).toEqual([]);
    expect(c.nextFireAt).toEqual(at('2026-03-04T16:00:00'));
  });
});
