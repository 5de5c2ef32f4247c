import { addWorkingDays } from './working-days';

const Z = 'Asia/Shanghai';
const L = (s: string) => new Date(`${s}+08:00`);

describe('addWorkingDays (return limit)', () => {
  it('counts two working days and keeps the time of day', () => {
    expect(addWorkingDays(L('2025-09-22T10:00:00'), 2, Z)).toEqual(L('2025-09-24T10:00:00'));
  });

  it('skips the National Day holiday and counts the adjusted working Saturday (调休)', () => {
    // Tuesday 30 September 2025 → 1–8 October off → Thursday 9 October, Saturday 11 October is a working day.
    expect(addWorkingDays(L('2025-09-30T15:00:00'), 1, Z)).toEqual(L('2025-10-09T15:00:00'));
    expect(addWorkingDays(L('2025-09-30T15:00:00'), 3, Z)).toEqual(L('2025-10-11T15:00:00'));
  });

  it('counts a weekend start from 00:00 of the next working day', () => {
    expect(addWorkingDays(L('2025-09-20T22:00:00'), 2, Z)).toEqual(L('2025-09-24T00:00:00'));
  });

  it('answers null for a year the library does not know', () => {
    expect(addWorkingDays(L('2031-03-03T10:00:00'), 2, Z)).toBeNull();
  });
});
