/** When a live event's queries refetch: once for a burst, and once more for the services that linger. */
import { afterEach, beforeEach, describe, expect, jest, test } from '@jest/globals';
import { FIRST_MS, RefreshSchedule, SETTLE_MS } from './refresh-schedule';

let calls: { at: number; services: string[] }[];
let schedule: RefreshSchedule;
let t0: number;

beforeEach(() => {
  jest.useFakeTimers();
  t0 = Date.now();
  calls = [];
  schedule = new RefreshSchedule((services) => calls.push({ at: Date.now() - t0, services: [...services].sort() }));
});

afterEach(() => {
  schedule.stop();
  jest.useRealTimers();
});

describe('live refresh', () => {
  test('a burst of events refetches once, and the lingering services once more after SETTLE_MS', () => {
    // ticket.reviewed.v1 (intake, dispatch, sla, callback), then a callback event 50 ms later.
    schedule.add(['intake', 'dispatch', 'sla', 'callback']);
    jest.advanceTimersByTime(50);
    schedule.add(['callback', 'analytics', 'dispatch']);
    jest.advanceTimersByTime(FIRST_MS + SETTLE_MS);
    expect(calls).toEqual([
      { at: FIRST_MS, services: ['analytics', 'callback', 'dispatch', 'intake', 'sla'] },
      // dispatch does not linger: its lists are not refetched again.
      { at: FIRST_MS + SETTLE_MS, services: ['analytics', 'callback', 'intake', 'sla'] },
    ]);
    jest.advanceTimersByTime(10_000);
    expect(calls).toHaveLength(2);
  });

  test('an event for dispatch alone refetches once', () => {
    schedule.add(['dispatch']);
    jest.advanceTimersByTime(10_000);
    expect(calls).toEqual([{ at: FIRST_MS, services: ['dispatch'] }]);
  });

  test('a second burst while the first waits to settle: both refetched at once, the late refetch not put off', () => {
    schedule.add(['callback']);
    jest.advanceTimersByTime(FIRST_MS + 500);
    schedule.add(['sla', 'dispatch']);
    jest.advanceTimersByTime(FIRST_MS + SETTLE_MS);
    expect(calls).toEqual([
      { at: FIRST_MS, services: ['callback'] },
      { at: 2 * FIRST_MS + 500, services: ['dispatch', 'sla'] },
      // The first burst's late refetch, which the second burst's lingering service joined.
      { at: FIRST_MS + SETTLE_MS, services: ['callback', 'sla'] },
    ]);
  });

  test('an event of a type no screen shows refetches nothing; stop cancels what is pending', () => {
    schedule.add([]);
    jest.advanceTimersByTime(10_000);
    expect(calls).toEqual([]);
    schedule.add(['callback']);
    jest.advanceTimersByTime(FIRST_MS);
    schedule.stop();
    jest.advanceTimersByTime(10_000);
    // Refetched once, 10 s in; its late refetch never came.
    expect(calls).toEqual([{ at: 10_000 + FIRST_MS, services: ['callback'] }]);
  });
});
