/** 热点地图: hotspots found in the orders, on the city's base map (or plain axes); confirm one into a proactive order, or dismiss it. */
import { Alert, Button, Card, DatePicker, Segmented, Space, Switch, Table, Tag, Tooltip, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSession } from '../../api/session';
import { CITY_TZ, cityTime, dayjs } from '../../app/time';
import { ErrorNote } from '../../components/ErrorNote';
import { useDecideHotspot, useDetectHotspots, useHotspots, useMapConfig } from './api';
import { Chart } from './Chart';
import { hotspotOption } from './hotspotMap';
import { DISTRICTS, type Hotspot, type HotspotStatus } from './types';

const STATUS_COLOUR: Record<HotspotStatus, string> = { detected: 'volcano', proposed: 'blue', dismissed: 'default' };

function Decide({ h }: { h: Hotspot }) {
  const { t } = useTranslation();
  const user = useSession().data;
  const decide = useDecideHotspot();
  // Confirming opens an order (未诉先办): the supervisors' decision (analytics' hotspot routes).
  const allowed = user?.roles.includes('supervisor') ?? false;
  if (h.status !== 'detected') return <Typography.Text type="secondary">{h.decidedAt ? cityTime(h.decidedAt) : ''}</Typography.Text>;
  return (
    <Space direction="vertical" size={2}>
      <Space size={4}>
        <Tooltip title={allowed ? t('analytics.hotspots.confirmHint') : t('analytics.hotspots.noRole')}>
          <Button
            size="small"
            type="primary"
            disabled={!allowed}
            loading={decide.isPending && decide.variables?.decision === 'confirm'}
            onClick={() => decide.mutate({ id: h.id, decision: 'confirm' })}
          >
            {t('analytics.hotspots.confirm')}
          </Button>
        </Tooltip>
        <Button
          size="small"
          danger
          disabled={!allowed}
          title={allowed ? undefined : t('analytics.hotspots.noRole')}
          loading={decide.isPending && decide.variables?.decision === 'dismiss'}
          onClick={() => decide.mutate({ id: h.id, decision: 'dismiss' })}
        >
          {t('analytics.hotspots.dismiss')}
        </Button>
      </Space>
      {!allowed && (
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {t('analytics.hotspots.noRole')}
        </Typography.Text>
      )}
      <ErrorNote error={decide.error} />
    </Space>
  );
}

export function HotspotsPage() {
  const { t } = useTranslation();
  const [status, setStatus] = useState<HotspotStatus | 'all'>('all');
  const [selected, setSelected] = useState<string | null>(null);
  // The base map can be turned off (a tile server down or slow): the points stay readable on axes.
  const [baseMap, setBaseMap] = useState(true);
  const [window, setWindow] = useState<[Dayjs, Dayjs]>(() => {
    const now = dayjs().tz(CITY_TZ);
    return [now.subtract(29, 'day'), now];
  });
  const q = useHotspots(status === 'all' ? null : status);
  const map = useMapConfig();
  const detect = useDetectHotspots();
  const hotspots = useMemo(() => q.data ?? [], [q.data]);
  const labels = useMemo(
    () => ({
      lng: t('analytics.hotspots.lng'),
      lat: t('analytics.hotspots.lat'),
      count: t('analytics.hotspots.count'),
      status: {
        detected: t('analytics.hotspots.status.detected'),
        proposed: t('analytics.hotspots.status.proposed'),
        dismissed: t('analytics.hotspots.status.dismissed'),
      },
    }),
    [t],
  );
  const chart = useMemo(
    () => hotspotOption(hotspots, baseMap ? map.data : undefined, labels, selected),
    [hotspots, map.data, baseMap, labels, selected],
  );

  return (
    <Space direction="vertical" size={12} style={{ width: '100%' }}>
      <Card size="small">
        <Space wrap>
          <Segmented<HotspotStatus | 'all'>
            value={status}
            onChange={setStatus}
            options={(['all', 'detected', 'proposed', 'dismissed'] as const).map((s) => ({
              value: s,
              label: t(`analytics.hotspots.status.${s}`),
            }))}
          />
          <span>{t('analytics.hotspots.detectWindow')}</span>
          <DatePicker.RangePicker
            aria-label={t('analytics.hotspots.detectWindow')}
            allowClear={false}
            value={window}
            onChange={(v) => v?.[0] && v[1] && setWindow([v[0], v[1]])}
          />
          <Button
            loading={detect.isPending}
            onClick={() => detect.mutate({ from: window[0].format('YYYY-MM-DD'), to: window[1].format('YYYY-MM-DD') })}
          >
            {t('analytics.hotspots.detect')}
          </Button>
          {detect.data && (
            <Typography.Text type="success">{t('analytics.hotspots.detected', { count: detect.data.length })}</Typography.Text>
          )}
        </Space>
        <ErrorNote error={detect.error} />
      </Card>
      <Card
        size="small"
        title={t('analytics.hotspots.map')}
        extra={
          map.data?.tileUrl && (
            <Space size={6}>
              <Switch size="small" checked={baseMap} onChange={setBaseMap} aria-label={t('analytics.hotspots.baseMap')} />
              <span>{t('analytics.hotspots.baseMap')}</span>
            </Space>
          )
        }
      >
        {map.data && !map.data.tileUrl && (
          <Alert type="info" showIcon title={t('analytics.hotspots.noBaseMap')} style={{ marginBottom: 8 }} />
        )}
        <Chart
          option={chart.option}
          height={chart.height}
          testId="hotspot-map"
          ariaLabel={t('analytics.hotspots.map')}
          onClick={(p) => setSelected((p.data as { h?: Hotspot } | undefined)?.h?.id ?? null)}
        />
        {map.data?.tileUrl && map.data.attribution && (
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {map.data.attribution}
          </Typography.Text>
        )}
      </Card>
      <Card size="small">
        <ErrorNote error={q.error} />
        <Table<Hotspot>
          data-testid="hotspots"
          size="small"
          rowKey="id"
          loading={q.isFetching}
          dataSource={hotspots}
          pagination={{ pageSize: 10, showSizeChanger: false }}
          locale={{ emptyText: t('analytics.hotspots.empty') }}
          onRow={(h) => ({
            onClick: () => setSelected(h.id),
            style: { cursor: 'pointer', background: h.id === selected ? '#e6f4ff' : undefined },
          })}
          columns={[
            { title: t('analytics.hotspots.category'), dataIndex: 'category', width: 110 },
            {
              title: t('analytics.hotspots.place'),
              key: 'place',
              render: (_: unknown, h) =>
                `${DISTRICTS.find((d) => d.code === h.districtCode)?.zh ?? h.districtCode} · ${h.center.lat.toFixed(4)}, ${h.center.lng.toFixed(4)}（${h.radiusM} 米）`,
            },
            {
              title: t('analytics.hotspots.detectWindow'),
              key: 'window',
              width: 190,
              render: (_: unknown, h) =>
                `${cityTime(h.windowStart, 'YYYY-MM-DD')} ~ ${cityTime(new Date(Date.parse(h.windowEnd) - 1), 'MM-DD')}`,
            },
            { title: t('analytics.hotspots.count'), dataIndex: 'ticketCount', width: 70, align: 'right' },
            { title: t('analytics.hotspots.previous'), dataIndex: 'previousCount', width: 60, align: 'right' },
            {
              title: t('analytics.hotspots.rising'),
              key: 'trend',
              width: 130,
              render: (_: unknown, h) => (
                <Space size={2}>
                  {h.rising && <Tag color="red">{t('analytics.hotspots.rising')}</Tag>}
                  {h.seasonalYears > 0 && <Tag color="purple">{t('analytics.hotspots.seasonalYears', { n: h.seasonalYears })}</Tag>}
                </Space>
              ),
            },
            {
              title: t('analytics.hotspots.state'),
              dataIndex: 'status',
              width: 150,
              render: (s: HotspotStatus) => (
                <Tag color={STATUS_COLOUR[s]} data-testid="hotspot-status">
                  {t(`analytics.hotspots.status.${s}`)}
                </Tag>
              ),
            },
            { title: t('analytics.hotspots.actions'), key: 'actions', width: 150, render: (_: unknown, h) => <Decide h={h} /> },
          ]}
        />
      </Card>
    </Space>
  );
}
