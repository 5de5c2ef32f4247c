/** 月评比 · 红黑榜: units or streets ranked by the composite score of a month; each unit's most frequent problems (举一反三). */
import { Card, Col, Collapse, DatePicker, Empty, List, Row, Segmented, Select, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSession } from '../../api/session';
import { CITY_TZ, dayjs } from '../../app/time';
import { ErrorNote } from '../../components/ErrorNote';
import { useRanking, useStreetNames, useTopProblems } from './api';
import { DISTRICTS, RATE_NAMES, type BreakdownRow, type RankedRow } from './types';

function TopProblems({ unitId, month, districtCode }: { unitId: string; month: string; districtCode: string | null }) {
  const { t } = useTranslation();
  const q = useTopProblems(unitId, month, districtCode);
  return (
    <div data-testid="top-problems" style={{ padding: '4px 24px' }}>
      <Typography.Text strong>{t('analytics.ranking.topProblems')}</Typography.Text>
      <ErrorNote error={q.error} />
      <Table
        size="small"
        rowKey="categoryCode"
        loading={q.isPending}
        pagination={false}
        dataSource={q.data ?? []}
        locale={{ emptyText: t('analytics.ranking.noProblems') }}
        columns={[
          { title: t('analytics.ranking.problem'), dataIndex: 'label' },
          { title: t('analytics.volumes.accepted'), dataIndex: 'accepted', align: 'right' },
          { title: t('analytics.volumes.dispatched'), dataIndex: 'dispatched', align: 'right' },
          { title: t('analytics.volumes.callbacks'), dataIndex: 'callbacks', align: 'right' },
          {
            title: t('analytics.ranking.unresolvedCount'),
            dataIndex: 'unresolved',
            align: 'right',
            render: (n: number) => (n > 0 ? <Typography.Text type="danger">{n}</Typography.Text> : n),
          },
        ]}
      />
    </div>
  );
}

function ListCard({ kind, rows, label }: { kind: 'red' | 'black'; rows: RankedRow[]; label: (r: BreakdownRow) => string }) {
  const { t } = useTranslation();
  const red = kind === 'red';
  return (
    <Card
      size="small"
      data-testid={`${kind}-list`}
      title={<span style={{ color: red ? '#cf1322' : '#141414', fontWeight: 700 }}>{t(`analytics.ranking.${kind}`)}</span>}
      styles={{ header: { background: red ? '#fff1f0' : '#f0f0f0' } }}
    >
      <List
        size="small"
        dataSource={rows}
        locale={{ emptyText: t('analytics.ranking.empty') }}
        renderItem={(r) => (
          <List.Item extra={<Tag color={red ? 'red' : 'default'}>{r.score}</Tag>}>
            <Space>
              <Typography.Text strong>{r.rank}</Typography.Text>
              {label(r)}
            </Space>
          </List.Item>
        )}
      />
    </Card>
  );
}

export function RankingPage() {
  const { t } = useTranslation();
  const user = useSession().data;
  const city = user?.districts.includes('*') ?? false;
  const own = user?.districts.find((d) => d !== '*') ?? null;
  const [month, setMonth] = useState(() => dayjs().tz(CITY_TZ).format('YYYY-MM'));
  const [kind, setKind] = useState<'unit' | 'street'>('unit');
  const [districtCode, setDistrictCode] = useState<string | null>(city ? null : own);
  const q = useRanking(month, kind, districtCode);
  const streets = useStreetNames(districtCode);
  const label = (r: BreakdownRow) => (kind === 'street' ? (streets.data?.get(r.key) ?? r.label) : r.label);
  const weights = Object.entries(q.data?.weights ?? {})
    .map(([k, w]) => `${t(`analytics.rates.${k}`)}×${w}`)
    .join(' + ');

  return (
    <Space direction="vertical" size={12} style={{ width: '100%' }}>
      <Card size="small">
        <Space wrap>
          <span>{t('analytics.ranking.month')}</span>
          <DatePicker
            picker="month"
            aria-label={t('analytics.ranking.month')}
            allowClear={false}
            value={dayjs(`${month}-01`)}
            onChange={(d) => d && setMonth(d.format('YYYY-MM'))}
          />
          <Segmented<'unit' | 'street'>
            value={kind}
            onChange={setKind}
            options={[
              { value: 'unit', label: t('analytics.ranking.kind.unit') },
              { value: 'street', label: t('analytics.ranking.kind.street') },
            ]}
          />
          <Select<string>
            aria-label={t('analytics.ranking.district')}
            style={{ width: 180 }}
            value={districtCode ?? ''}
            disabled={!city}
            onChange={(v) => setDistrictCode(v || null)}
            options={[
              ...(city ? [{ value: '', label: t('analytics.ranking.allDistricts') }] : []),
              ...DISTRICTS.map((d) => ({ value: d.code, label: d.zh })),
            ]}
          />
          {q.data && (
            <Typography.Text type="secondary">{t('analytics.ranking.weights', { weights, min: q.data.minOrders })}</Typography.Text>
          )}
        </Space>
      </Card>
      <ErrorNote error={q.error} />
      <Row gutter={12}>
        <Col span={12}>
          <ListCard kind="red" rows={q.data?.redList ?? []} label={label} />
        </Col>
        <Col span={12}>
          <ListCard kind="black" rows={q.data?.blackList ?? []} label={label} />
        </Col>
      </Row>
      <Card size="small">
        <Table<RankedRow>
          data-testid="ranking"
          size="small"
          rowKey={(r) => `${r.districtCode ?? ''}/${r.key}`}
          loading={q.isFetching}
          dataSource={q.data?.ranked ?? []}
          pagination={false}
          locale={{ emptyText: <Empty description={t('analytics.ranking.empty')} /> }}
          expandable={
            kind === 'unit'
              ? { expandedRowRender: (r) => <TopProblems unitId={r.key} month={month} districtCode={districtCode ?? r.districtCode} /> }
              : undefined
          }
          columns={[
            { title: t('analytics.ranking.rank'), dataIndex: 'rank', width: 64 },
            { title: t('analytics.ranking.name'), key: 'name', render: (_: unknown, r) => label(r) },
            { title: t('analytics.ranking.dispatched'), key: 'd', align: 'right', render: (_: unknown, r) => r.volumes.dispatched },
            {
              title: t('analytics.ranking.score'),
              dataIndex: 'score',
              align: 'right',
              render: (s: number) => <Typography.Text strong>{s}</Typography.Text>,
            },
            ...RATE_NAMES.map((name) => ({
              title: t(`analytics.rates.${name}`),
              key: name,
              align: 'right' as const,
              render: (_: unknown, r: RankedRow) => (r.rates[name].percent === null ? '—' : `${r.rates[name].percent}%`),
            })),
          ]}
        />
        {!!q.data?.unranked.length && (
          <Collapse
            ghost
            items={[
              {
                key: 'unranked',
                label: t('analytics.ranking.unranked', { count: q.data.unranked.length }),
                children: (
                  <Space wrap>
                    {q.data.unranked.map((r) => (
                      <Tag key={`${r.districtCode}/${r.key}`}>
                        {label(r)}（{r.volumes.dispatched}）
                      </Tag>
                    ))}
                  </Space>
                ),
              },
            ]}
          />
        )}
      </Card>
    </Space>
  );
}
