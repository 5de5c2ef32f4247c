/**
 * 数据看板: 三率, on-time and rework rates and the volumes for a day, week, month or range, with their
 * trend; drill down city → district → street or unit, and from any figure to the orders behind it.
 */
import { Breadcrumb, Card, Col, Row, Segmented, Space, Table, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSession } from '../../api/session';
import { ErrorNote } from '../../components/ErrorNote';
import { useBreakdown, useRates, useStreetNames, useTrend } from './api';
import { Chart } from './Chart';
import { FigureOrdersDrawer, type FigureTarget } from './FigureOrders';
import { PeriodPicker, periodRange, today } from './period';
import {
  DISTRICTS,
  RATE_NAMES,
  VOLUME_NAMES,
  type BreakdownRow,
  type Figure,
  type PeriodQuery,
  type Rate,
  type Rates,
  type VolumeName,
  type Volumes,
} from './types';

type Level =
  | { kind: 'city' }
  | { kind: 'district'; districtCode: string }
  | { kind: 'street'; districtCode: string; streetCode: string }
  | { kind: 'unit'; districtCode: string; unitId: string; label: string };

const districtName = (code: string) => DISTRICTS.find((d) => d.code === code)?.zh ?? code;

/** The rework rate is better low: its colour is the other way round. */
function rateColour(name: keyof Rates, p: number | null): string | undefined {
  if (p === null) return undefined;
  const good = name === 'rework' ? p <= 5 : p >= 95;
  const bad = name === 'rework' ? p > 15 : p < 85;
  return good ? '#389e0d' : bad ? '#cf1322' : '#d48806';
}

function RateCell({ name, rate, onOpen }: { name: keyof Rates; rate: Rate; onOpen: () => void }) {
  const { t } = useTranslation();
  if (rate.percent === null) return <Typography.Text type="secondary">{t('analytics.dashboard.noData')}</Typography.Text>;
  return (
    <Typography.Link onClick={onOpen} data-testid={`cell-${name}`} style={{ color: rateColour(name, rate.percent) }}>
      {rate.percent}%
    </Typography.Link>
  );
}

/** `stale`: the figures on screen are the last place's or period's while this one's load; they are dimmed, not read as this one's. */
function Figures(props: { rates: Rates | undefined; volumes: Volumes | undefined; stale: boolean; onOpen: (f: Figure) => void }) {
  const { t } = useTranslation();
  return (
    <div data-testid="figures" aria-busy={props.stale} style={{ opacity: props.stale ? 0.4 : 1, transition: 'opacity 0.2s' }}>
      <Row gutter={[12, 12]}>
        {RATE_NAMES.map((name) => {
          const r = props.rates?.[name];
          return (
            <Col key={name} flex="1 1 0">
              <Card
                size="small"
                hoverable
                onClick={() => props.onOpen(name)}
                data-testid={`kpi-${name}`}
                role="button"
                aria-label={t(`analytics.rates.${name}`)}
              >
                <Typography.Text type="secondary">{t(`analytics.rates.${name}`)}</Typography.Text>
                <div
                  style={{ fontSize: 26, fontWeight: 600, color: rateColour(name, r?.percent ?? null) }}
                  data-testid={`kpi-${name}-value`}
                >
                  {r?.percent === null || r === undefined ? '—' : `${r.percent}%`}
                </div>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {r ? t('analytics.dashboard.fraction', { n: r.numerator, d: r.denominator }) : ' '}
                </Typography.Text>
              </Card>
            </Col>
          );
        })}
      </Row>
      <Card size="small" style={{ marginTop: 12 }}>
        <Space size={32} wrap>
          {VOLUME_NAMES.map((v) => (
            <Typography.Link key={v} onClick={() => props.onOpen(v)} data-testid={`volume-${v}`}>
              <Typography.Text type="secondary">{t(`analytics.volumes.${v}`)}</Typography.Text>{' '}
              <span style={{ fontSize: 18, fontWeight: 600 }}>{props.volumes?.[v] ?? '—'}</span>
            </Typography.Link>
          ))}
        </Space>
      </Card>
    </div>
  );
}

function Trend({ period, districtCode, place }: { period: PeriodQuery; districtCode: string | null; place: string }) {
  const { t } = useTranslation();
  // A single day is read against the fortnight before it; longer periods by day, or by week past two months.
  const range = periodRange(period);
  const trendPeriod: PeriodQuery =
    period.period === 'day'
      ? { period: 'custom', from: dayBefore(range.to, 13), to: range.to }
      : { period: 'custom', from: range.from, to: range.to };
  const days = (Date.parse(trendPeriod.to!) - Date.parse(trendPeriod.from)) / 86_400_000 + 1;
  const granularity = days > 62 ? 'week' : 'day';
  const q = useTrend(trendPeriod, districtCode, granularity);
  const option = useMemo(() => {
    const points = q.data?.points ?? [];
    return {
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      grid: { left: 48, right: 48, top: 36, bottom: 28 },
      xAxis: { type: 'category', data: points.map((p) => p.from.slice(5)) },
      yAxis: [
        { type: 'value', min: 0, max: 100, axisLabel: { formatter: '{value}%' } },
        { type: 'value', name: t('analytics.volumes.accepted'), minInterval: 1, splitLine: { show: false } },
      ],
      series: [
        ...RATE_NAMES.map((r) => ({
          name: t(`analytics.rates.${r}`),
          type: 'line',
          smooth: true,
          connectNulls: true,
          data: points.map((p) => p.rates[r].percent),
        })),
        {
          name: t('analytics.volumes.accepted'),
          type: 'line',
          yAxisIndex: 1,
          lineStyle: { type: 'dashed' },
          areaStyle: { opacity: 0.08 },
          data: points.map((p) => p.volumes.accepted),
        },
      ],
    };
  }, [q.data, t]);
  return (
    <Card
      size="small"
      title={t('analytics.dashboard.trendOf', { place, granularity: t(`analytics.dashboard.granularity.${granularity}`) })}
      style={{ marginTop: 12 }}
    >
      <ErrorNote error={q.error} />
      <Chart option={option} height={220} testId="trend" ariaLabel={t('analytics.dashboard.trend')} />
    </Card>
  );
}

function dayBefore(date: string, n: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - n);
  return d.toISOString().slice(0, 10);
}

export function DashboardPage() {
  const { t } = useTranslation();
  const user = useSession().data;
  const city = user?.districts.includes('*') ?? false;
  const ownDistrict = user?.districts.find((d) => d !== '*') ?? null;
  const [period, setPeriod] = useState<PeriodQuery>({ period: 'month', from: today() });
  const [level, setLevel] = useState<Level>(city || !ownDistrict ? { kind: 'city' } : { kind: 'district', districtCode: ownDistrict });
  const [dimension, setDimension] = useState<'street' | 'unit'>('street');
  const [target, setTarget] = useState<FigureTarget | null>(null);

  const districtCode = level.kind === 'city' ? null : level.districtCode;
  const streets = useStreetNames(districtCode);
  const streetName = (code: string) => (code ? (streets.data?.get(code) ?? code) : t('analytics.dashboard.unknownStreet'));
  const rates = useRates(period, districtCode);
  const tableDimension = level.kind === 'city' ? 'district' : level.kind === 'district' ? dimension : level.kind;
  const breakdown = useBreakdown(period, districtCode, tableDimension);
  const leaf = level.kind === 'street' || level.kind === 'unit';
  const leafRow = leaf
    ? breakdown.data?.rows.find((r) => r.key === (level.kind === 'street' ? level.streetCode : level.kind === 'unit' ? level.unitId : ''))
    : undefined;
  const figures = leaf ? leafRow : rates.data;
  const figuresStale = leaf ? breakdown.isPlaceholderData : rates.isPlaceholderData;

  const place =
    level.kind === 'city'
      ? t('analytics.dashboard.city')
      : level.kind === 'district'
        ? districtName(level.districtCode)
        : level.kind === 'street'
          ? streetName(level.streetCode)
          : level.label;

  const scopeOf = (l: Level) =>
    l.kind === 'city'
      ? { districtCode: null }
      : l.kind === 'district'
        ? { districtCode: l.districtCode }
        : l.kind === 'street'
          ? { districtCode: l.districtCode, streetCode: l.streetCode }
          : { districtCode: l.districtCode, unitId: l.unitId };

  const rowLevel = (r: BreakdownRow): Level | null => {
    if (tableDimension === 'district') return { kind: 'district', districtCode: r.key };
    if (!r.key || !r.districtCode) return null;
    return tableDimension === 'street'
      ? { kind: 'street', districtCode: r.districtCode, streetCode: r.key }
      : { kind: 'unit', districtCode: r.districtCode, unitId: r.key, label: r.label };
  };
  // 不予受理 for places only: a refused contact goes to no unit.
  const tableVolumes: VolumeName[] =
    tableDimension === 'unit'
      ? ['accepted', 'dispatched', 'replied', 'callbacks']
      : ['accepted', 'notAccepted', 'dispatched', 'replied', 'callbacks'];
  const rowLabel = (r: BreakdownRow) =>
    tableDimension === 'district' ? districtName(r.key) : tableDimension === 'street' ? streetName(r.key) : r.label;

  const crumbs = [
    ...(city ? [{ key: 'city', title: t('analytics.dashboard.city'), to: { kind: 'city' } as Level }] : []),
    ...(districtCode ? [{ key: districtCode, title: districtName(districtCode), to: { kind: 'district', districtCode } as Level }] : []),
    ...(leaf ? [{ key: 'leaf', title: place, to: level }] : []),
  ];

  return (
    <Space direction="vertical" size={12} style={{ width: '100%' }}>
      <Card size="small">
        <Space style={{ width: '100%', justifyContent: 'space-between' }} wrap>
          <PeriodPicker value={period} onChange={setPeriod} />
          <Breadcrumb
            data-testid="drill-path"
            items={crumbs.map((c, i) => ({
              key: c.key,
              title:
                i < crumbs.length - 1 ? (
                  <Typography.Link onClick={() => setLevel(c.to)}>{c.title}</Typography.Link>
                ) : (
                  <Typography.Text strong>{c.title}</Typography.Text>
                ),
            }))}
          />
        </Space>
      </Card>
      <ErrorNote error={rates.error ?? breakdown.error} />
      <Figures
        rates={figures?.rates}
        volumes={figures?.volumes}
        stale={figuresStale}
        onOpen={(figure) => setTarget({ figure, scope: scopeOf(level), place })}
      />
      <Trend
        period={period}
        districtCode={districtCode}
        place={level.kind === 'city' || level.kind === 'district' ? place : districtName(level.districtCode)}
      />
      {!leaf && (
        <Card
          size="small"
          title={
            level.kind === 'city' ? (
              t('analytics.dashboard.byDistrict')
            ) : (
              <Segmented<'street' | 'unit'>
                data-testid="dimension"
                value={dimension}
                onChange={setDimension}
                options={[
                  { value: 'street', label: t('analytics.dashboard.byStreet') },
                  { value: 'unit', label: t('analytics.dashboard.byUnit') },
                ]}
              />
            )
          }
          extra={<Typography.Text type="secondary">{t('analytics.dashboard.drillHint')}</Typography.Text>}
        >
          <Table<BreakdownRow>
            data-testid="breakdown"
            size="small"
            rowKey={(r) => `${r.districtCode ?? ''}/${r.key}`}
            loading={breakdown.isFetching}
            dataSource={breakdown.data?.rows ?? []}
            pagination={false}
            scroll={{ y: 360 }}
            columns={[
              {
                title: t('analytics.dashboard.name'),
                key: 'name',
                width: 220,
                render: (_: unknown, r) => {
                  const to = rowLevel(r);
                  const label = r.key ? rowLabel(r) : tableDimension === 'unit' ? t('analytics.dashboard.unrouted') : rowLabel(r);
                  return to ? (
                    <Typography.Link onClick={() => setLevel(to)} data-testid="drill">
                      {label}
                    </Typography.Link>
                  ) : (
                    label
                  );
                },
              },
              ...tableVolumes.map((v) => ({
                title: t(`analytics.volumes.${v}`),
                key: v,
                width: 72,
                align: 'right' as const,
                render: (_: unknown, r: BreakdownRow) => r.volumes[v],
              })),
              ...RATE_NAMES.map((name) => ({
                title: t(`analytics.rates.${name}`),
                key: name,
                align: 'right' as const,
                render: (_: unknown, r: BreakdownRow) => {
                  const to = rowLevel(r);
                  return (
                    <RateCell
                      name={name}
                      rate={r.rates[name]}
                      onOpen={() => to && setTarget({ figure: name, scope: scopeOf(to), place: rowLabel(r) })}
                    />
                  );
                },
              })),
            ]}
          />
        </Card>
      )}
      <FigureOrdersDrawer target={target} period={period} onClose={() => setTarget(null)} />
    </Space>
  );
}
