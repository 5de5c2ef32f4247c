/**
 * 回访管理: the callback agents' queue (待回访) and the supervisors' spot checks (抽查回访). One table per
 * view (take the next, the open tasks, mine, overdue, done), and the task in a drawer: the reply as the
 * citizen heard it, reveal and call, each attempt, the answers, the SMS survey link.
 */
import { Badge, Button, Card, Space, Table, Tabs, Tag, Tooltip, Typography, type TableColumnsType } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { cityTime } from '../../app/time';
import { ErrorNote } from '../../components/ErrorNote';
import { Countdown, useNow } from '../handling/Countdown';
import { useTakeNext, useTaskLists, type TaskFilter } from './api';
import { TaskDrawer } from './TaskDrawer';
import type { Task, TaskKind } from './types';

const VIEWS = ['pending', 'mine', 'overdue', 'completed', 'failed'] as const;
type View = (typeof VIEWS)[number];

function filterOf(view: View, kinds: TaskKind[]): TaskFilter[] {
  const base = { limit: 500 } as const;
  const per = (k: TaskKind): TaskFilter => {
    switch (view) {
      case 'pending':
        return { ...base, kind: k, state: 'pending' };
      case 'mine':
        return { ...base, kind: k, mine: true };
      case 'overdue':
        return { ...base, kind: k, overdue: true };
      case 'completed':
      case 'failed':
        return { ...base, kind: k, state: view };
    }
  };
  return kinds.map(per);
}

function useColumns(): TableColumnsType<Task> {
  const { t } = useTranslation();
  const now = useNow();
  return [
    {
      title: t('callback.fields.orderNo'),
      dataIndex: 'orderNo',
      width: 170,
      render: (v: string | null, task) => (
        <Space size={4}>
          {task.overdue && <Badge status="error" />}
          <Typography.Text strong>{v ?? task.ticketId.slice(0, 8)}</Typography.Text>
        </Space>
      ),
    },
    { title: t('callback.fields.kind'), dataIndex: 'kind', width: 110, render: (k: string) => <Tag>{t(`callback.kinds.${k}`)}</Tag> },
    {
      title: t('callback.fields.state'),
      dataIndex: 'state',
      width: 96,
      render: (s: string) => <Tag color={s === 'failed' ? 'red' : s === 'completed' ? 'green' : 'blue'}>{t(`callback.states.${s}`)}</Tag>,
    },
    {
      title: t('callback.fields.cycle'),
      dataIndex: 'cycle',
      width: 80,
      render: (c: number) => (c > 1 ? <Tag color="volcano">{t('callback.rework', { cycle: c })}</Tag> : c),
    },
    { title: t('callback.fields.reply'), dataIndex: 'publicReply', ellipsis: true },
    {
      title: t('callback.fields.due'),
      key: 'due',
      width: 130,
      render: (_: unknown, task) => (
        <Countdown
          due={task.dueAt}
          start={task.createdAt}
          met={task.state === 'completed' || task.state === 'failed'}
          now={now}
          label={t('callback.fields.due')}
        />
      ),
    },
    {
      title: t('callback.fields.attempts'),
      key: 'attempts',
      width: 150,
      render: (_: unknown, task) => (
        <Space direction="vertical" size={0}>
          <span>{t('callback.attemptCount', { count: task.attempts })}</span>
          {task.callableFrom && (
            <Tooltip title={t('callback.callableFromHint')}>
              <Typography.Text type="warning" style={{ fontSize: 12 }} data-testid="callable-from">
                {t('callback.callableFrom', { at: cityTime(task.callableFrom, 'MM-DD HH:mm') })}
              </Typography.Text>
            </Tooltip>
          )}
        </Space>
      ),
    },
    {
      title: t('callback.fields.flags'),
      key: 'flags',
      width: 110,
      render: (_: unknown, task) => (
        <Space size={2} wrap>
          {task.repeatCall && <Tag color="volcano">{t('callback.repeatCall')}</Tag>}
          {task.overdue && <Tag color="red">{t('callback.overdue')}</Tag>}
        </Space>
      ),
    },
  ];
}

function TaskTable(props: { filters: TaskFilter[]; testId: string; onOpen: (id: string) => void }) {
  const { t } = useTranslation();
  const qs = useTaskLists(props.filters);
  const rows = qs.flatMap((q) => q.data ?? []).sort((x, y) => x.dueAt.localeCompare(y.dueAt));
  const failed = qs.find((q) => q.isError);
  const columns = useColumns();
  return (
    <>
      {failed && <ErrorNote error={failed.error} />}
      <Table<Task>
        data-testid={props.testId}
        rowKey="id"
        size="small"
        loading={qs.some((q) => q.isPending)}
        columns={columns}
        dataSource={rows}
        locale={{ emptyText: t('callback.empty') }}
        pagination={{ pageSize: 50, showSizeChanger: false, showTotal: (n) => t('callback.total', { count: n }) }}
        scroll={{ y: 'calc(100vh - 330px)' }}
        onRow={(task) => ({
          onClick: () => props.onOpen(task.id),
          style: { cursor: 'pointer', background: task.overdue ? '#fff1f0' : undefined },
          'data-overdue': task.overdue ? 'true' : undefined,
        })}
      />
    </>
  );
}

function QueuePage({ kinds, title }: { kinds: TaskKind[]; title: string }) {
  const { t } = useTranslation();
  const [view, setView] = useState<View>('pending');
  const [open, setOpen] = useState<string | null>(null);
  const next = useTakeNext();
  const overdue = useTaskLists(filterOf('overdue', kinds)).reduce((n, q) => n + (q.data?.length ?? 0), 0);
  return (
    <Card
      size="small"
      title={title}
      extra={
        <Button
          type="primary"
          data-testid="take-next"
          loading={next.isPending}
          onClick={() =>
            void next.mutateAsync().then(
              (task) => setOpen(task.id),
              () => undefined,
            )
          }
        >
          {t('callback.takeNext')}
        </Button>
      }
    >
      {next.error !== null && <ErrorNote error={next.error} />}
      <Tabs
        activeKey={view}
        onChange={(k) => setView(k as View)}
        items={VIEWS.map((v) => ({
          key: v,
          label: (
            <span data-testid={`tab-${v}`}>
              {t(`callback.views.${v}`)}
              {v === 'overdue' && overdue > 0 && <Badge count={overdue} size="small" style={{ marginLeft: 6 }} />}
            </span>
          ),
        }))}
      />
      <TaskTable filters={filterOf(view, kinds)} testId={`tasks-${view}`} onOpen={setOpen} />
      <TaskDrawer id={open} onClose={() => setOpen(null)} />
    </Card>
  );
}

/** 待回访: the agents' queue (replies and sampled first-contact answers). */
export function CallbackTasksPage() {
  const { t } = useTranslation();
  return <QueuePage kinds={['reply', 'first_contact', 'expiry']} title={t('callback.title')} />;
}

/** 抽查回访: the supervisors' sample of closed orders, called again. */
export function SpotCheckPage() {
  const { t } = useTranslation();
  return <QueuePage kinds={['spot_check']} title={t('callback.spotTitle')} />;
}
