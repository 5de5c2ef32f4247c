export interface LockoutPolicy {
  threshold: number;
  baseSeconds: number;
  maxSeconds: number;
}

/**
 * How long an account is locked after `failures` failed logins in a row: nothing below the
 * threshold, then the base time, doubling with each further failure, capped.
 */
export function lockSeconds(failures: number, p: LockoutPolicy): number {
  if (failures < p.threshold) return 0;
  const exp = Math.min(failures - p.threshold, 30);
  return Math.min(p.maxSeconds, p.baseSeconds * 2 ** exp);
}

export function isLocked(lockedUntil: Date | null, now: Date): boolean {
  return !!lockedUntil && lockedUntil.getTime() > now.getTime();
}
