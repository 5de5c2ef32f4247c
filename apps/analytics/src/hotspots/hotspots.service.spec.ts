import { Clock, loadConfig, Outbox, Principal, TxHost } from '@app/platform';
import { strictFake } from '@app/platform/testing';
import { AnalyticsConfig } from '../analytics.config';
import { CategoryNamesRepository } from '../categories/category-names.repository';
import { Hotspot } from './hotspot.entity';
import { HotspotsRepository } from './hotspots.repository';
import { HotspotsService } from './hotspots.service';

describe('HotspotsService', () => {
  it("names each hotspot's category as the console does: the administrators' names before the catalogue's", async () => {
    const hotspot = (id: string, categoryCode: string): Hotspot => ({
      id,
      categoryCode,
      districtCode: '630104',
      streetCode: null,
      cellKey: `500:${id}:1`,
      centerLat: 36.62,
      centerLng: 101.76,
      radiusM: 354,
      windowStart: new Date('2026-03-01T16:00:00Z'),
      windowEnd: new Date('2026-03-02T16:00:00Z'),
      ticketCount: 3,
      previousCount: 0,
      rising: true,
      seasonalYears: 0,
      status: 'detected',
      detectedAt: new Date('2026-03-03T01:00:00Z'),
      decidedBy: null,
      decidedAt: null,
    });
    const asked: string[][] = [];
    const service = new HotspotsService(
      strictFake<TxHost>('TxHost'),
      strictFake<HotspotsRepository>('HotspotsRepository', { list: async () => [hotspot('1', 'lift.noise'), hotspot('2', 'heating')] }),
      strictFake<CategoryNamesRepository>('CategoryNamesRepository', {
        namesFor: async (codes) => {
          asked.push([...codes].map(String));
          return new Map([['lift.noise', { zh: '电梯噪声', en: 'Lift noise' }]]);
        },
      }),
      strictFake<Outbox>('Outbox'),
      strictFake<Clock>('Clock'),
      loadConfig(AnalyticsConfig, { NODE_ENV: 'test', DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/unused' }),
    );
    const supervisor: Principal = { id: 'supervisor', roles: ['supervisor'], districts: ['*'], units: [] };
    const views = await service.list(supervisor, {});
    expect(views.map((v) => [v.categoryCode, v.category])).toEqual([
      ['lift.noise', '电梯噪声'],
      ['heating', '供热'],
    ]);
    expect(asked).toEqual([['lift.noise', 'heating']]);
  });
});
