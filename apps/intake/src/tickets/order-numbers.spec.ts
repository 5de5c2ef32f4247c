import { randomBytes } from 'node:crypto';
import { orderSuffix } from './order-numbers';

describe('order numbers', () => {
  const key = randomBytes(32);

  it('are six digits, a permutation of the day’s sequence numbers: never two alike in a day', () => {
    const seen = new Set<string>();
    for (let seq = 1; seq <= 20_000; seq++) {
      const s = orderSuffix(key, '2026-12-05', seq);
      expect(s).toMatch(/^\d{6}$/);
      seen.add(s);
    }
    expect(seen.size).toBe(20_000);
  });

  it('are not sequential: consecutive orders are far apart and in no order', () => {
    const n = Array.from({ length: 200 }, (_, i) => Number(orderSuffix(key, '2026-12-05', i + 1)));
    const steps = n.slice(1).map((x, i) => x - n[i]);
    expect(steps.filter((d) => d === 1)).toEqual([]);
    expect(steps.filter((d) => d > 0).length).toBeGreaterThan(60);
    expect(steps.filter((d) => d < 0).length).toBeGreaterThan(60);
    // Not guessable without the key: another key, other numbers.
    expect(orderSuffix(randomBytes(32), '2026-12-05', 1)).not.toBe(orderSuffix(key, '2026-12-05', 1));
  });

  it('differ from day to day for the same sequence number, and are stable for a day', () => {
    expect(orderSuffix(key, '2026-12-06', 1)).not.toBe(orderSuffix(key, '2026-12-05', 1));
    expect(orderSuffix(key, '2026-12-05', 7)).toBe(orderSuffix(key, '2026-12-05', 7));
  });
});
