import { ClockKind } from '@app/contracts';
import { ProvisionalCalendar, WorkingDayFn } from '@app/platform';
import { randomUUID } from 'node:crypto';
import { addWorkingDays, addWorkingMs, dueAfter, workingMsBetween } from '../calendar/working-time';
import { SlaPolicy } from '../policies/sla-policy.entity';
import { Milestone, milestones, nextUnfired } from './schedule';
import { SlaClock } from './sla-clock.entity';

/**
 * The due-time arithmetic of a clock, pure: its limit, extensions and time stood still on a calendar
 * given, in the city's zone. The services read the calendar and the policy and write the row.
 */

/** What the clock fires, from its stored due time. */
export function scheduleOf(c: SlaClock, policy: SlaPolicy, zone: string, cal: WorkingDayFn): Milestone[] {
  return milestones(
    c.startedAt,
    c.dueAt,
    { warnPercent: policy.warnPercent, warnWorkingDaysBefore: policy.warnWorkingDaysBefore, escalation: policy.escalation },
    zone,
    cal,
  );
}

/** The due time from the limit, the extensions granted and the time stood still. */
export function computeDue(c: SlaClock, policy: SlaPolicy, zone: string, cal: WorkingDayFn): Date {
  const [value, unit] = c.kind === ClockKind.Respond ? [policy.respondValue, policy.respondUnit] : [policy.finishValue, policy.finishUnit];
  let due = dueAfter(c.startedAt, value, unit, zone, cal);
  if (c.extendedWorkingDays > 0) due = addWorkingDays(due, c.extendedWorkingDays, zone, cal);
  if (c.pausedMinutes > 0) {
    const ms = c.pausedMinutes * 60_000;
    due = unit === 'hours' ? new Date(due.getTime() + ms) : addWorkingMs(due, ms, zone, cal);
  }
  return due;
}

/**
 * The due time and the schedule on one provisional calendar: a year without data is counted
 * weekends-only and the clock is marked provisional for it (never a missing deadline, never a
 * silently wrong one). Sets dueAt, windowEnd (the last instant the schedule reads the calendar to)
 * and the provisional mark on `c`.
 */
export function plan(c: SlaClock, policy: SlaPolicy, zone: string, cal: ProvisionalCalendar): Milestone[] {
  c.dueAt = computeDue(c, policy, zone, cal.isWorkingDay);
  const ms = scheduleOf(c, policy, zone, cal.isWorkingDay);
  c.windowEnd = new Date(Math.max(c.dueAt.getTime(), ...ms.map((x) => x.at.getTime())));
  c.provisionalYears = [...cal.provisionalYears].sort((a, b) => a - b);
  c.provisional = c.provisionalYears.length > 0;
  return ms;
}

/**
 * Recompute the due time and what is left to fire on the row in hand, without writing or announcing.
 * A milestone already fired whose new time is still ahead is re-armed (a deadline moved later warns
 * again before the new one); one whose new time has passed and has not fired fires at the next tick.
 * `moved` if the due time moved, `changed` if that or the provisional mark did (both are announced).
 */
export function recompute(
  c: SlaClock,
  policy: SlaPolicy,
  now: Date,
  zone: string,
  cal: ProvisionalCalendar,
): { moved: boolean; changed: boolean } {
  const before = c.dueAt.getTime();
  const wasProvisional = c.provisional;
  const ms = plan(c, policy, zone, cal);
  const atOf = new Map(ms.map((x) => [x.key, x.at]));
  c.fired = c.fired.filter((k) => (atOf.get(k) ?? now) <= now);
  if (!c.fired.includes('breach')) c.breachedAt = null;
  if (!c.fired.some((k) => k.startsWith('warn:'))) c.warnedAt = null;
  c.escalationStep = Math.max(0, ...c.fired.filter((k) => k.startsWith('escalate:')).map((k) => Number(k.slice(9))));
  if (c.escalationStep === 0) c.escalatedAt = null;
  c.warnAt = ms.find((x) => x.kind === 'warning')?.at ?? c.dueAt;
  c.nextFireAt = c.stoppedAt || c.pausedAt ? null : nextUnfired(ms, c.fired);
  const moved = c.dueAt.getTime() !== before;
  return { moved, changed: moved || wasProvisional !== c.provisional };
}

/**
 * 双交办 after dispatch: a merge made the order repeat or concentrated while its clock runs. The
 * clock moves to `policy` (the flagged policy the order now matches) only if that makes it due
 * sooner: the flagged limit counts from the clock's start (the dispatch), with the extensions
 * granted and the time stood still as they are, and never lengthens a shorter limit (an urgent
 * order keeps its 24 hours). A clock stopped, or already breached, stays as it is. On a move, the
 * due time and what is left to fire are recomputed as `recompute` does (a warning whose new time
 * has passed fires at the next tick, and so does the breach). True if the clock moved.
 */
export function tighten(c: SlaClock, policy: SlaPolicy, now: Date, zone: string, cal: ProvisionalCalendar): boolean {
  if (c.stoppedAt || c.breachedAt || c.policyId === policy.id) return false;
  if (computeDue(c, policy, zone, cal.isWorkingDay) >= c.dueAt) return false;
  c.policyId = policy.id;
  recompute(c, policy, now, zone, cal);
  return true;
}

/** The minutes a paused clock stood still until `at`, in the limit's own unit (wall time for hours, working time for days). */
export function stoodMinutes(c: SlaClock, policy: SlaPolicy, at: Date, zone: string, cal: WorkingDayFn): number {
  if (!c.pausedAt) return 0;
  const unit = c.kind === ClockKind.Respond ? policy.respondUnit : policy.finishUnit;
  const ms = unit === 'hours' ? Math.max(0, at.getTime() - c.pausedAt.getTime()) : workingMsBetween(c.pausedAt, at, zone, cal);
  return Math.round(ms / 60_000);
}

/** A new running clock of `kind`, planned from `policy` on the calendar given. */
export function newClock(
  f: { ticketId: string; district: string; unitId: string; kind: ClockKind; cycle: number; start: Date },
  policy: SlaPolicy,
  zone: string,
  cal: ProvisionalCalendar,
): SlaClock {
  const c = Object.assign(new SlaClock(), {
    id: randomUUID(),
    ticketId: f.ticketId,
    districtCode: f.district,
    unitId: f.unitId,
    unitAssignedAt: f.start,
    kind: f.kind,
    cycle: f.cycle,
    policyId: policy.id,
    startedAt: f.start,
    warnedAt: null,
    breachedAt: null,
    stoppedAt: null,
    fired: [],
    escalationStep: 0,
    escalatedAt: null,
    extendedWorkingDays: 0,
    pausedMinutes: 0,
    pausedAt: null,
    pauseReason: null,
    failCount: 0,
    lastError: null,
    failedAt: null,
  });
  const ms = plan(c, policy, zone, cal);
  c.warnAt = ms.find((x) => x.kind === 'warning')?.at ?? c.dueAt;
  c.nextFireAt = nextUnfired(ms, c.fired);
  return c;
}
