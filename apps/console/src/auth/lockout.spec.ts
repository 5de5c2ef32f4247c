import { isLocked, lockSeconds } from './lockout';

const policy = { threshold: 5, baseSeconds: 60, maxSeconds: 3600 };

describe('lockout back-off', () => {
  it('does not lock below the threshold', () => {
    expect([0, 1, 4].map((n) => lockSeconds(n, policy))).toEqual([0, 0, 0]);
  });

  it('locks at the threshold and doubles with each further failure', () => {
    expect([5, 6, 7, 8].map((n) => lockSeconds(n, policy))).toEqual([60, 120, 240, 480]);
  });

  it('never locks longer than the maximum', () => {
    expect(lockSeconds(11, policy)).toBe(3600);
    expect(lockSeconds(1000, policy)).toBe(3600);
  });

  it('knows when a lock has run out', () => {
    const now = new Date('2026-01-01T00:00:00Z');
    expect(isLocked(null, now)).toBe(false);
    expect(isLocked(new Date('2026-01-01T00:00:01Z'), now)).toBe(true);
    expect(isLocked(new Date('2026-01-01T00:00:00Z'), now)).toBe(false);
  });
});
