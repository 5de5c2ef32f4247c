import { loadConfig } from '@app/platform';
import { ManualClock, strictFake } from '@app/platform/testing';
import { AnalyticsConfig } from '../analytics.config';
import { CategoryNamesRepository } from '../categories/category-names.repository';
import { FigureOrdersRepository } from '../rates/figure-orders.repository';
import { KeyedCounts, RatesRepository } from '../rates/rates.repository';
import { RatesService } from '../rates/rates.service';
import { Counts, Dimension, emptyCounts } from '../rollups/rollup';
import { Report } from './report.entity';
import { ReportTable } from './report-document';
import { ReportsRepository } from './reports.repository';
import { ReportsService } from './reports.service';

/** The daily summary (日小结) from rollup rows given by dimension, as the rates service reads them. */
describe('ReportsService: 不予受理 in the daily summary', () => {
  const config = loadConfig(AnalyticsConfig, { NODE_ENV: 'test', DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/unused' });
  const counts = (c: Partial<Counts>): Counts => ({ ...emptyCounts(), ...c });
  const row = (key: string, c: Partial<Counts>, districtCode: string | null = null): KeyedCounts => ({
    key,
    districtCode,
    counts: counts(c),
  });
  const byDimension: Partial<Record<Dimension, KeyedCounts[]>> = {
    district: [
      row('630104', { accepted: 5, not_accepted: 3, dispatched: 5 }, '630104'),
      row('630105', { accepted: 2, not_accepted: 1 }, '630105'),
    ],
    category: [row('lift', { accepted: 4, not_accepted: 1 }), row('noise', { accepted: 3, not_accepted: 3 })],
    channel: [row('phone_12345', { accepted: 6, not_accepted: 3 }), row('mayor_mailbox', { not_accepted: 1 }), row('web', { accepted: 1 })],
    not_accepted_reason: [row('litigation', { not_accepted: 1 }), row('concluded', { not_accepted: 3 })],
  };
  let saved: Report | undefined;

  async function daily(totals: Counts): Promise<Report> {
    const rates = new RatesService(
      strictFake<RatesRepository>('RatesRepository', {
        totals: async () => totals,
        eventVolumes: async () => ({}),
        byKey: async (dimension) => byDimension[dimension] ?? [],
      }),
      strictFake<FigureOrdersRepository>('FigureOrdersRepository'),
      strictFake<CategoryNamesRepository>('CategoryNamesRepository', { namesFor: async () => new Map() }),
      config,
    );
    const reports = new ReportsService(
      rates,
      strictFake<ReportsRepository>('ReportsRepository', {
        save: async (r) => {
          saved = r;
          return r;
        },
      }),
      new ManualClock(new Date('2026-03-03T01:00:00Z')),
      config,
    );
    await reports.generate('daily', '2026-03-02', null, 'analyst');
    return saved!;
  }
  const tables = (r: Report): ReportTable[] => r.document!.sections.flatMap((s) => s.tables ?? []);
  const table = (r: Report, name: string) => tables(r).find((t) => t.name === name)!;

  it('counts them among the contacts, by reason and channel (most first), and by district and category', async () => {
    const r = await daily(counts({ accepted: 7, answered: 2, merged: 1, not_accepted: 4, dispatched: 5 }));
    expect(r.html).toContain('本期共接收诉求 14 件，其中受理工单 7 件、直接答复 2 件、合并 1 件、不予受理 4 件；');
    expect(table(r, '总体数据').rows).toEqual(
      expect.arrayContaining([
        ['诉求总量', 14],
        ['合并', 1],
        ['不予受理', 4],
      ]),
    );
    expect(table(r, '不予受理原因').rows).toEqual([
      ['已依法办结', 3],
      ['诉讼程序中', 1],
    ]);
    expect(table(r, '不予受理渠道').rows).toEqual([
      ['12345热线', 3],
      ['市长信箱', 1],
    ]);
    expect(r.html).toContain('本期不予受理 4 件，占接收诉求的 28.57%：已依法办结（3件）、诉讼程序中（1件）。');
    const places = table(r, '各区县');
    expect(places.columns.slice(0, 4)).toEqual(['区县', '受理', '不予受理', '派单']);
    expect(places.rows.map((x) => x.slice(0, 3))).toEqual([
      ['城西区', 5, 3],
      ['城北区', 2, 1],
    ]);
    expect(table(r, '诉求类别').rows.map((x) => x.slice(0, 3))).toEqual([
      ['电梯', 4, 1],
      ['噪音扰民', 3, 3],
    ]);
  });

  it('says there were none when none were refused', async () => {
    const r = await daily(counts({ accepted: 7 }));
    expect(r.html).toContain('本期无不予受理的诉求。');
  });
});
