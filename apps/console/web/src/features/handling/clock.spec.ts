import { describe, expect, test } from '@jest/globals';
import { readClock, splitDuration, WARNING_MIN_MS } from './clock';

const H = 3600_000;
const NOW = Date.parse('2026-12-07T02:00:00Z'); // Monday 10:00 in Xining (Asia/Shanghai)
const at = (offsetMs: number) => new Date(NOW + offsetMs).toISOString();

describe('countdown colour from the SLA policy', () => {
  test("green before sla's warning point, yellow from it, red at the breach", () => {
    const due = at(10 * H);
    expect(readClock({ due, warnAt: at(1) }, NOW, false)).toEqual({ tone: 'ok', remainingMs: 10 * H, estimated: false });
    expect(readClock({ due, warnAt: at(0) }, NOW, false).tone).toBe('warning');
    expect(readClock({ due, warnAt: at(-5 * H) }, NOW, false).tone).toBe('warning');
    expect(readClock({ due: at(0), warnAt: at(-5 * H) }, NOW, false).tone).toBe('breached');
    expect(readClock({ due: at(-1), warnAt: at(-5 * H) }, NOW, false)).toEqual({ tone: 'breached', remainingMs: -1, estimated: false });
  });

  test('the policy decides, not the share of time left: a warning point 1 hour or 3 days before the due time', () => {
    // 2 hours left: the heuristic would say yellow; a policy warning 1 hour before says green.
    expect(readClock({ due: at(2 * H), warnAt: at(H), start: at(-100 * H) }, NOW, false).tone).toBe('ok');
    // 50 hours left of 60: the heuristic would say green; a policy warning 3 days before says yellow.
    expect(readClock({ due: at(50 * H), warnAt: at(-22 * H), start: at(-10 * H) }, NOW, false).tone).toBe('warning');
  });

  test('a clock that is met or has no due time is not coloured', () => {
    expect(readClock({ due: at(-H), warnAt: at(-2 * H) }, NOW, true).tone).toBe('met');
    expect(readClock({ due: null, warnAt: at(H) }, NOW, false)).toEqual({ tone: 'none', remainingMs: null, estimated: false });
  });

  test('without a warning point from sla the window is estimated and says so', () => {
    const r = readClock({ due: at(3 * H), start: at(-100 * H) }, NOW, false);
    expect(r).toEqual({ tone: 'warning', remainingMs: 3 * H, estimated: true });
    expect(readClock({ due: at(WARNING_MIN_MS + H), start: at(-H) }, NOW, false).tone).toBe('ok');
    // the last quarter of a 40-hour window is 10 hours
    expect(readClock({ due: at(9 * H), start: at(-31 * H) }, NOW, false).tone).toBe('warning');
    expect(readClock({ due: at(11 * H), start: at(-29 * H) }, NOW, false).tone).toBe('ok');
  });

  test('durations split into days, hours and minutes either side of the due time', () => {
    expect(splitDuration(2 * 86_400_000 + 3 * H + 5 * 60_000)).toEqual({ days: 2, hours: 3, minutes: 5 });
    expect(splitDuration(-(5 * H + 59 * 60_000 + 59_000))).toEqual({ days: 0, hours: 5, minutes: 59 });
  });
});
