import { createHmac, createSecretKey, hkdfSync, randomBytes } from 'node:crypto';
import { OrderNumbers, orderSuffix } from './order-numbers';

describe('order numbers', () => {
  const keyBytes = randomBytes(32);
  const key = createSecretKey(keyBytes);

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
    expect(orderSuffix(createSecretKey(randomBytes(32)), '2026-12-05', 1)).not.toBe(orderSuffix(key, '2026-12-05', 1));
  });

  it('are the keyed Feistel permutation itself: the remembered rounds change no number (a number issued before a deploy is never issued again)', () => {
    // The permutation as first written: an HMAC for every round of every order, keyed with the bytes.
    const reference = (k: Buffer, day: string, seq: number) => {
      const round = (r: number, half: number) => createHmac('sha256', k).update(`${day}:${r}:${half}`).digest().readUInt32BE(0) & 1023;
      let x = seq;
      do {
        let [left, right] = [x >> 10, x & 1023];
        for (let r = 0; r < 4; r++) [left, right] = [right, left ^ round(r, right)];
        x = (left << 10) | right;
      } while (x >= 1_000_000);
      return String(x).padStart(6, '0');
    };
    const fixed = Buffer.alloc(32, 7);
    // Five days, back and forth (the last three are remembered), two keys.
    for (const day of ['2026-12-05', '2026-12-06', '2026-12-07', '2026-12-08', '2026-12-05', '2026-12-31']) {
      for (const k of [keyBytes, fixed]) {
        const held = createSecretKey(k);
        for (const seq of [0, 1, 2, 31, 32, 999, 65_537, 999_999]) expect(orderSuffix(held, day, seq)).toBe(reference(k, day, seq));
      }
    }
  });

  it('differ from day to day for the same sequence number, and are stable for a day', () => {
    expect(orderSuffix(key, '2026-12-06', 1)).not.toBe(orderSuffix(key, '2026-12-05', 1));
    expect(orderSuffix(key, '2026-12-05', 7)).toBe(orderSuffix(key, '2026-12-05', 7));
  });

  describe('OrderNumbers', () => {
    const secret = randomBytes(32).toString('base64');
    /** The day's counter as `reserveOrderSequence` keeps it: last += count, atomically, answering the new last. */
    function counter() {
      const days = new Map<string, number>();
      const calls: [string, number][] = [];
      return {
        calls,
        reserveOrderSequence: async (day: string, count: number) => {
          calls.push([day, count]);
          await new Promise((r) => setImmediate(r));
          days.set(day, (days.get(day) ?? 0) + count);
          return days.get(day)!;
        },
      };
    }

    it('hand out each sequence number of a reserved block once; concurrent callers wait for one reservation', async () => {
      const c = counter();
      const numbers = new OrderNumbers(c, secret, 8);
      const got = await Promise.all(Array.from({ length: 20 }, () => numbers.next('2026-12-05')));
      expect(new Set(got).size).toBe(20);
      expect(c.calls).toEqual([
        ['2026-12-05', 8],
        ['2026-12-05', 8],
        ['2026-12-05', 8],
      ]);
      // Exactly the sequence numbers 1 … 20 of the day, each once.
      const key = createSecretKey(
        Buffer.from(hkdfSync('sha256', Buffer.from(secret, 'base64'), Buffer.alloc(0), 'jiesu intake order-number v1', 32)),
      );
      const expected = Array.from({ length: 20 }, (_, i) => `20261205-${orderSuffix(key, '2026-12-05', i + 1)}`);
      expect([...got].sort()).toEqual([...expected].sort());
    });

    it('two processes on one counter never share a number; a new day starts a new block', async () => {
      const c = counter();
      const a = new OrderNumbers(c, secret, 4);
      const b = new OrderNumbers(c, secret, 4);
      const got: string[] = [];
      for (let i = 0; i < 10; i++) got.push(await a.next('2026-12-05'), await b.next('2026-12-05'));
      expect(new Set(got).size).toBe(20);
      const next = await a.next('2026-12-06');
      expect(next).toMatch(/^20261206-\d{6}$/);
      expect(c.calls.at(-1)).toEqual(['2026-12-06', 4]);
    });

    it('a failed reservation fails the callers waiting for it, and the next call tries again', async () => {
      let fail = true;
      const numbers = new OrderNumbers(
        {
          reserveOrderSequence: async () => {
            if (fail) throw new Error('database down');
            return 4;
          },
        },
        secret,
        4,
      );
      await expect(Promise.all([numbers.next('2026-12-05'), numbers.next('2026-12-05')])).rejects.toThrow('database down');
      fail = false;
      expect(await numbers.next('2026-12-05')).toMatch(/^20261205-\d{6}$/);
    });
  });
});
