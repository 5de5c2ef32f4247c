/** 投递记录: notify's delivery log — per message the person, channel, state, attempts and the providers' answers; dead ends first. */
import { Button, Card, Select, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { cityTime } from '../../app/time';
import { ErrorNote } from '../../components/ErrorNote';
import { DELIVERY_CHANNELS, DELIVERY_STATES, useDeliveries, type Delivery, type DeliveryChannel, type DeliveryState } from './api';

const PAGE_SIZE = 20;
const DEAD_ENDS: readonly string[] = ['failed', 'dead'];
/** Long text (the message with its order number, a provider's answer) wraps in its cell: nothing that matters is cut. */
const WRAP = { whiteSpace: 'normal', wordBreak: 'break-word' } as const;
const WRAP_CODE = { whiteSpace: 'normal', wordBreak: 'break-all', fontSize: 12 } as const;

/**
 * Why a send failed, in the reader's language, over notify's technical reading and the provider's
 * own answer (kept as they are, in smaller type: they are what a provider's support desk asks for).
 * Rows from before notify kept the reason show the technical text alone.
 */
function Failure({ reason, detail, testId }: { reason: string | null | undefined; detail: string; testId?: string }) {
  const { t } = useTranslation();
  if (!reason && !detail) return <>—</>;
  return (
    <span data-testid={testId}>
      {reason && (
        <Typography.Text strong style={{ display: 'block' }} data-testid={testId && `${testId}-reason`}>
          {t(`admin.deliveries.reasons.${reason}`, { defaultValue: reason })}
        </Typography.Text>
      )}
      {detail && (
        <Typography.Text type="secondary" style={WRAP_CODE}>
          {detail}
        </Typography.Text>
      )}
    </span>
  );
}

const STATE_COLOR: Record<string, string> = {
  pending: 'processing',
  digest: 'default',
  digested: 'default',
  sent: 'success',
  failed: 'error',
  dead: 'error',
};

export function DeliveriesPage() {
  const { t } = useTranslation();
  const [states, setStates] = useState<DeliveryState[]>([]);
  const [channel, setChannel] = useState<DeliveryChannel | undefined>();
  const [page, setPage] = useState(1);
  const list = useDeliveries(states, channel, page, PAGE_SIZE);
  const rows = list.data?.rows ?? [];
  const more = list.data?.more ?? false;
  return (
    <Card size="small" title={t('admin.deliveries.title')}>
      <Typography.Paragraph type="secondary">{t('admin.deliveries.hint')}</Typography.Paragraph>
      <Space wrap style={{ marginBottom: 12 }} role="search" aria-label={t('admin.deliveries.filters')}>
        <Select<DeliveryState[]>
          mode="multiple"
          allowClear
          aria-label={t('admin.deliveries.state')}
          placeholder={t('admin.deliveries.allStates')}
          style={{ minWidth: 220 }}
          value={states}
          onChange={(v) => {
            setStates(v);
            setPage(1);
          }}
          options={DELIVERY_STATES.map((s) => ({ value: s, label: t(`admin.deliveries.states.${s}`) }))}
        />
        <Select<DeliveryChannel>
          allowClear
          aria-label={t('admin.deliveries.channel')}
          placeholder={t('admin.deliveries.allChannels')}
          style={{ width: 160 }}
          value={channel}
          onChange={(v?: DeliveryChannel) => {
            setChannel(v);
            setPage(1);
          }}
          options={DELIVERY_CHANNELS.map((c) => ({ value: c, label: t(`admin.deliveries.channels.${c}`) }))}
        />
      </Space>
      {list.isError && <ErrorNote error={list.error} />}
      <Table<Delivery>
        data-testid="deliveries"
        rowKey="id"
        size="small"
        loading={list.isFetching}
        dataSource={rows}
        pagination={false}
        onRow={(d) => ({ 'data-state': d.state, style: DEAD_ENDS.includes(d.state) ? { background: '#fff1f0' } : undefined }) as never}
        locale={{ emptyText: t('admin.deliveries.none') }}
        expandable={{
          rowExpandable: (d) => d.attemptLog.length > 0,
          expandedRowRender: (d) => (
            <Table
              size="small"
              rowKey="at"
              pagination={false}
              dataSource={d.attemptLog}
              columns={[
                { title: t('admin.deliveries.attemptAt'), dataIndex: 'at', width: 140, render: (v: string) => cityTime(v) },
                {
                  title: t('admin.deliveries.outcome'),
                  dataIndex: 'outcome',
                  width: 100,
                  render: (v: string) => t(`admin.deliveries.outcomes.${v}`, { defaultValue: v }),
                },
                {
                  title: t('admin.deliveries.answer'),
                  dataIndex: 'answer',
                  render: (v: string | null) => <span style={WRAP_CODE}>{v ?? '—'}</span>,
                },
                {
                  title: t('admin.deliveries.error'),
                  dataIndex: 'error',
                  render: (v: string | null, a) => <Failure reason={a.reason} detail={v ?? ''} />,
                },
                { title: t('admin.deliveries.duration'), dataIndex: 'durationMs', width: 90, render: (v: number) => `${v} ms` },
              ]}
            />
          ),
        }}
        columns={[
          {
            title: t('admin.deliveries.title_'),
            dataIndex: 'title',
            width: 250,
            render: (v: string) => (
              <span style={WRAP} data-testid="delivery-title">
                {v}
              </span>
            ),
          },
          { title: t('admin.deliveries.person'), dataIndex: 'personName', width: 130, render: (v: string | null) => v ?? '—' },
          { title: t('admin.deliveries.to'), dataIndex: 'to', width: 120, render: (v: string) => <span style={WRAP_CODE}>{v}</span> },
          {
            title: t('admin.deliveries.channel'),
            dataIndex: 'channel',
            width: 80,
            render: (v: string) => t(`admin.deliveries.channels.${v}`, { defaultValue: v }),
          },
          {
            title: t('admin.deliveries.state'),
            dataIndex: 'state',
            width: 90,
            render: (v: string) => <Tag color={STATE_COLOR[v]}>{t(`admin.deliveries.states.${v}`, { defaultValue: v })}</Tag>,
          },
          { title: t('admin.deliveries.attempts'), dataIndex: 'attempts', width: 60 },
          {
            title: t('admin.deliveries.lastAnswer'),
            // why, then the error as notify read it and the provider's own answer to the last attempt
            render: (_, d) => (
              <Failure
                testId="delivery-answer"
                reason={d.lastReason}
                detail={[d.lastError, d.attemptLog.at(-1)?.answer].filter(Boolean).join(' · ')}
              />
            ),
          },
          {
            // sent at, or the next try of one still waiting (one column: the table fits 1366 px without cutting)
            title: t('admin.deliveries.when'),
            width: 150,
            render: (_, d) =>
              d.sentAt
                ? t('admin.deliveries.sentOn', { at: cityTime(d.sentAt) })
                : d.state === 'pending' || d.state === 'digest'
                  ? t('admin.deliveries.nextOn', { at: cityTime(d.notBefore) })
                  : '—',
          },
        ]}
      />
      <Space style={{ marginTop: 12, justifyContent: 'flex-end', width: '100%' }}>
        <Button size="small" disabled={page <= 1} onClick={() => setPage((p) => p - 1)}>
          {t('admin.deliveries.previous')}
        </Button>
        <Typography.Text data-testid="deliveries-page">{t('admin.deliveries.page', { page })}</Typography.Text>
        <Button size="small" disabled={!more} onClick={() => setPage((p) => p + 1)}>
          {t('admin.deliveries.nextPage')}
        </Button>
      </Space>
    </Card>
  );
}
