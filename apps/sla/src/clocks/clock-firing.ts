import { EscalationTarget } from '@app/contracts';
import { OutgoingEvent } from '@app/platform';
import { Milestone, nextUnfired } from './schedule';
import { SlaClock } from './sla-clock.entity';

/**
 * What one clock fires at a tick, pure: from its schedule and what it has fired, the steps due at
 * `now`, the clock as it is after them, and the events they announce. The tick plans every claimed
 * clock this way in memory and then writes the batch (clock-tick.service.ts).
 */

/** One milestone fired, in schedule order. */
export type FiringStep =
  { kind: 'warning'; rule: string } | { kind: 'breach' } | { kind: 'escalation'; step: number; target: EscalationTarget };

export interface Firing {
  /** The clock after firing: `fired`, `warnedAt`, `breachedAt`, `escalationStep`, `escalatedAt` and `nextFireAt` moved on. */
  clock: SlaClock;
  steps: FiringStep[];
}

/**
 * Every milestone of `ms` due at `now` and not fired yet, in order, applied to a copy of `c` (the
 * claimed row is left as it was read). A milestone fires once: its key goes into `fired`.
 */
export function fireDue(c: SlaClock, ms: readonly Milestone[], now: Date): Firing {
  const clock = Object.assign(new SlaClock(), c, { fired: [...c.fired] });
  const steps: FiringStep[] = [];
  for (const x of ms) {
    if (x.at > now || clock.fired.includes(x.key)) continue;
    clock.fired.push(x.key);
    switch (x.kind) {
      case 'warning':
        clock.warnedAt ??= now;
        steps.push({ kind: 'warning', rule: x.rule });
        break;
      case 'breach':
        clock.breachedAt = now;
        steps.push({ kind: 'breach' });
        break;
      case 'escalation':
        clock.escalationStep = Math.max(clock.escalationStep, x.step);
        clock.escalatedAt = now;
        steps.push({ kind: 'escalation', step: x.step, target: x.target });
        break;
    }
  }
  clock.nextFireAt = nextUnfired([...ms], clock.fired);
  return { clock, steps };
}

/** The event a step announces: `sla.warning.v1`, `sla.breached.v1` or `sla.escalated.v1`. */
export function stepEvent(c: SlaClock, step: FiringStep, now: Date): OutgoingEvent {
  const event = { district: c.districtCode, ticketId: c.ticketId, occurredAt: now };
  const base = { clockId: c.id, kind: c.kind, unitId: c.unitId, cycle: c.cycle, dueAt: c.dueAt.toISOString() };
  switch (step.kind) {
    case 'warning':
      return { type: 'sla.warning.v1', ...event, data: { ...base, rule: step.rule, warnedAt: now.toISOString() } };
    case 'breach':
      return { type: 'sla.breached.v1', ...event, data: { ...base, breachedAt: now.toISOString() } };
    case 'escalation':
      return {
        type: 'sla.escalated.v1',
        ...event,
        data: { clockId: c.id, kind: c.kind, unitId: c.unitId, step: step.step, target: step.target, escalatedAt: now.toISOString() },
      };
  }
}

/** How many of each kind a set of firings holds. */
export function countSteps(firings: readonly Firing[]): { warnings: number; breaches: number; escalations: number } {
  const n = { warnings: 0, breaches: 0, escalations: 0 };
  for (const f of firings)
    for (const s of f.steps) {
      if (s.kind === 'warning') n.warnings++;
      else if (s.kind === 'breach') n.breaches++;
      else n.escalations++;
    }
  return n;
}
