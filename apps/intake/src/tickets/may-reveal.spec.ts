import 'reflect-metadata';
import { Principal } from '@app/platform';
import { Ticket } from './ticket.entity';
import { mayReveal } from './tickets.service';

const DESK = '11111111-1111-4111-8111-111111111111';
const BUREAU = '22222222-2222-4222-8222-222222222222';
const COMMUNITY = '33333333-3333-4333-8333-333333333333';
const order = (over: Partial<Ticket> = {}) =>
  Object.assign(new Ticket(), { districtCode: '630104', unitId: DESK, assignedUnitId: null, subUnitId: null, assignees: [], ...over });
const person = (over: Partial<Principal> = {}): Principal => ({ id: 'p1', roles: ['handler'], districts: ['630104'], units: [], ...over });

describe('mayReveal (from verified claims only)', () => {
  it('lets a member of the handling unit reveal as its handler, a unit head too', () => {
    expect(mayReveal(person({ units: [DESK] }), order(), 'handler')).toBe(true);
    expect(mayReveal(person({ roles: ['unit_head'], units: [DESK] }), order(), 'handler')).toBe(true);
    expect(mayReveal(person({ units: [BUREAU] }), order(), 'handler')).toBe(false);
  });

  it('lets the people the unit assigned, and the sub-unit it passed the order to, reveal while the unit holds it', () => {
    const assigned = order({ assignedUnitId: DESK, assignees: ['p1'], subUnitId: COMMUNITY });
    expect(mayReveal(person({ units: [BUREAU] }), assigned, 'handler')).toBe(true);
    expect(mayReveal(person({ id: 'p2', units: [COMMUNITY] }), assigned, 'handler')).toBe(true);
    expect(mayReveal(person({ id: 'p3', units: [BUREAU] }), assigned, 'handler')).toBe(false);
    // The order moved to another unit: the old assignment no longer counts.
    expect(mayReveal(person({ units: [BUREAU] }), { ...assigned, unitId: BUREAU.replace('2', '4') }, 'handler')).toBe(false);
  });

  it('needs the role claimed and the district', () => {
    expect(mayReveal(person({ roles: ['handler'], districts: ['*'] }), order(), 'callback_agent')).toBe(false);
    expect(mayReveal(person({ roles: ['callback_agent'], districts: ['*'] }), order(), 'callback_agent')).toBe(true);
    expect(mayReveal(person({ roles: ['dispatcher'], districts: ['630105'] }), order(), 'dispatcher')).toBe(false);
    expect(mayReveal(person({ roles: ['operator'], districts: ['*'] }), order(), 'handler')).toBe(false);
    expect(mayReveal(person({ roles: ['admin'], districts: ['*'] }), order(), 'handler')).toBe(true);
  });
});
