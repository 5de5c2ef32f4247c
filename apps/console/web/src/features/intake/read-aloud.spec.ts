import { describe, expect, test } from '@jest/globals';
import { groupForReading } from './read-aloud';

describe('status token read aloud', () => {
  test('22 characters in groups of four, the last one shorter, nothing lost', () => {
    const token = 'Ab3dEf7hJk9mNp2qRs4tUv';
    expect(token).toHaveLength(22);
    const groups = groupForReading(token);
    expect(groups).toEqual(['Ab3d', 'Ef7h', 'Jk9m', 'Np2q', 'Rs4t', 'Uv']);
    expect(groups.join('')).toBe(token);
  });

  test('spaces already in it are not counted; an empty token has no groups', () => {
    expect(groupForReading(' ABCD EFGH I ')).toEqual(['ABCD', 'EFGH', 'I']);
    expect(groupForReading('')).toEqual([]);
  });
});
