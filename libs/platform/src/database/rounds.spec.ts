import { roundsByKey } from './rounds';

describe('roundsByKey', () => {
  it('puts the k-th item of each key in the k-th round, keeping the order given', () => {
    const items = [
      { k: 'a', n: 1 },
      { k: 'b', n: 2 },
      { k: 'a', n: 3 },
      { k: 'c', n: 4 },
      { k: 'a', n: 5 },
      { k: 'b', n: 6 },
    ];
    expect(roundsByKey(items, (i) => i.k).map((r) => r.map((i) => i.n))).toEqual([[1, 2, 4], [3, 6], [5]]);
  });

  it('is one round when every key is distinct, and none for no items', () => {
    expect(roundsByKey(['x', 'y', 'z'], (s) => s)).toEqual([['x', 'y', 'z']]);
    expect(roundsByKey([], (s: string) => s)).toEqual([]);
  });
});
