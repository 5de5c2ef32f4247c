import 'reflect-metadata';
import { EscalationTarget } from '@app/contracts';
import { isWorkday } from 'chinese-days';
import { milestones, nextUnfired } from './schedule';

const ZONE = 'Asia/Shanghai';
const at = (local: string) => new Date(`${local}+08:00`);
const local = (d: Date) => new Date(d.getTime() + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');
const LADDER = [
  { target: EscalationTarget.Unit, afterWorkingDays: 0 },
  { target: EscalationTarget.District, afterWorkingDays: 1 },
  { target: EscalationTarget.City, afterWorkingDays: 5 },
];

describe('what a clock fires, and when', () => {
  it('orders the warnings, the breach and the ladder over the National Day holiday', () => {
    const ms = milestones(
      at('2025-09-30T10:00:00'),
      at('2025-10-14T10:00:00'),
      { warnPercent: 75, warnWorkingDaysBefore: 2, escalation: LADDER },
      ZONE,
      isWorkday,
    );
    expect(ms.map((m) => [m.key, local(m.at)])).toEqual([
      ['warn:elapsed_75pct', '2025-10-10 22:00'], // 75 % of 14 calendar days: wall-clock share of the window
      ['warn:2_working_days_before', '2025-10-11 10:00'], // the adjusted working Saturday
      ['breach', '2025-10-14 10:00'],
      ['escalate:1', '2025-10-14 10:00'], // the unit at once
      ['escalate:2', '2025-10-15 10:00'], // the district one working day later
      ['escalate:3', '2025-10-21 10:00'], // the city five working days later
    ]);
  });

  it('drops a days-before warning that would come before the clock started (a 24-hour limit)', () => {
    const ms = milestones(
      at('2025-10-09T10:00:00'),
      at('2025-10-10T10:00:00'),
      { warnPercent: 75, warnWorkingDaysBefore: 2, escalation: [] },
      ZONE,
      isWorkday,
    );
    expect(ms.map((m) => m.key)).toEqual(['warn:elapsed_75pct', 'breach']);
  });

  it('finds the next unfired milestone, or none', () => {
    const ms = milestones(
      at('2025-10-09T10:00:00'),
      at('2025-10-10T10:00:00'),
      { warnPercent: 75, warnWorkingDaysBefore: null, escalation: LADDER.slice(0, 1) },
      ZONE,
      isWorkday,
    );
    expect(nextUnfired(ms, ['warn:elapsed_75pct'])).toEqual(at('2025-10-10T10:00:00'));
    expect(nextUnfired(ms, ['warn:elapsed_75pct', 'breach', 'escalate:1'])).toBeNull();
  });
});
