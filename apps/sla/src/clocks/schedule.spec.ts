import 'reflect-metadata';
import { EscalationTarget } from '@app/contracts';
import { isWorkday } from 'chinese-days';
import { provisionalCalendar } from '@app/platform';
import { CalendarGapError, dueAfter } from '../calendar/working-time';
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

describe('a clock that reaches a year without data (the provisional calendar, weekends only)', () => {
  // 2026 is known to the library; 2027 is not (chinese-days 1.5.7): every 2027 day is answered Mon–Fri.
  const strict = (d: string) => {
    if (!d.startsWith('2026')) throw new CalendarGapError(Number(d.slice(0, 4)));
    return isWorkday(d);
  };

  it('gets a due time and a whole schedule at once, and knows it is provisional for 2027', () => {
    const cal = provisionalCalendar(strict);
    const start = at('2026-12-28T09:30:00'); // Monday
    const due = dueAfter(start, 5, 'working_days', ZONE, cal.isWorkingDay);
    // 29, 30, 31 Dec 2026, then Fri 1 Jan 2027 (a weekday on the provisional calendar), Mon 4 Jan.
    expect(local(due)).toBe('2027-01-04 09:30');
    const ms = milestones(start, due, { warnPercent: 75, warnWorkingDaysBefore: 2, escalation: LADDER }, ZONE, cal.isWorkingDay);
    expect(ms.map((m) => [m.key, local(m.at)])).toEqual([
      ['warn:2_working_days_before', '2026-12-31 09:30'], // back over the provisional weekend and Fri 1 Jan
      ['warn:elapsed_75pct', '2027-01-02 15:30'], // 75 % of 7 calendar days: 5 d 6 h
      ['breach', '2027-01-04 09:30'],
      ['escalate:1', '2027-01-04 09:30'],
      ['escalate:2', '2027-01-05 09:30'],
      ['escalate:3', '2027-01-11 09:30'], // 5, 6, 7, 8 and Mon 11 Jan
    ]);
    expect([...cal.provisionalYears]).toEqual([2027]);
  });

  it('is not provisional when everything it reads is known', () => {
    const cal = provisionalCalendar(strict);
    const start = at('2026-12-01T10:00:00');
    const due = dueAfter(start, 5, 'working_days', ZONE, cal.isWorkingDay);
    milestones(start, due, { warnPercent: 75, warnWorkingDaysBefore: null, escalation: LADDER }, ZONE, cal.isWorkingDay);
    expect(local(due)).toBe('2026-12-08 10:00');
    expect(cal.provisionalYears.size).toBe(0);
  });

  it('moves when the year is declared with a holiday on the provisional working day', () => {
    const declared = (d: string) => (d === '2027-01-01' ? false : d.startsWith('2027') ? isWorkday(d) : strict(d));
    const cal = provisionalCalendar(declared);
    expect(local(dueAfter(at('2026-12-28T09:30:00'), 5, 'working_days', ZONE, cal.isWorkingDay))).toBe('2027-01-05 09:30');
    expect(cal.provisionalYears.size).toBe(0);
  });
});
