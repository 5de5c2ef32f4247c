import * as pg from 'pg';
import { arrayLiteral } from './pg-array';

/** How pg itself serialises a parameter (its `utils`, untyped in @types/pg). */
const prepareValue = (pg as unknown as { utils: { prepareValue: (v: unknown) => unknown } }).utils.prepareValue;

describe('arrayLiteral', () => {
  it('writes strings as pg does: quoted, with " and \\ escaped', () => {
    const values = ['a', 'b"c', 'd\\e', '{x,y}', '中文', '', 'NULL', 'x y'];
    expect(arrayLiteral(values)).toBe(prepareValue(values));
  });

  it('writes integers bare, and pg reads the same numbers', () => {
    expect(arrayLiteral([1, 2, -3, 0])).toBe('{1,2,-3,0}');
    expect(arrayLiteral([])).toBe('{}');
  });

  it('quotes the strings of a mixed array whichever comes first', () => {
    expect(arrayLiteral([1, 'a"', 2])).toBe('{1,"a\\"",2}');
    expect(arrayLiteral(['a', 1])).toBe('{"a",1}');
  });

  it('refuses a number that is not an integer', () => {
    expect(() => arrayLiteral([1, 2.5])).toThrow('arrayLiteral takes integers, not 2.5');
    expect(() => arrayLiteral(['a', NaN])).toThrow('not NaN');
  });
});
