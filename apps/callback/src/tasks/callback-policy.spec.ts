import { randomUUID } from 'node:crypto';
import { addWorkingDays, CalendarGapError, distinctDays, isUnreachable, sampled } from './callback-policy';

const Z = 'Asia/Shanghai';
const at = (local: string) => new Date(`${local}+08:00`);

describe('callback due times in working days', () => {
  it('is the next working day at the same time of day', () => {
    expect(addWorkingDays(at('2026-03-10T15:00:00'), 1, Z)).toEqual(at('2026-03-11T15:00:00'));
  });

  it('skips the weekend', () => {
    expect(addWorkingDays(at('2026-03-13T15:00:00'), 1, Z)).toEqual(at('2026-03-16T15:00:00'));
  });

  it('skips National Day and lands on the adjusted working Saturday (调休)', () => {
    // 2025: 1–8 Oct off; Sat 11 Oct is a working day.
    expect(addWorkingDays(at('2025-09-30T10:00:00'), 1, Z)).toEqual(at('2025-10-09T10:00:00'));
    expect(addWorkingDays(at('2025-10-10T10:00:00'), 1, Z)).toEqual(at('2025-10-11T10:00:00'));
  });

  it('counts a review on a holiday from the next working morning', () => {
    expect(addWorkingDays(at('2026-03-14T20:00:00'), 1, Z)).toEqual(at('2026-03-17T00:00:00'));
  });

  it('refuses to guess for a year without data', () => {
    expect(() => addWorkingDays(at('2031-03-10T10:00:00'), 1, Z)).toThrow(CalendarGapError);
  });
});

describe('sampling', () => {
  it('is all or nothing at 100 and 0 percent', () => {
    const id = randomUUID();
    expect(sampled('spot', id, 100)).toBe(true);
    expect(sampled('spot', id, 0)).toBe(false);
  });

  it('is stable for one order and close to the share over many', () => {
    const ids = Array.from({ length: 4000 }, () => randomUUID());
    expect(ids.map((id) => sampled('fc', id, 10))).toEqual(ids.map((id) => sampled('fc', id, 10)));
    const share = ids.filter((id) => sampled('fc', id, 10)).length / ids.length;
    expect(share).toBeGreaterThan(0.07);
    expect(share).toBeLessThan(0.13);
  });

  it('draws independent samples per salt', () => {
    const ids = Array.from({ length: 2000 }, () => randomUUID());
    const a = ids.filter((id) => sampled('a', id, 50));
    const both = a.filter((id) => sampled('b', id, 50)).length / ids.length;
    expect(both).toBeGreaterThan(0.2);
    expect(both).toBeLessThan(0.3);
  });
});

describe('unreachable after N attempts over M days', () => {
  const rule = { maxAttempts: 3, days: 2 };

  it('is not unreachable after three tries on one morning', () => {
    const times = [at('2026-03-11T10:00:00'), at('2026-03-11T12:00:00'), at('2026-03-11T16:00:00')];
    expect(distinctDays(times, Z)).toBe(1);
    expect(isUnreachable(times, rule, Z)).toBe(false);
  });

  it('is unreachable after three tries over two days, counted in the city’s time zone', () => {
    // 23:30 UTC on the 10th is 07:30 on the 11th in Xining.
    expect(isUnreachable([new Date('2026-03-10T23:30:00Z'), at('2026-03-11T15:00:00'), at('2026-03-12T09:00:00')], rule, Z)).toBe(true);
    expect(isUnreachable([new Date('2026-03-10T23:30:00Z'), at('2026-03-11T15:00:00')], rule, Z)).toBe(false);
  });
});
