/** 下钻到工单: the orders behind one figure, those that pull it down first, with the callback's answers and comment. */
import { Drawer, Space, Switch, Table, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { cityTime } from '../../app/time';
import { ErrorNote } from '../../components/ErrorNote';
import { useFigureOrders, type FigureScope } from './api';
import type { Figure, FigureOrder, PeriodQuery } from './types';
import { RATE_NAMES } from './types';

export interface FigureTarget {
  figure: Figure;
  scope: FigureScope;
  /** Where the figure is (全市 / 城西区 / 胜利路街道 ...). */
  place: string;
}

function Outcome({ o }: { o: FigureOrder }) {
  const { t } = useTranslation();
  const cb = o.callback;
  if (!cb) return null;
  if (cb.failed) return <Tag>{t('analytics.orders.failed', { reason: cb.comment ?? '' })}</Tag>;
  const colour = cb.satisfaction === 'unsatisfied' ? 'red' : cb.satisfaction === 'basically_satisfied' ? 'gold' : 'green';
  return (
    <Space size={2} wrap>
      {cb.satisfaction && (
        <Tag color={colour} data-testid="outcome-satisfaction">
          {t(`analytics.orders.satisfaction.${cb.satisfaction}`, { defaultValue: cb.satisfaction })}
        </Tag>
      )}
      <Tag color={cb.resolved ? 'green' : 'red'}>{cb.resolved ? t('analytics.orders.resolved') : t('analytics.orders.unresolved')}</Tag>
      {cb.contacted === false && <Tag color="orange">{t('analytics.orders.notContacted')}</Tag>}
      <Typography.Text type="secondary">{t('analytics.orders.cycle', { cycle: cb.cycle })}</Typography.Text>
    </Space>
  );
}

export function FigureOrdersDrawer({ target, period, onClose }: { target: FigureTarget | null; period: PeriodQuery; onClose: () => void }) {
  const { t } = useTranslation();
  const isRate = target ? (RATE_NAMES as string[]).includes(target.figure) : false;
  const [againstOnly, setAgainstOnly] = useState(false);
  const [page, setPage] = useState(1);
  useEffect(() => {
    setAgainstOnly(false);
    setPage(1);
  }, [target]);
  const q = useFigureOrders(period, target?.figure ?? null, target?.scope ?? { districtCode: null }, againstOnly, page);
  const figureName = target ? t(isRate ? `analytics.rates.${target.figure}` : `analytics.volumes.${target.figure}`) : '';
  const hasCallback = target ? ['resolution', 'satisfaction', 'callbacks', 'callbacksFailed'].includes(target.figure) : false;
  // 不予受理: contacts refused at intake, with their reason (no unit, no reply).
  const refused = target?.figure === 'notAccepted';
  return (
    <Drawer
      open={target !== null}
      onClose={onClose}
      size={1100}
      title={<span data-testid="orders-title">{t('analytics.orders.title', { place: target?.place ?? '', figure: figureName })}</span>}
      destroyOnHidden
    >
      <Space style={{ marginBottom: 12 }}>
        {isRate && (
          <Space size={6}>
            <Switch
              checked={againstOnly}
              onChange={(v) => (setAgainstOnly(v), setPage(1))}
              aria-label={t('analytics.orders.againstOnly')}
            />
            <span>{t('analytics.orders.againstOnly')}</span>
          </Space>
        )}
        {q.data && (
          <Typography.Text type="secondary" data-testid="orders-total">
            {t('analytics.orders.total', { total: q.data.total })}
          </Typography.Text>
        )}
      </Space>
      <ErrorNote error={q.error} />
      <Table<FigureOrder>
        data-testid="figure-orders"
        rowKey={(o) => `${o.ticketId}-${o.callback?.cycle ?? 0}-${o.at}`}
        size="small"
        loading={q.isFetching}
        dataSource={q.data?.items ?? []}
        locale={{ emptyText: t('analytics.orders.empty') }}
        pagination={{ current: page, pageSize: 20, total: q.data?.total ?? 0, onChange: setPage, showSizeChanger: false }}
        onRow={(o) => ({ style: o.against ? { background: '#fff1f0' } : undefined })}
        columns={[
          {
            title: t('analytics.orders.orderNo'),
            dataIndex: 'orderNo',
            width: 150,
            render: (v: string | null, o) => (
              <Space size={2} direction="vertical">
                <span style={{ fontFamily: 'monospace' }}>{v ?? '—'}</span>
                {o.against && (
                  <Tag color="red" data-testid="against">
                    {t('analytics.orders.against')}
                  </Tag>
                )}
              </Space>
            ),
          },
          { title: t('analytics.orders.unit'), dataIndex: 'unitName', width: 150, render: (v: string | null) => v ?? '—' },
          { title: t('analytics.orders.category'), dataIndex: 'category', width: 80 },
          { title: t('analytics.orders.at'), dataIndex: 'at', width: 100, render: (v: string) => cityTime(v) },
          ...(hasCallback
            ? [
                {
                  title: t('analytics.orders.outcome'),
                  key: 'outcome',
                  width: 200,
                  render: (_: unknown, o: FigureOrder) => <Outcome o={o} />,
                },
                {
                  title: t('analytics.orders.comment'),
                  key: 'comment',
                  render: (_: unknown, o: FigureOrder) =>
                    o.callback?.comment && !o.callback.failed ? <span data-testid="callback-comment">{o.callback.comment}</span> : '—',
                },
              ]
            : []),
          refused
            ? {
                title: t('analytics.orders.reason'),
                dataIndex: 'notAcceptedReason',
                width: 180,
                render: (v: FigureOrder['notAcceptedReason']) =>
                  v ? <Tag data-testid="not-accepted-reason">{t(`analytics.orders.reasons.${v}`)}</Tag> : '—',
              }
            : {
                title: t('analytics.orders.reply'),
                dataIndex: 'replyText',
                width: 180,
                ellipsis: { showTitle: true },
                render: (v: string | null) => v ?? '—',
              },
        ]}
      />
    </Drawer>
  );
}
