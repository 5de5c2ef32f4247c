import { DateTime } from 'luxon';
import { barChartSvg } from './report-document';
import { dueReports } from './reports.scheduler';

describe('dueReports', () => {
  const on = (d: string) => dueReports(DateTime.fromISO(d, { zone: 'Asia/Shanghai' })).map((r) => `${r.kind}:${r.date}`);
  it('makes yesterday’s summary, the week after a Sunday, the month on the 1st', () => {
    expect(on('2026-03-11')).toEqual(['daily:2026-03-10']);
    expect(on('2026-03-16')).toEqual(['daily:2026-03-15', 'weekly:2026-03-15']);
    expect(on('2026-04-01')).toEqual(['daily:2026-03-31', 'monthly:2026-03-31']);
  });
});

describe('barChartSvg', () => {
  it('draws one bar per value and escapes labels', () => {
    const svg = barChartSvg({
      title: '满意率',
      unit: '%',
      max: 100,
      bars: [
        { label: '城西区<script>', value: 97.34 },
        { label: '城北区', value: null },
      ],
    });
    expect(svg).toContain('城西区&lt;script&gt;');
    expect(svg.match(/<rect/g)).toHaveLength(2);
    expect(svg).toContain('97.34%');
  });
});
