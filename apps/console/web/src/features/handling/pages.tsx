/** The handling unit's screens: 我的待办 (worklist with countdowns) and 待签批 (the head's sign-off queue). */
import { Card, Select, Space, Switch, Table, Tag, type TableColumnsType } from 'antd';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useCategoryName } from '../../api/names';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router-dom';
import { useSession } from '../../api/session';
import { ErrorNote } from '../../components/ErrorNote';
import { useWorklist, type Order, type WorklistFilter } from './api';
import { FINISHING, RESPONDING } from './clock';
import { Countdown, useNow } from './Countdown';
import { HandlingActions } from './HandlingActions';
import { OrderDrawer } from './OrderPanel';
import { UNIT_STATES } from './states';

/**
 * The columns every order list shares: number, state, urgency and flags, category (by name), content,
 * place, the two clocks. Memoised on the language and the table's one clock (`now`, a re-render a
 * minute), so a refetch or a selection does not rebuild the cells; the cells are plain spans and Tags
 * (no tooltip, no Space, no Typography per cell), cheap enough for 500 rows.
 */
export function useOrderColumns(now: number): TableColumnsType<Order> {
  const { t } = useTranslation();
  const categoryName = useCategoryName();
  return useMemo(
    () => [
      {
        title: t('handling.fields.orderNo'),
        dataIndex: 'orderNo',
        width: 150,
        render: (v: string) => <strong>{v}</strong>,
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
          <span className="tag-row">
            <Tag color={o.urgency === 'urgent' ? 'red' : undefined}>{t(`handling.urgency.${o.urgency}`)}</Tag>
            {o.flags.map((f) => (
              <Tag key={f} color="volcano">
                {t(`handling.flags.${f}`)}
              </Tag>
            ))}
            {o.proactive && <Tag color="cyan">{t('handling.flags.proactive')}</Tag>}
          </span>
        ),
      },
      {
        title: t('handling.fields.category'),
        dataIndex: 'categoryCode',
        width: 110,
        ellipsis: true,
        render: (c: string) => <span title={c}>{categoryName(c)}</span>,
      },
      { title: t('handling.fields.content'), dataIndex: 'content', ellipsis: true },
      { title: t('handling.fields.address'), dataIndex: 'address', ellipsis: true, width: 170 },
      {
        title: t('handling.fields.respondClock'),
        key: 'respond',
        width: 120,
        render: (_: unknown, o: Order) => (
          <Countdown
            due={o.respondDueAt}
            warnAt={o.respondWarnAt}
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
            warnAt={o.finishWarnAt}
            start={o.assignedAt}
            met={!FINISHING.includes(o.state)}
            now={now}
            label={t('handling.fields.finishClock')}
          />
        ),
      },
    ],
    [t, now, categoryName],
  );
}

/** The table body's height in pixels (a virtual table needs a number): the window less the page's chrome. */
export function useTableHeight(chrome: number): number {
  const [h, setH] = useState(() => Math.max(240, window.innerHeight - chrome));
  useEffect(() => {
    const on = () => setH(Math.max(240, window.innerHeight - chrome));
    window.addEventListener('resize', on);
    return () => window.removeEventListener('resize', on);
  }, [chrome]);
  return h;
}

/** Columns' total width for the virtual table's horizontal extent (the content column takes the rest). */
export const ORDER_TABLE_WIDTH = 1100;

/**
 * A list of orders, all of them in one virtual table (only the rows in view are in the page, so 500
 * rows cost what 20 do), with one clock for every countdown in it.
 */
function OrderTable(props: { filter: WorklistFilter; testId: string; onOpen: (id: string) => void; chrome?: number }) {
  const { t } = useTranslation();
  const q = useWorklist(props.filter);
  const now = useNow();
  const columns = useOrderColumns(now);
  const height = useTableHeight(props.chrome ?? 300);
  const { onOpen } = props;
  const onRow = useCallback((o: Order) => ({ onClick: () => onOpen(o.ticketId), style: { cursor: 'pointer' } }), [onOpen]);
  return (
    <>
      {q.isError && <ErrorNote error={q.error} />}
      <Table<Order>
        data-testid={props.testId}
        rowKey="ticketId"
        size="small"
        virtual
        loading={q.isPending}
        columns={columns}
        dataSource={q.data ?? EMPTY}
        locale={{ emptyText: t('handling.empty') }}
        pagination={false}
        footer={() => t('handling.total', { count: q.data?.length ?? 0 })}
        scroll={{ x: ORDER_TABLE_WIDTH, y: height }}
        onRow={onRow}
      />
    </>
  );
}

const EMPTY: Order[] = [];

export function WorklistPage() {
  const { t } = useTranslation();
  const [filter, setFilter] = useState<WorklistFilter>({ limit: 500 });
  // ?order=<id> (from a notification) opens that order's drawer.
  const [params, setParams] = useSearchParams();
  const [open, setOpen] = useState<string | null>(() => params.get('order'));
  useEffect(() => {
    const wanted = params.get('order');
    if (wanted) setOpen(wanted);
  }, [params]);
  const close = () => {
    setOpen(null);
    if (params.has('order')) setParams({}, { replace: true });
  };
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
          options={UNIT_STATES.map((s) => ({ value: s, label: t(`handling.states.${s}`) }))}
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
      <OrderTable filter={filter} testId="worklist" onOpen={setOpen} chrome={330} />
      <OrderDrawer id={open} onClose={close} actions={(o) => <HandlingActions order={o} />} />
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
