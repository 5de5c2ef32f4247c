import { contributions, FactForRollup, rollupDelta } from '../rollups/rollup';
import { unitColumns } from './unit-attribution';

const ZONE = 'Asia/Shanghai';
const at = (s: string) => new Date(`${s}+08:00`);
const A = 'unit-a';
const B = 'unit-b';

const order = (unit: string): FactForRollup => ({
  district_code: '630104',
  street_code: '630104004',
  unit_id: unit,
  category_code: 'lift',
  channel: 'phone_12345',
  request_type: 'complaint',
  accepted_at: at('2026-03-09T09:50:00'),
  answered_at: null,
  not_accepted_at: null,
  not_accepted_reason: null,
  merged_count: 0,
  dispatched_at: at('2026-03-09T10:00:00'),
  contacted_at: at('2026-03-09T10:30:00'),
  respond_due_at: at('2026-03-10T10:00:00'),
  respond_breached: false,
  first_finish_due_at: at('2026-03-16T10:00:00'),
  first_replied_at: at('2026-03-12T16:00:00'),
  sent_back_count: 1,
  reopen_count: 0,
  closed_at: null,
});

describe('the unit an order counts for', () => {
  const dispatch = { unitId: B, unitName: '城西区城市管理局', dispatchedAt: '2026-03-09T03:00:00.000Z' };

  it('follows the latest dispatch of the first cycle, by dispatchedAt', () => {
    const latest = { by: ['unit_dispatched_at'] };
    expect(unitColumns({ ...dispatch, cycle: 1 })).toEqual({
      unit_id: [B, latest],
      unit_name: ['城西区城市管理局', latest],
      unit_dispatched_at: ['2026-03-09T03:00:00.000Z', latest],
    });
  });

  it('is only filled in by a later cycle’s dispatch', () => {
    expect(unitColumns({ ...dispatch, cycle: 2 })).toEqual({ unit_id: [B, 'first'], unit_name: ['城西区城市管理局', 'first'] });
  });

  it('moves every counter of the order from the unit it left to the unit it went to; the district rows stay', () => {
    const delta = rollupDelta(contributions(order(A), [], ZONE), contributions(order(B), [], ZONE));
    expect(delta.filter(([k]) => k.dimension === 'district' || k.dimension === 'street' || k.dimension === 'category')).toEqual([]);
    const unit = delta.filter(([k]) => k.dimension === 'unit');
    expect(unit.map(([k, c]) => [k.day, k.dimKey, c.dispatched, c.responded_on_time, c.replied, c.reworked])).toEqual([
      ['2026-03-09', A, -1, -1, 0, 0],
      ['2026-03-09', B, 1, 1, 0, 0],
      ['2026-03-12', A, 0, 0, -1, -1],
      ['2026-03-12', B, 0, 0, 1, 1],
    ]);
    expect(delta.filter(([k]) => k.dimension === 'unit_category').map(([k]) => k.dimKey)).toEqual([
      `${A}/lift`,
      `${B}/lift`,
      `${A}/lift`,
      `${B}/lift`,
    ]);
  });
});
