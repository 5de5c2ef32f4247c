import { redactPersonalData, wallStatus } from './wall.service';

describe('redactPersonalData', () => {
  it.each([
    ['已联系刘女士13897001234', '已联系市民[已隐去]'],
    ['电话 138-9700-1234 已回复', '电话 [已隐去] 已回复'],
    ['座机0971-6123456', '座机[已隐去]'],
    ['身份证63010419800101123X', '身份证[已隐去]'],
    ['工资77508元已追回，3日内退费', '工资77508元已追回，3日内退费'],
  ])('%s', (text, expected) => expect(redactPersonalData(text)).toBe(expected));
});

describe('wallStatus', () => {
  const base = { closed_at: null, reply_cycle: null, cycle: 1, dispatched_at: new Date() };
  it('follows the order', () => {
    expect(wallStatus({ ...base, dispatched_at: null })).toBe('accepted');
    expect(wallStatus(base)).toBe('handling');
    expect(wallStatus({ ...base, reply_cycle: 1 })).toBe('replied');
    expect(wallStatus({ ...base, reply_cycle: 1, cycle: 2 })).toBe('handling');
    expect(wallStatus({ ...base, closed_at: new Date() })).toBe('closed');
  });
});
