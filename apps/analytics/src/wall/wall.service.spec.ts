import { loadConfig } from '@app/platform';
import { strictFake } from '@app/platform/testing';
import { AnalyticsConfig } from '../analytics.config';
import { CategoryNamesRepository } from '../categories/category-names.repository';
import { WallRepository, WallRow } from './wall.repository';
import { redactPersonalData, wallStatus, WallService } from './wall.service';

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

describe('WallService', () => {
  it("names each order's category as the console does: the administrators' names before the catalogue's", async () => {
    const row = (order_no: string, category_code: string | null): WallRow => ({
      order_no,
      accepted_at: new Date('2026-03-02T01:00:00Z'),
      district_code: '630104',
      street_code: '630104004',
      community_code: '630104004001',
      category_code,
      request_type: 'complaint',
      unit_name: '城西区胜利路街道',
      cycle: 1,
      reply_cycle: null,
      reply_text: null,
      finish_due_at: null,
      closed_at: null,
      dispatched_at: null,
    });
    const asked: string[][] = [];
    const wall = new WallService(
      strictFake<WallRepository>('WallRepository', {
        page: async () => ({ total: 4, rows: [row('1', 'noise'), row('2', 'lift.noise'), row('3', 'lift'), row('4', null)] }),
      }),
      strictFake<CategoryNamesRepository>('CategoryNamesRepository', {
        namesFor: async (codes) => {
          asked.push([...codes].map(String));
          return new Map([
            ['noise', { zh: '噪声污染', en: 'Noise pollution' }],
            ['lift.noise', { zh: '电梯噪声', en: 'Lift noise' }],
          ]);
        },
      }),
      loadConfig(AnalyticsConfig, { NODE_ENV: 'test', DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/unused' }),
    );
    const page = await wall.list({ communityCode: '630104004001' });
    expect(page.items.map((i) => [i.categoryCode, i.category])).toEqual([
      ['noise', '噪声污染'],
      ['lift.noise', '电梯噪声'],
      ['lift', '电梯'],
      [null, '未知'],
    ]);
    expect(asked).toHaveLength(1); // once for the page
  });
});
