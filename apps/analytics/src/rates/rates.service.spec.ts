import { loadConfig, Principal } from '@app/platform';
import { strictFake } from '@app/platform/testing';
import { AnalyticsConfig } from '../analytics.config';
import { CategoryNamesRepository } from '../categories/category-names.repository';
import { emptyCounts } from '../rollups/rollup';
import { FigureOrderRow, FigureOrdersRepository } from './figure-orders.repository';
import { KeyedCounts, RatesRepository } from './rates.repository';
import { rate, RatePolicy, ratesOf, RatesService, volumesOf } from './rates.service';

describe('rate', () => {
  it('rounds to two decimals', () => expect(rate(7_000, 7_210).percent).toBe(97.09));
  it('is null with nothing counted', () => expect(rate(0, 0).percent).toBeNull());
  it('is exact for halves', () => expect(rate(1, 2)).toEqual({ numerator: 1, denominator: 2, percent: 50 }));
});

describe('不予受理 in the volumes and the breakdown', () => {
  const policy: RatePolicy = { basicSatisfiedWeight: 0.5, failedCallbacks: 'exclude' };
  const c = {
    ...emptyCounts(),
    accepted: 5_507,
    answered: 9_000,
    merged: 265,
    not_accepted: 100,
    dispatched: 1_548,
    responded_on_time: 1_500,
  };

  it('counts contacts not accepted among the contacts, and in no rate', () => {
    expect(volumesOf(c)).toMatchObject({ contacts: 14_872, accepted: 5_507, notAccepted: 100 });
    expect(ratesOf(c, policy)).toEqual(ratesOf({ ...c, not_accepted: 0 }, policy));
  });

  it('breaks them down by reason, summed across districts, named in Chinese', async () => {
    const config = loadConfig(AnalyticsConfig, { NODE_ENV: 'test', DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/unused' });
    const asked: unknown[][] = [];
    const s = new RatesService(
      strictFake<RatesRepository>('RatesRepository', {
        byKey: async (...args) => {
          asked.push(args);
          return ['litigation', 'petition', 'no_such_reason'].map((key) => ({
            key,
            districtCode: null,
            counts: { ...emptyCounts(), not_accepted: 1 },
          }));
        },
      }),
      strictFake<FigureOrdersRepository>('FigureOrdersRepository'),
      strictFake<CategoryNamesRepository>('CategoryNamesRepository'),
      config,
    );
    const view = await s.breakdownFor({ kind: 'custom', from: '2026-03-01', to: '2026-03-31' }, '630104', 'notAcceptedReason');
    expect(asked).toEqual([['not_accepted_reason', '2026-03-01', '2026-03-31', '630104', false]]);
    expect(view.rows.map((r) => [r.key, r.label, r.volumes.notAccepted])).toEqual([
      ['litigation', '诉讼程序中', 1],
      ['petition', '信访程序中', 1],
      ['no_such_reason', 'no_such_reason', 1],
    ]);
  });
});

describe("RatesService names categories by the administrators' names (category.changed.v1) before the catalogue's", () => {
  const config = loadConfig(AnalyticsConfig, { NODE_ENV: 'test', DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/unused' });
  const analyst: Principal = { id: 'analyst', roles: ['analyst'], districts: ['*'], units: [] };
  const period = { from: '2026-03-01', to: '2026-03-31' };
  // noise renamed, lift.noise added under lift, heating as the catalogue has it
  const maintained = new Map([
    ['noise', { zh: '噪声污染', en: 'Noise pollution' }],
    ['lift.noise', { zh: '电梯噪声', en: 'Lift noise' }],
  ]);
  const keyed = (keys: string[]): KeyedCounts[] => keys.map((key) => ({ key, districtCode: null, counts: emptyCounts() }));
  let asked: string[][];
  const service = (rates: Partial<RatesRepository>, figureOrders: Partial<FigureOrdersRepository> = {}) =>
    new RatesService(
      strictFake<RatesRepository>('RatesRepository', rates),
      strictFake<FigureOrdersRepository>('FigureOrdersRepository', figureOrders),
      strictFake<CategoryNamesRepository>('CategoryNamesRepository', {
        namesFor: async (codes) => {
          asked.push([...codes].map(String));
          return maintained;
        },
      }),
      config,
    );
  beforeEach(() => (asked = []));

  it('in the breakdown by category, reading the names once for its keys', async () => {
    const s = service({ byKey: async () => keyed(['', 'heating', 'lift.noise', 'noise', 'noise.pets']) });
    const view = await s.breakdownFor({ kind: 'custom', ...period }, null, 'category');
    expect(view.rows.map((r) => [r.key, r.label])).toEqual([
      ['', '未知'],
      ['heating', '供热'],
      ['lift.noise', '电梯噪声'],
      ['noise', '噪声污染'],
      ['noise.pets', '噪声污染'],
    ]);
    expect(asked).toEqual([['', 'heating', 'lift.noise', 'noise', 'noise.pets']]);
  });

  it('and not for a breakdown that names no category', async () => {
    const s = service({ byKey: async () => keyed(['phone_12345']) });
    expect((await s.breakdownFor({ kind: 'custom', ...period }, null, 'channel')).rows[0].label).toBe('12345热线');
    expect(asked).toEqual([]);
  });

  it("in a unit's top problems", async () => {
    const s = service({ unitCategories: async () => keyed(['lift.noise', 'noise']) });
    const top = await s.topProblems(analyst, 'unit-1', { ...period });
    expect(top.map((t) => t.label)).toEqual(['电梯噪声', '噪声污染']);
  });

  it('in the orders behind a figure', async () => {
    const row = (ticket_id: string, category_code: string | null) =>
      ({
        ticket_id,
        category_code,
        district_code: '630104',
        at: new Date('2026-03-02T01:00:00Z'),
        counted: 1,
        total: '2',
        cb_cycle: null,
      }) as FigureOrderRow;
    const s = service({}, { list: async () => [row('a', 'noise'), row('b', null)] });
    const view = await s.ordersBehind(analyst, { ...period, figure: 'accepted' });
    expect(view.items.map((o) => [o.ticketId, o.category])).toEqual([
      ['a', '噪声污染'],
      ['b', '未知'],
    ]);
  });
});
