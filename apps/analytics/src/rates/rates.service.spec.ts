import { rate } from './rates.service';

describe('rate', () => {
  it('rounds to two decimals', () => expect(rate(7_000, 7_210).percent).toBe(97.09));
  it('is null with nothing counted', () => expect(rate(0, 0).percent).toBeNull());
  it('is exact for halves', () => expect(rate(1, 2)).toEqual({ numerator: 1, denominator: 2, percent: 50 }));
});
