import { FieldValidationException } from '@app/platform';
import { resolvePeriod } from './period';
import { compositeScore, rate } from './rates.service';

const Z = 'Asia/Shanghai';

describe('resolvePeriod', () => {
  it('takes the ISO week and the month containing from', () => {
    expect(resolvePeriod({ period: 'week', from: '2026-03-12' }, Z)).toEqual({ kind: 'week', from: '2026-03-09', to: '2026-03-15' });
    expect(resolvePeriod({ period: 'month', from: '2026-02-12' }, Z)).toEqual({ kind: 'month', from: '2026-02-01', to: '2026-02-28' });
    expect(resolvePeriod({ period: 'day', from: '2026-02-12' }, Z)).toEqual({ kind: 'day', from: '2026-02-12', to: '2026-02-12' });
  });

  it.each([
    [{ from: '2026-03-01' }, 'open-ended'],
    [{ from: '2026-03-10', to: '2026-03-01' }, 'to is before from'],
    [{ from: '2025-01-01', to: '2026-03-01' }, 'at most 366 days'],
    [{ period: 'month' as const, from: '2026-03-01', to: '2026-03-31' }, 'leave to out'],
    [{ from: '2026-02-30', to: '2026-03-01' }, 'not a calendar date'],
  ])('refuses %j', (q, reason) => {
    expect(() => resolvePeriod(q, Z)).toThrow(FieldValidationException);
    expect(() => resolvePeriod(q, Z)).toThrow(reason);
  });
});

describe('compositeScore', () => {
  const rates = { response: rate(2, 3), resolution: rate(1, 1), satisfaction: rate(1, 1), onTime: rate(0, 0), rework: rate(1, 4) };
  it('weighs the rates and skips those without a denominator', () => {
    expect(compositeScore(rates, { response: 0.2, resolution: 0.4, satisfaction: 0.4 })).toBe(93.33);
    expect(compositeScore(rates, { onTime: 1, rework: 1 })).toBe(75);
    expect(compositeScore(rates, { onTime: 1 })).toBeNull();
  });
});
