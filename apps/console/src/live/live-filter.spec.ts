import 'reflect-metadata';
import { Principal } from '@app/platform';
import { toLiveEvent, visibleTo } from './live-filter';

const person = (over: Partial<Principal>): Principal => ({
  id: 'x',
  name: 'x',
  roles: ['dispatcher'],
  districts: ['630104'],
  units: [],
  ...over,
});
const envelope = (over: object = {}) => ({
  id: 'e1',
  type: 'ticket.dispatched.v1',
  version: 1,
  district: '630104',
  ticketId: 't1',
  occurredAt: '2026-03-12T01:00:00.000Z',
  producer: 'dispatch',
  data: { orderNo: '20260312-000001', urgency: 'urgent', unitId: 'u1', content: '电梯忽上忽下', citizenPhone: '138****5678' },
  ...over,
});

describe('toLiveEvent', () => {
  it('keeps only what a list needs to refresh and ring; never the content or the citizen', () => {
    expect(toLiveEvent(envelope())).toEqual({
      type: 'ticket.dispatched.v1',
      district: '630104',
      ticketId: 't1',
      occurredAt: '2026-03-12T01:00:00.000Z',
      data: { orderNo: '20260312-000001', urgency: 'urgent', unitId: 'u1' },
    });
  });

  it('refuses what is not an envelope', () => {
    expect(toLiveEvent(null)).toBeNull();
    expect(toLiveEvent({ type: 'x' })).toBeNull();
    expect(toLiveEvent('text')).toBeNull();
  });
});

describe('visibleTo', () => {
  const e = toLiveEvent(envelope())!;
  it('a district-wide role sees its districts, or all with *', () => {
    expect(visibleTo(person({}), e)).toBe(true);
    expect(visibleTo(person({ districts: ['630105'] }), e)).toBe(false);
    expect(visibleTo(person({ roles: ['operator'], districts: ['*'] }), e)).toBe(true);
  });

  it('a hand-over reaches both districts: the one it leaves (its subject) and the one it goes to', () => {
    const moved = toLiveEvent(
      envelope({ type: 'ticket.redistricted.v1', district: '630100', data: { fromDistrictCode: '630100', districtCode: '630105' } }),
    )!;
    expect(moved).toMatchObject({ district: '630100', toDistrict: '630105' });
    expect(visibleTo(person({ districts: ['630105'] }), moved)).toBe(true);
    expect(visibleTo(person({ districts: ['630100'] }), moved)).toBe(true);
    expect(visibleTo(person({ districts: ['630104'] }), moved)).toBe(false);
  });

  it("a handler sees only its units' orders", () => {
    expect(visibleTo(person({ roles: ['handler'], units: ['u1'] }), e)).toBe(true);
    expect(visibleTo(person({ roles: ['handler'], units: ['u2'] }), e)).toBe(false);
    expect(visibleTo(person({ roles: ['unit_head'], units: ['u1'] }), toLiveEvent(envelope({ data: {} }))!)).toBe(false);
  });

  it('a notification reaches its recipient alone, whatever the roles; it carries the toast text', () => {
    const n = toLiveEvent(
      envelope({
        type: 'notification.created.v1',
        producer: 'notify',
        data: {
          notificationId: 'n1',
          recipientId: 'acc-1',
          kind: 'dispatched',
          urgent: true,
          title: '新派工单',
          body: '工单…',
          orderNo: '20260312-000001',
        },
      }),
    )!;
    expect(n.data).toEqual({
      orderNo: '20260312-000001',
      recipientId: 'acc-1',
      notificationId: 'n1',
      kind: 'dispatched',
      title: '新派工单',
      body: '工单…',
      urgent: true,
    });
    expect(visibleTo(person({ id: 'acc-1', roles: ['handler'] }), n)).toBe(true);
    expect(visibleTo(person({ id: 'acc-2', roles: ['admin'], districts: ['*'] }), n)).toBe(false);
  });
});
