import { afterQuietHours, nextDigest } from './quiet-hours';

const Z = 'Asia/Shanghai';
const at = (iso: string) => new Date(iso);

describe('quiet hours', () => {
  it('lets a message through outside the quiet hours', () => {
    expect(afterQuietHours(at('2026-12-07T06:00:00Z'), '22:00', '07:00', Z)).toEqual(at('2026-12-07T06:00:00Z')); // 14:00 local
  });

  it('holds a message sent at 23:30 until 07:00 the next morning', () => {
    expect(afterQuietHours(at('2026-12-07T15:30:00Z'), '22:00', '07:00', Z)).toEqual(at('2026-12-07T23:00:00Z'));
  });

  it('holds a message sent at 02:00 until 07:00 the same morning', () => {
    expect(afterQuietHours(at('2026-12-07T18:00:00Z'), '22:00', '07:00', Z)).toEqual(at('2026-12-07T23:00:00Z'));
  });

  it('handles quiet hours within one day, and none when both ends are equal', () => {
    expect(afterQuietHours(at('2026-12-07T05:00:00Z'), '12:00', '14:00', Z)).toEqual(at('2026-12-07T06:00:00Z'));
    expect(afterQuietHours(at('2026-12-07T15:30:00Z'), '00:00', '00:00', Z)).toEqual(at('2026-12-07T15:30:00Z'));
  });

  it('finds the next digest time', () => {
    expect(nextDigest(at('2026-12-07T15:30:00Z'), '08:00', Z)).toEqual(at('2026-12-08T00:00:00Z'));
    expect(nextDigest(at('2026-12-07T23:59:00Z'), '08:00', Z)).toEqual(at('2026-12-08T00:00:00Z'));
    expect(nextDigest(at('2026-12-08T00:00:00Z'), '08:00', Z)).toEqual(at('2026-12-09T00:00:00Z'));
  });
});
