import { parseEvent } from '@app/platform';
import { randomUUID } from 'node:crypto';
import { arrayLiteral } from '../common/pg-array';
import { validEvent } from './replay';

const P = 'hotline';
const at = '2026-03-02T08:00:00.000Z';
const envelope = (type: string, district: string, data: object) =>
  JSON.stringify({ id: randomUUID(), type, version: 1, occurredAt: at, district, ticketId: randomUUID(), producer: 'test', data });

const order = {
  orderNo: '20260302-000001',
  categoryCode: 'noise',
  requestType: 'complaint',
  urgency: 'ordinary',
  flags: [],
  content: '噪音扰民',
  address: '西宁市城北区小桥大街1号',
  identityHidden: false,
  proactive: false,
  cycle: 1,
  reworkCount: 0,
  returnable: true,
  acceptedAt: at,
};
/** 转区 from Chengbei (630105) to Chengxi (630104): published under the district the order leaves. */
const moved = (fromDistrictCode: string) => ({
  fromDistrictCode,
  districtCode: '630104',
  reason: '属地调整',
  redistrictedBy: randomUUID(),
  redistrictedAt: at,
  order,
});

describe('validEvent: the replay applies exactly what the live analytics consumers would', () => {
  it('takes a valid event on its own subject', () => {
    const body = envelope('ticket.redistricted.v1', '630105', moved('630105'));
    expect(parseEvent(body).ok).toBe(true);
    expect(validEvent(`${P}.630105.ticket.redistricted.v1`, body)?.type).toBe('ticket.redistricted.v1');
  });

  it('refuses what a live consumer dead-letters: another district or type than the subject, an order of another district, an invalid payload', () => {
    const body = envelope('ticket.redistricted.v1', '630105', moved('630105'));
    expect(validEvent(`${P}.630104.ticket.redistricted.v1`, body)).toBeNull();
    expect(validEvent(`${P}.630105.ticket.closed.v1`, body)).toBeNull();
    // valid as a payload, but sent under 630105 for an order of 630103 (consumer-host's misrouted())
    const foreign = envelope('ticket.redistricted.v1', '630105', moved('630103'));
    expect(parseEvent(foreign).ok).toBe(true);
    expect(validEvent(`${P}.630105.ticket.redistricted.v1`, foreign)).toBeNull();
    expect(validEvent(`${P}.630105.ticket.closed.v1`, envelope('ticket.closed.v1', '630105', { unitId: 'x' }))).toBeNull();
    expect(validEvent(`${P}.630105.ticket.closed.v1`, '{')).toBeNull();
  });

  it('skips the types analytics has no consumer for (staff changes), valid as they are', () => {
    const staff = JSON.stringify({
      id: randomUUID(),
      type: 'staff.membership-changed.v1',
      version: 1,
      occurredAt: at,
      district: '630104',
      ticketId: null,
      producer: 'console',
      data: {
        accountId: randomUUID(),
        loginName: 'li.si',
        displayName: '李四',
        roles: ['dispatcher'],
        districts: ['630104'],
        active: true,
        revision: '1',
        changedAt: at,
      },
    });
    expect(parseEvent(staff).ok).toBe(true);
    expect(validEvent(`${P}.630104.staff.membership-changed.v1`, staff)).toBeNull();
  });

  it('takes the category names (category.changed.v1, under the city, no order): the live consumer keeps them, the replay rebuilds them', () => {
    const renamed = JSON.stringify({
      id: randomUUID(),
      type: 'category.changed.v1',
      version: 1,
      occurredAt: at,
      district: '630100',
      ticketId: null,
      producer: 'intake',
      data: { code: 'noise', nameZh: '噪声污染', nameEn: 'Noise pollution', active: true, changedAt: at },
    });
    expect(parseEvent(renamed).ok).toBe(true);
    expect(validEvent(`${P}.630100.category.changed.v1`, renamed)?.type).toBe('category.changed.v1');
    expect(validEvent(`${P}.630104.category.changed.v1`, renamed)).toBeNull();
  });
});

describe('arrayLiteral', () => {
  it('writes what Postgres reads back as the same strings and integers', () => {
    expect(arrayLiteral([])).toBe('{}');
    expect(arrayLiteral([1, -2, 0])).toBe('{1,-2,0}');
    expect(arrayLiteral(['a', '', 'NULL', 'x,y', 'q"uo\\te', '{}'])).toBe('{"a","","NULL","x,y","q\\"uo\\\\te","{}"}');
    expect(() => arrayLiteral([1.5])).toThrow('integers');
  });
});
