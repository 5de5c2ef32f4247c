import { EscalationTarget } from '@app/contracts';
import { addWorkingDays, fractionOf, subtractWorkingDays, WorkingDayFn } from '../calendar/working-time';

/** One step of a policy's escalation ladder: who is told, how many working days after the due time. */
export interface EscalationStep {
  target: EscalationTarget;
  afterWorkingDays: number;
}

/** What of a policy decides when a clock fires. */
export interface FiringRules {
  warnPercent: number;
  warnWorkingDaysBefore: number | null;
  escalation: EscalationStep[];
}

export type Milestone =
  | { key: string; at: Date; kind: 'warning'; rule: string }
  | { key: 'breach'; at: Date; kind: 'breach' }
  | { key: string; at: Date; kind: 'escalation'; step: number; target: EscalationTarget };

const ORDER = { warning: 0, breach: 1, escalation: 2 } as const;

/**
 * Everything a clock will fire, in order: the warnings before the due time (a share of the limit
 * elapsed; n working days before), the breach at it, and the escalation ladder after it. Keys are
 * stable, so a clock remembers what it has fired (`fired`) and a recomputed due time (extension,
 * pause, calendar edit) re-arms only what has not fired yet.
 *   start Tue 30 Sep 10:00, due Tue 14 Oct 10:00, 75 %, 2 days before, ladder unit 0 / district 1 / city 5:
 *   warning elapsed_75pct Fri 10 Oct 22:00, warning 2_working_days_before Sat 11 Oct 10:00, breach and
 *   escalation 1 (unit) Tue 14 Oct 10:00, escalation 2 (district) Wed 15 Oct 10:00, 3 (city) Tue 21 Oct 10:00.
 */
export function milestones(startedAt: Date, dueAt: Date, rules: FiringRules, zone: string, isWorkingDay: WorkingDayFn): Milestone[] {
  const out: Milestone[] = [];
  if (rules.warnPercent > 0 && rules.warnPercent < 100) {
    const at = fractionOf(startedAt, dueAt, rules.warnPercent);
    if (at > startedAt && at < dueAt)
      out.push({ key: `warn:elapsed_${rules.warnPercent}pct`, at, kind: 'warning', rule: `elapsed_${rules.warnPercent}pct` });
  }
  if (rules.warnWorkingDaysBefore) {
    const at = subtractWorkingDays(dueAt, rules.warnWorkingDaysBefore, zone, isWorkingDay);
    const rule = `${rules.warnWorkingDaysBefore}_working_days_before`;
    if (at > startedAt && at < dueAt) out.push({ key: `warn:${rule}`, at, kind: 'warning', rule });
  }
  out.push({ key: 'breach', at: dueAt, kind: 'breach' });
  rules.escalation.forEach((s, i) => {
    const at = s.afterWorkingDays === 0 ? dueAt : addWorkingDays(dueAt, s.afterWorkingDays, zone, isWorkingDay);
    out.push({ key: `escalate:${i + 1}`, at, kind: 'escalation', step: i + 1, target: s.target });
  });
  return out.sort((a, b) => a.at.getTime() - b.at.getTime() || ORDER[a.kind] - ORDER[b.kind]);
}

/** The next instant anything is left to fire, or null. */
export function nextUnfired(ms: Milestone[], fired: readonly string[]): Date | null {
  return ms.find((m) => !fired.includes(m.key))?.at ?? null;
}
