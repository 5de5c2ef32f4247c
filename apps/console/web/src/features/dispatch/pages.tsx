/** 待派工单: the dispatcher's queues with live counts, an order drawer with every dispatcher step, and bulk dispatch. */
import { Alert, Badge, Button, Card, List, Select, Space, Table, Tabs } from 'antd';
import { lazy, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSession } from '../../api/session';
import { ErrorNote } from '../../components/ErrorNote';
import type { Order } from '../handling/api';
import { COLUMN_WIDTHS, LazyOrderDrawer, orderTableWidth, useOrderColumns, useTableHeight } from '../handling/pages';
import { useNow } from '../handling/Countdown';
import { OPENING_QUEUE, QUEUES, useBulkDispatch, useQueue, useQueueCounts, type BulkResult, type Queue } from './api';
import { useUnitOptions } from './units';

/** The order drawer with the dispatcher's steps: a chunk of its own, fetched when idle or on the first click. */
const loadDrawer = () => Promise.all([import('../handling/OrderPanel'), import('./DispatcherActions')]);
const DispatchDrawer = lazy(async () => {
  const [{ OrderDrawer }, { DispatcherActions }] = await loadDrawer();
  return {
    default: (props: { id: string | null; onClose: () => void }) => (
      <OrderDrawer id={props.id} onClose={props.onClose} actions={(o) => <DispatcherActions order={o} />} />
    ),
  };
});

const SELECTABLE: Queue[] = ['unrouted', 'city'];

function BulkBar(props: { district: string; selected: Order[]; onDone: (r: BulkResult) => void }) {
  const { t } = useTranslation();
  const [unitId, setUnitId] = useState<string>();
  const units = useUnitOptions(props.district);
  const bulk = useBulkDispatch();
  return (
    <Space wrap style={{ marginBottom: 8 }} aria-label={t('dispatch.bulk.title')}>
      <span>{t('dispatch.bulk.selected', { count: props.selected.length })}</span>
      <Select
        aria-label={t('dispatch.bulk.unit')}
        placeholder={t('dispatch.bulk.unit')}
        showSearch
        optionFilterProp="label"
        style={{ width: 260 }}
        options={units}
        value={unitId}
        onChange={setUnitId}
      />
      <Button
        type="primary"
        disabled={!unitId || props.selected.length === 0}
        loading={bulk.isPending}
        onClick={() =>
          void bulk.mutateAsync({ ticketIds: props.selected.map((o) => o.ticketId), unitId: unitId! }).then(props.onDone, () => undefined)
        }
      >
        {t('dispatch.bulk.go')}
      </Button>
      <ErrorNote error={bulk.error} />
    </Space>
  );
}

function QueueTable({ queue, onOpen }: { queue: Queue; onOpen: (id: string) => void }) {
  const { t } = useTranslation();
  const user = useSession().data;
  const q = useQueue(queue);
  const now = useNow();
  // One queue is one state: no state column, and the width goes to the content.
  const columns = useOrderColumns(now, { state: false });
  const height = useTableHeight(360);
  const [selected, setSelected] = useState<Order[]>([]);
  const [result, setResult] = useState<BulkResult | null>(null);
  const selectable = SELECTABLE.includes(queue);
  const orderNo = (id: string) => q.data?.find((o) => o.ticketId === id)?.orderNo ?? id;
  const district = selected[0]?.districtCode ?? user?.districts.find((d) => d !== '*') ?? '';
  return (
    <>
      {selectable && <BulkBar district={district} selected={selected} onDone={(r) => (setResult(r), setSelected([]))} />}
      {result && (
        <Alert
          closable
          onClose={() => setResult(null)}
          type={result.refused ? 'warning' : 'success'}
          showIcon
          style={{ marginBottom: 8 }}
          title={t('dispatch.bulk.result', { dispatched: result.dispatched, refused: result.refused })}
          description={
            result.refused ? (
              <List
                size="small"
                dataSource={result.results.filter((r) => !r.ok)}
                renderItem={(r) => (
                  <List.Item>
                    {r.ticketId && orderNo(r.ticketId)}：{t(`errors.status${r.status}`, { defaultValue: t('errors.status400') })} —{' '}
                    {r.message}
                  </List.Item>
                )}
              />
            ) : undefined
          }
        />
      )}
      {q.isError && <ErrorNote error={q.error} />}
      <Table<Order>
        data-testid={`queue-${queue}`}
        rowKey="ticketId"
        size="small"
        loading={q.isPending}
        columns={columns}
        dataSource={q.data ?? []}
        locale={{ emptyText: t('dispatch.empty') }}
        virtual
        pagination={false}
        footer={() => t('handling.total', { count: q.data?.length ?? 0 })}
        scroll={{ x: orderTableWidth({ state: false, select: selectable }), y: height }}
        rowSelection={
          selectable
            ? {
                // A width of its own: a virtual table shares the spare width among the columns without one (the content's).
                columnWidth: COLUMN_WIDTHS.select,
                selectedRowKeys: selected.map((o) => o.ticketId),
                onChange: (_keys, rows) => setSelected(rows),
              }
            : undefined
        }
        onRow={(o) => ({ onClick: () => onOpen(o.ticketId), style: { cursor: 'pointer' } })}
      />
    </>
  );
}

export function QueuesPage() {
  const { t } = useTranslation();
  const user = useSession().data;
  const counts = useQueueCounts().data;
  const [active, setActive] = useState<Queue>(OPENING_QUEUE);
  const [open, setOpen] = useState<string | null>(null);
  const city = user?.districts.includes('*') ?? false;
  const queues = QUEUES.filter((q) => q !== 'city' || city);
  return (
    <Card size="small">
      <Tabs
        activeKey={active}
        onChange={(k) => setActive(k as Queue)}
        items={queues.map((q) => ({
          key: q,
          label: (
            <span data-testid={`tab-${q}`}>
              {t(`dispatch.queues.${q}`)}{' '}
              <Badge
                count={counts?.[q] ?? 0}
                showZero
                overflowCount={999}
                color={q === 'returned' || q === 'leader' ? '#fa541c' : '#1677ff'}
                data-testid={`count-${q}`}
              />
            </span>
          ),
          children: <QueueTable queue={q} onOpen={setOpen} />,
        }))}
      />
      <LazyOrderDrawer drawer={DispatchDrawer} load={loadDrawer} open={open} onClose={() => setOpen(null)} />
    </Card>
  );
}
