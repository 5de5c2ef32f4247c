/** Times on screen are Xining's (Asia/Shanghai) whatever the PC's zone is. */
import { beforeAll, describe, expect, test } from '@jest/globals';

let time: typeof import('./time');

beforeAll(async () => {
  process.env.TZ = 'America/New_York'; // a PC set to another zone
  time = await import('./time');
});

describe('city time', () => {
  test('an instant shows in Asia/Shanghai, across the date line of the PC', () => {
    expect(new Date('2026-12-05T16:30:00Z').getDate()).toBe(5); // the PC says the 5th, 11:30
    expect(time.cityTime('2026-12-05T16:30:00Z')).toBe('2026-12-06 00:30');
    expect(time.cityTime(new Date('2026-12-31T15:59:00Z'), 'YYYY-MM-DD HH:mm:ss')).toBe('2026-12-31 23:59:00');
    expect(time.cityTime('2027-01-01T00:00:00+08:00', 'YYYY年M月D日 HH:mm')).toBe('2027年1月1日 00:00');
  });

  test('nothing shows for no time', () => {
    expect(time.cityTime(null)).toBe('');
    expect(time.cityTime(undefined)).toBe('');
  });

  test("a date filter covers the city's whole day", () => {
    expect(time.cityDayStart('2026-12-05')).toBe('2026-12-04T16:00:00.000Z');
    expect(time.cityDayEnd('2026-12-05')).toBe('2026-12-05T15:59:59.999Z');
  });
});
