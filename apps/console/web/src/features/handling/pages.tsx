/** The handling unit's screens: 我的待办 (worklist with countdowns) and 待签批 (the head's sign-off queue). */
import { Card, Select, Space, Switch, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSession } from '../../api/session';
import { ErrorNote } from '../../components/ErrorNote';
import { useWorklist, type Order, type WorklistFilter } from './api';
import { FINISHING, RESPONDING } from './clock';
import { Countdown, useNow } from './Countdown';
import { HandlingActions } from './HandlingActions';
import { OrderDrawer } from './OrderPanel';

const STATES = [
  'dispatched',
  'signed',
  'contacted',
  'return_requested',
  'awaiting_signoff',
  'signoff_rejected',
  'replied',
  'rework',
  'reopened',
  'awaiting_callback',
  'closed',
];

/** The columns every order list shares: number, state, urgency and flags, content, place, the two clocks. */
export function useOrderColumns(): TableColumnsType<Order> {
  const { t } = useTranslation();
  const now = useNow();
  return [
    {
      title: t('handling.fields.orderNo'),
      dataIndex: 'orderNo',
      width: 150,
      render: (v: string) => <Typography.Text strong>{v}</Typography.Text>,
    },
    {
      title: t('handling.fields.state'),
      dataIndex: 'state',
      width: 96,
      render: (s: string) => <Tag color="blue">{t(`handling.states.${s}`)}</Tag>,
    },
    {
      title: t('handling.fields.urgency'),
      dataIndex: 'urgency',
      width: 130,
      render: (_: unknown, o: Order) => (
        <Space size={2} wrap>
          <Tag color={o.urgency === 'urgent' ? 'red' : undefined}>{t(`handling.urgency.${o.urgency}`)}</Tag>
          {o.flags.map((f) => (
            <Tag key={f} color="volcano">
              {t(`handling.flags.${f}`)}
            </Tag>
          ))}
          {o.proactive && <Tag color="cyan">{t('handling.flags.proactive')}</Tag>}
        </Space>
      ),
    },
    { title: t('handling.fields.content'), dataIndex: 'content', ellipsis: true },
    { title: t('handling.fields.address'), dataIndex: 'address', ellipsis: true, width: 180 },
    {
      title: t('handling.fields.respondClock'),
      key: 'respond',
      width: 120,
      render: (_: unknown, o: Order) => (
        <Countdown
          due={o.respondDueAt}
          start={o.assignedAt}
          met={!RESPONDING.includes(o.state)}
          now={now}
          label={t('handling.fields.respondClock')}
        />
      ),
    },
    {
      title: t('handling.fields.finishClock'),
      key: 'finish',
      width: 120,
      render: (_: unknown, o: Order) => (
        <Countdown
          due={o.finishDueAt}
          start={o.assignedAt}
          met={!FINISHING.includes(o.state)}
          now={now}
          label={t('handling.fields.finishClock')}
        />
      ),
    },
  ];
}

function OrderTable(props: { filter: WorklistFilter; testId: string; onOpen: (id: string) => void }) {
  const { t } = useTranslation();
  const q = useWorklist(props.filter);
  const columns = useOrderColumns();
  return (
    <>
      {q.isError && <ErrorNote error={q.error} />}
      <Table<Order>
        data-testid={props.testId}
        rowKey="ticketId"
        size="small"
        loading={q.isPending}
        columns={columns}
        dataSource={q.data ?? []}
        locale={{ emptyText: t('handling.empty') }}
        pagination={{ pageSize: 50, showSizeChanger: false, showTotal: (n) => t('handling.total', { count: n }) }}
        scroll={{ y: 'calc(100vh - 300px)' }}
        onRow={(o) => ({ onClick: () => props.onOpen(o.ticketId), style: { cursor: 'pointer' } })}
      />
    </>
  );
}

export function WorklistPage() {
  const { t } = useTranslation();
  const [filter, setFilter] = useState<WorklistFilter>({ limit: 500 });
  const [open, setOpen] = useState<string | null>(null);
  const set = (patch: Partial<WorklistFilter>) =>
    setFilter((f) => Object.fromEntries(Object.entries({ ...f, ...patch }).filter(([, v]) => v !== undefined)));
  return (
    <Card size="small">
      <Space wrap style={{ marginBottom: 12 }} role="search" aria-label={t('handling.filters')}>
        <Select
          aria-label={t('handling.fields.state')}
          allowClear
          placeholder={t('handling.fields.state')}
          style={{ width: 140 }}
          value={filter.state}
          onChange={(v?: WorklistFilter['state']) => set({ state: v })}
          options={STATES.map((s) => ({ value: s, label: t(`handling.states.${s}`) }))}
        />
        <Select
          aria-label={t('handling.fields.urgency')}
          allowClear
          placeholder={t('handling.fields.urgency')}
          style={{ width: 120 }}
          value={filter.urgency}
          onChange={(v?: WorklistFilter['urgency']) => set({ urgency: v })}
          options={['urgent', 'ordinary', 'long_term'].map((u) => ({ value: u, label: t(`handling.urgency.${u}`) }))}
        />
        <Select
          aria-label={t('handling.fields.flag')}
          allowClear
          placeholder={t('handling.fields.flag')}
          style={{ width: 120 }}
          value={filter.flag}
          onChange={(v?: WorklistFilter['flag']) => set({ flag: v })}
          options={['repeat', 'concentrated'].map((f) => ({ value: f, label: t(`handling.flags.${f}`) }))}
        />
        <Space>
          <Switch
            aria-label={t('handling.overdue')}
            checked={filter.overdue === 'true'}
            onChange={(on) => set({ overdue: on ? 'true' : undefined })}
          />
          {t('handling.overdue')}
        </Space>
        <Space>
          <Switch
            aria-label={t('handling.mine')}
            checked={filter.assignee === 'me'}
            onChange={(on) => set({ assignee: on ? 'me' : undefined })}
          />
          {t('handling.mine')}
        </Space>
      </Space>
      <OrderTable filter={filter} testId="worklist" onOpen={setOpen} />
      <OrderDrawer id={open} onClose={() => setOpen(null)} actions={(o) => <HandlingActions order={o} />} />
    </Card>
  );
}

/** 待签批: replies waiting for the head; a district leader also sees the 双交办 orders held for them. */
export function SignOffPage() {
  const { t } = useTranslation();
  const user = useSession().data;
  const [open, setOpen] = useState<string | null>(null);
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Card size="small" title={t('handling.signoffQueue')}>
        <OrderTable filter={{ state: 'awaiting_signoff', limit: 500 }} testId="signoff-queue" onOpen={setOpen} />
      </Card>
      {user?.roles.includes('unit_head') && (
        <Card size="small" title={t('handling.leaderQueue')}>
          <OrderTable filter={{ state: 'awaiting_leader', limit: 500 }} testId="leader-queue" onOpen={setOpen} />
        </Card>
      )}
      <OrderDrawer id={open} onClose={() => setOpen(null)} actions={(o) => <HandlingActions order={o} />} />
    </Space>
  );
}
