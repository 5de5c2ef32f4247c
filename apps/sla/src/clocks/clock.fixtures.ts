import { DEFAULT_ESCALATION, SlaPolicy } from '../policies/sla-policy.entity';

/** The city's zone, as the clocks' unit tests plan in it. */
export const ZONE = 'Asia/Shanghai';

/** A wall time in Beijing as an instant: `at('2026-03-02T10:00:00')`. */
export const at = (local: string): Date => new Date(`${local}+08:00`);

/**
 * The policy the clocks' unit tests plan with: respond within 24 hours, finish within 5 working days,
 * a warning at 75 % of the time, the default escalation ladder, no pauses.
 */
export const testPolicy = (): SlaPolicy =>
  Object.assign(new SlaPolicy(), {
    id: '6b0f2a8e-0d3c-4c1e-9a51-000000000001',
    respondValue: 24,
    respondUnit: 'hours',
    finishValue: 5,
    finishUnit: 'working_days',
    warnPercent: 75,
    warnWorkingDaysBefore: null,
    escalation: DEFAULT_ESCALATION,
    pauseOn: [],
  });
