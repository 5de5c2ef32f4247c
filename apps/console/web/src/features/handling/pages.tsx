/** The handling unit's screens: 我的待办 (worklist with countdowns) and 待签批 (the head's sign-off queue). */
import { Card, Select, Space, Switch, Table, Tag, type TableColumnsType } from 'antd';
import { lazy, Suspense, useCallback, useEffect, useMemo, useState, type ComponentType } from 'react';
import { useIsFetching } from '@tanstack/react-query';
import { useCategoryName } from '../../api/names';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router-dom';
import { useSession } from '../../api/session';
import { ErrorNote } from '../../components/ErrorNote';
import { LEADER_OPENING, SIGNOFF_OPENING, useWorklist, WORKLIST_OPENING, type Order, type WorklistFilter } from './api';
import { FINISHING, RESPONDING } from './clock';
import { Countdown, useNow } from './Countdown';
import { UNIT_STATES } from './states';
import { whenIdle } from '../../app/idle';

/** A countdown column: the respond or the finish clock, counted while the order is in `running` states. */
function clockColumn(key: 'respond' | 'finish', running: readonly string[], title: string, now: number): TableColumnsType<Order>[number] {
  const due = key === 'respond' ? 'respondDueAt' : 'finishDueAt';
  const warn = key === 'respond' ? 'respondWarnAt' : 'finishWarnAt';
  return {
    title,
    key,
    width: COLUMN_WIDTHS.clock,
    render: (_: unknown, o: Order) => (
      <Countdown due={o[due]} warnAt={o[warn]} start={o.assignedAt} met={!running.includes(o.state)} now={now} label={title} />
    ),
  };
}

/** Widths of the fixed columns at 1366×768 (the content column takes the rest, at least `content`). */
export const COLUMN_WIDTHS = { orderNo: 140, state: 88, urgency: 96, category: 96, address: 150, clock: 112, select: 40, content: 300 };

/** Long text in a cell: two lines at most, the whole of it in the native title. */
const twoLines = (v: string | null | undefined) => (
  <span className="cell-two-lines" title={v ?? undefined}>
    {v}
  </span>
);

/**
 * The columns every order list shares: number, state (unless the list is one state, as a dispatcher's
 * queue), urgency and flags, category (by name), the request's content (the rest of the width, two
 * lines), place (two lines), the two clocks. Memoised on the language and the table's one clock (`now`,
 * a re-render a minute), so a refetch or a selection does not rebuild the cells; the cells are plain
 * spans and Tags (no tooltip, no Space, no Typography per cell), cheap enough for 500 rows.
 */
export function useOrderColumns(now: number, options: { state?: boolean } = {}): TableColumnsType<Order> {
  const { t } = useTranslation();
  const categoryName = useCategoryName();
  const withState = options.state ?? true;
  return useMemo(
    () => [
      {
        title: t('handling.fields.orderNo'),
        dataIndex: 'orderNo',
        width: COLUMN_WIDTHS.orderNo,
        render: (v: string) => <strong>{v}</strong>,
      },
      ...(withState
        ? [
            {
              title: t('handling.fields.state'),
              dataIndex: 'state',
              width: COLUMN_WIDTHS.state,
              render: (s: string) => <Tag color="blue">{t(`handling.states.${s}`)}</Tag>,
            },
          ]
        : []),
      {
        title: t('handling.fields.urgency'),
        dataIndex: 'urgency',
        width: COLUMN_WIDTHS.urgency,
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
        width: COLUMN_WIDTHS.category,
        render: (c: string) => twoLines(categoryName(c)),
      },
      { title: t('handling.fields.content'), dataIndex: 'content', render: twoLines },
      { title: t('handling.fields.address'), dataIndex: 'address', width: COLUMN_WIDTHS.address, render: twoLines },
      clockColumn('respond', RESPONDING, t('handling.fields.respondClock'), now),
      clockColumn('finish', FINISHING, t('handling.fields.finishClock'), now),
    ],
    [t, now, categoryName, withState],
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

/**
 * The virtual table's least width (it needs a number): the fixed columns and the content's least; a
 * wider window gives the content column the rest, a narrower one scrolls sideways.
 */
export function orderTableWidth(options: { state?: boolean; select?: boolean } = {}): number {
  const w = COLUMN_WIDTHS;
  return (
    w.orderNo +
    w.urgency +
    w.category +
    w.address +
    2 * w.clock +
    w.content +
    (options.state === false ? 0 : w.state) +
    (options.select ? w.select : 0)
  );
}

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
        scroll={{ x: orderTableWidth(), y: height }}
        onRow={onRow}
      />
    </>
  );
}

const EMPTY: Order[] = [];

/**
 * The order drawer and the handler's actions (forms, upload, people pickers) are a chunk of their own:
 * the list is shown without them, and they are fetched while the browser is idle after it, or on the
 * first click, whichever comes first.
 */
const loadDrawer = () => Promise.all([import('./OrderPanel'), import('./HandlingActions')]);
const HandlingDrawer = lazy(async () => {
  const [{ OrderDrawer }, { HandlingActions }] = await loadDrawer();
  return {
    default: (props: { id: string | null; onClose: () => void }) => (
      <OrderDrawer id={props.id} onClose={props.onClose} actions={(o) => <HandlingActions order={o} />} />
    ),
  };
});

/**
 * Runs `load` once `when` holds and the browser is idle (at the latest `timeoutMs` later); ignores a
 * failure (the click asks again).
 */
export function useLoadWhenIdle(load: () => Promise<unknown>, when: boolean, timeoutMs = 2000): void {
  useEffect(() => {
    if (!when) return;
    return whenIdle(() => void load().catch(() => undefined), timeoutMs);
  }, [load, when, timeoutMs]);
}

/**
 * A lazily loaded order drawer for `open`: nothing until the first opening, mounted from then on, so it
 * slides in and out as before. Its chunk is fetched on the first opening, or before: when no query is
 * running any more (the list has arrived and is drawn) and the browser is idle.
 */
export function LazyOrderDrawer(props: {
  drawer: ComponentType<{ id: string | null; onClose: () => void }>;
  load: () => Promise<unknown>;
  open: string | null;
  onClose: () => void;
}) {
  const [wanted, setWanted] = useState(false);
  useLoadWhenIdle(props.load, useIsFetching() === 0);
  if (props.open && !wanted) setWanted(true);
  if (!wanted && !props.open) return null;
  return (
    <Suspense fallback={null}>
      <props.drawer id={props.open} onClose={props.onClose} />
    </Suspense>
  );
}

export function WorklistPage() {
  const { t } = useTranslation();
  const [filter, setFilter] = useState<WorklistFilter>(WORKLIST_OPENING);
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
      <LazyOrderDrawer drawer={HandlingDrawer} load={loadDrawer} open={open} onClose={close} />
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
        <OrderTable filter={SIGNOFF_OPENING} testId="signoff-queue" onOpen={setOpen} />
      </Card>
      {user?.roles.includes('unit_head') && (
        <Card size="small" title={t('handling.leaderQueue')}>
          <OrderTable filter={LEADER_OPENING} testId="leader-queue" onOpen={setOpen} />
        </Card>
      )}
      <LazyOrderDrawer drawer={HandlingDrawer} load={loadDrawer} open={open} onClose={() => setOpen(null)} />
    </Space>
  );
}
