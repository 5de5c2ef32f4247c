/**
 * 督办管理: the supervision list (督办清单) with its filters and an item's record (urge, comment, close,
 * the order's clocks with pause and resume); the about-to-breach board by unit with working time left
 * (临期看板, urge from it); extension requests waiting for a decision (延期审批).
 */
import {
  Alert,
  Button,
  Card,
  Col,
  Descriptions,
  Drawer,
  Empty,
  Form,
  Input,
  InputNumber,
  Modal,
  Radio,
  Row,
  Select,
  Skeleton,
  Space,
  Table,
  Tag,
  Timeline,
  Typography,
  type TableColumnsType,
} from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { usePeopleNames } from '../../api/directory';
import { cityTime } from '../../app/time';
import { ErrorNote } from '../../components/ErrorNote';
import { useUnitName } from '../handling/OrderPanel';
import { useUnits } from '../handling/api';
import {
  useAtRisk,
  useCloseItem,
  useComment,
  useDecide,
  useExtensions,
  useItem,
  useItems,
  useOrderBrief,
  useUrge,
  useUrgeOrder,
  type AtRiskFilter,
  type ItemFilter,
} from './api';
import { ClockPanel, NoteForm, OrderNo, WorkingLeft } from './parts';
import type { ClockView, Extension, Item } from './types';

const REASONS = ['overdue', 'unsatisfied', 'repeat', 'at_risk'] as const;
const LEVELS = ['unit', 'district', 'city'] as const;

/** The order as the supervisor reads it beside the item: content, state, unit, reply. */
function OrderSummary({ ticketId }: { ticketId: string }) {
  const { t } = useTranslation();
  const unitName = useUnitName();
  const o = useOrderBrief(ticketId).data;
  if (!o) return <Skeleton active paragraph={{ rows: 2 }} />;
  return (
    <Descriptions size="small" column={2} bordered>
      <Descriptions.Item label={t('supervision.fields.orderNo')}>
        <Typography.Text strong data-testid="item-order-no">
          {o.orderNo}
        </Typography.Text>
      </Descriptions.Item>
      <Descriptions.Item label={t('supervision.fields.orderState')}>{t(`handling.states.${o.state}`)}</Descriptions.Item>
      <Descriptions.Item label={t('supervision.fields.unit')} span={2}>
        {unitName(o.unitId)}
      </Descriptions.Item>
      <Descriptions.Item label={t('supervision.fields.content')} span={2}>
        <Typography.Paragraph style={{ margin: 0 }} ellipsis={{ rows: 3 }}>
          {o.content}
        </Typography.Paragraph>
      </Descriptions.Item>
      {o.replyText && (
        <Descriptions.Item label={t('supervision.fields.reply')} span={2}>
          {o.replyText}
        </Descriptions.Item>
      )}
    </Descriptions>
  );
}

function ItemDrawer({ id, onClose }: { id: string | null; onClose: () => void }) {
  const { t } = useTranslation();
  const q = useItem(id);
  const urge = useUrge(id ?? '');
  const comment = useComment(id ?? '');
  const close = useCloseItem(id ?? '');
  const item = q.data;
  const nameOf = usePeopleNames(item?.actions.map((a) => a.actor) ?? []);
  return (
    <Drawer
      open={Boolean(id)}
      onClose={onClose}
      size="large"
      width={1080}
      destroyOnHidden
      title={
        item ? (
          <Space wrap data-testid="item-header">
            <OrderNo ticketId={item.ticketId} />
            <Tag color="volcano">{t(`supervision.reasons.${item.reason}`)}</Tag>
            <Tag>{t(`supervision.levels.${item.level}`)}</Tag>
            <Tag color={item.status === 'open' ? 'blue' : 'default'} data-testid="item-status">
              {t(`supervision.status.${item.status}`)}
            </Tag>
            {item.urgeCount > 0 && <Tag color="red">{t('supervision.urgedTimes', { count: item.urgeCount })}</Tag>}
          </Space>
        ) : (
          t('app.loading')
        )
      }
    >
      {q.isPending && <Skeleton active />}
      {q.isError && <ErrorNote error={q.error} />}
      {item && (
        <Row gutter={24}>
          <Col span={15}>
            <Space direction="vertical" size="middle" style={{ width: '100%' }}>
              <Alert type="warning" showIcon title={item.summary} />
              <OrderSummary ticketId={item.ticketId} />
              <ClockPanel ticketId={item.ticketId} />
              {item.status === 'open' ? (
                <Card size="small" title={t('supervision.actionsTitle')}>
                  <Space direction="vertical" style={{ width: '100%' }} size="middle">
                    <NoteForm
                      name="urge"
                      label={t('supervision.urge.note')}
                      submit={t('supervision.urge.submit')}
                      placeholder={t('supervision.urge.placeholder')}
                      required
                      pending={urge.isPending}
                      error={urge.error}
                      run={(n) => urge.mutateAsync(n)}
                    />
                    <NoteForm
                      name="comment"
                      label={t('supervision.comment.note')}
                      submit={t('supervision.comment.submit')}
                      required
                      pending={comment.isPending}
                      error={comment.error}
                      run={(n) => comment.mutateAsync(n)}
                    />
                    <NoteForm
                      name="close"
                      label={t('supervision.close.note')}
                      submit={t('supervision.close.submit')}
                      danger
                      pending={close.isPending}
                      error={close.error}
                      run={(n) => close.mutateAsync(n || undefined)}
                    />
                  </Space>
                </Card>
              ) : (
                <Alert type="info" showIcon title={t('supervision.closedAt', { at: cityTime(item.closedAt) })} />
              )}
            </Space>
          </Col>
          <Col span={9}>
            <Typography.Title level={5}>{t('supervision.record')}</Typography.Title>
            <Timeline
              data-testid="item-record"
              items={item.actions.map((a) => ({
                key: a.id,
                color: a.action === 'urge' ? 'red' : a.action === 'close' ? 'green' : 'blue',
                children: (
                  <div>
                    <strong>{t(`supervision.actions.${a.action}`)}</strong>
                    <div style={{ fontSize: 12, color: '#888' }}>
                      {cityTime(a.at)} · {a.actor.startsWith('system:') ? t('supervision.system') : nameOf(a.actor)}
                    </div>
                    {a.note && <div style={{ fontSize: 13 }}>{a.note}</div>}
                  </div>
                ),
              }))}
            />
          </Col>
        </Row>
      )}
    </Drawer>
  );
}

/** 督办清单. */
export function SupervisionListPage() {
  const { t } = useTranslation();
  const unitName = useUnitName();
  const units = useUnits().data ?? [];
  const [filter, setFilter] = useState<ItemFilter>({ status: 'open', limit: 500 });
  const [open, setOpen] = useState<string | null>(null);
  const q = useItems(filter);
  const set = (patch: Partial<ItemFilter>) =>
    setFilter((f) => Object.fromEntries(Object.entries({ ...f, ...patch }).filter(([, v]) => v !== undefined && v !== null)));
  const columns: TableColumnsType<Item> = [
    { title: t('supervision.fields.orderNo'), key: 'orderNo', width: 160, render: (_: unknown, i) => <OrderNo ticketId={i.ticketId} /> },
    {
      title: t('supervision.fields.reason'),
      dataIndex: 'reason',
      width: 110,
      render: (r: string) => (
        <Tag color={r === 'overdue' ? 'red' : r === 'unsatisfied' ? 'volcano' : r === 'at_risk' ? 'gold' : 'purple'}>
          {t(`supervision.reasons.${r}`)}
        </Tag>
      ),
    },
    { title: t('supervision.fields.level'), dataIndex: 'level', width: 90, render: (l: string) => t(`supervision.levels.${l}`) },
    { title: t('supervision.fields.unit'), dataIndex: 'unitId', width: 190, ellipsis: true, render: (u: string) => unitName(u) },
    { title: t('supervision.fields.summary'), dataIndex: 'summary', ellipsis: true },
    { title: t('supervision.fields.openedAt'), dataIndex: 'openedAt', width: 140, render: (v: string) => cityTime(v) },
    {
      title: t('supervision.fields.age'),
      dataIndex: 'ageHours',
      width: 90,
      render: (h: number) => (
        <Tag color={h >= 72 ? 'red' : h >= 24 ? 'gold' : undefined}>
          {t('supervision.age', { days: Math.floor(h / 24), hours: h % 24 })}
        </Tag>
      ),
    },
    {
      title: t('supervision.fields.urges'),
      dataIndex: 'urgeCount',
      width: 90,
      render: (n: number, i) => (n > 0 ? <span title={cityTime(i.lastUrgedAt)}>{t('supervision.urgedTimes', { count: n })}</span> : '—'),
    },
  ];
  return (
    <Card size="small">
      <Space wrap style={{ marginBottom: 12 }} role="search" aria-label={t('supervision.filters')}>
        <Select
          aria-label={t('supervision.fields.status')}
          style={{ width: 110 }}
          value={filter.status}
          onChange={(v: ItemFilter['status']) => set({ status: v })}
          options={['open', 'closed'].map((s) => ({ value: s, label: t(`supervision.status.${s}`) }))}
        />
        <Select
          aria-label={t('supervision.fields.reason')}
          allowClear
          placeholder={t('supervision.fields.reason')}
          style={{ width: 140 }}
          value={filter.reason}
          onChange={(v?: ItemFilter['reason']) => set({ reason: v })}
          options={REASONS.map((r) => ({ value: r, label: t(`supervision.reasons.${r}`) }))}
        />
        <Select
          aria-label={t('supervision.fields.level')}
          allowClear
          placeholder={t('supervision.fields.level')}
          style={{ width: 120 }}
          value={filter.level}
          onChange={(v?: ItemFilter['level']) => set({ level: v })}
          options={LEVELS.map((l) => ({ value: l, label: t(`supervision.levels.${l}`) }))}
        />
        <Select
          aria-label={t('supervision.fields.unit')}
          allowClear
          showSearch
          optionFilterProp="label"
          placeholder={t('supervision.fields.unit')}
          style={{ width: 240 }}
          value={filter.unitId}
          onChange={(v?: string) => set({ unitId: v })}
          options={units.map((u) => ({ value: u.id, label: u.nameZh }))}
        />
        <Space>
          {t('supervision.fields.minAge')}
          <InputNumber
            aria-label={t('supervision.fields.minAge')}
            min={0}
            max={3650}
            value={filter.minAgeDays}
            onChange={(v) => set({ minAgeDays: v ?? undefined })}
            style={{ width: 80 }}
          />
        </Space>
      </Space>
      {q.isError && <ErrorNote error={q.error} />}
      <Table<Item>
        data-testid="supervision-list"
        rowKey="id"
        size="small"
        loading={q.isPending}
        columns={columns}
        dataSource={q.data ?? []}
        locale={{ emptyText: t('supervision.empty') }}
        pagination={{ pageSize: 50, showSizeChanger: false, showTotal: (n) => t('supervision.total', { count: n }) }}
        scroll={{ y: 'calc(100vh - 300px)' }}
        onRow={(i) => ({ onClick: () => setOpen(i.id), style: { cursor: 'pointer' } })}
      />
      <ItemDrawer id={open} onClose={() => setOpen(null)} />
    </Card>
  );
}

/** One order on the board: its clock, and the supervisor's urge and pause/resume in a drawer. */
function BoardDrawer({ clock, onClose }: { clock: ClockView | null; onClose: () => void }) {
  const { t } = useTranslation();
  const urge = useUrgeOrder();
  return (
    <Drawer
      open={Boolean(clock)}
      onClose={onClose}
      size="large"
      width={760}
      destroyOnHidden
      title={clock ? <OrderNo ticketId={clock.ticketId} /> : ''}
    >
      {clock && (
        <Space direction="vertical" size="middle" style={{ width: '100%' }}>
          <OrderSummary ticketId={clock.ticketId} />
          <ClockPanel ticketId={clock.ticketId} />
          <Card size="small" title={t('supervision.urge.title')}>
            <NoteForm
              name="urge-order"
              label={t('supervision.urge.note')}
              submit={t('supervision.urge.submit')}
              placeholder={t('supervision.urge.placeholder')}
              required
              pending={urge.isPending}
              error={urge.error}
              run={(note) => urge.mutateAsync({ ticketId: clock.ticketId, note })}
            />
            {urge.data !== undefined && (
              <Alert style={{ marginTop: 8 }} type="success" showIcon data-testid="urged" title={t('supervision.urge.done')} />
            )}
          </Card>
        </Space>
      )}
    </Drawer>
  );
}

/** 临期看板: running clocks with little working time left, grouped by the unit that holds the order. */
export function AtRiskBoardPage() {
  const { t } = useTranslation();
  const unitName = useUnitName();
  const [filter, setFilter] = useState<AtRiskFilter>({ withinWorkingHours: 24, limit: 500 });
  const [open, setOpen] = useState<ClockView | null>(null);
  const q = useAtRisk(filter);
  const groups = useMemo(() => {
    const by = new Map<string, ClockView[]>();
    for (const c of q.data ?? []) by.set(c.unitId, [...(by.get(c.unitId) ?? []), c]);
    return [...by.entries()].sort((a, b) => a[1].length - b[1].length).reverse();
  }, [q.data]);
  const columns: TableColumnsType<ClockView> = [
    { title: t('supervision.fields.orderNo'), key: 'orderNo', width: 170, render: (_: unknown, c) => <OrderNo ticketId={c.ticketId} /> },
    { title: t('supervision.fields.clock'), dataIndex: 'kind', width: 100, render: (k: string) => t(`supervision.clock.kinds.${k}`) },
    {
      title: t('supervision.fields.workingLeft'),
      key: 'left',
      width: 300,
      render: (_: unknown, c) => (
        <WorkingLeft minutes={c.remainingWorkingMinutes} wallMinutes={c.remainingMinutes} paused={Boolean(c.pausedAt)} />
      ),
    },
    { title: t('supervision.fields.dueAt'), dataIndex: 'dueAt', width: 150, render: (v: string) => cityTime(v) },
    { title: t('supervision.fields.cycle'), dataIndex: 'cycle', width: 70 },
    {
      title: '',
      key: 'go',
      width: 90,
      render: (_: unknown, c) => (
        <Button size="small" danger onClick={() => setOpen(c)}>
          {t('supervision.urge.submit')}
        </Button>
      ),
    },
  ];
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Card size="small">
        <Space wrap>
          {t('supervision.board.within')}
          <Select
            aria-label={t('supervision.board.within')}
            style={{ width: 160 }}
            value={filter.withinWorkingHours}
            onChange={(v: number) => setFilter((f) => ({ ...f, withinWorkingHours: v }))}
            options={[4, 8, 24, 48, 120].map((h) => ({ value: h, label: t('supervision.board.hours', { count: h }) }))}
          />
          <Typography.Text type="secondary">{t('supervision.board.hint', { count: q.data?.length ?? 0 })}</Typography.Text>
        </Space>
        {q.isError && <ErrorNote error={q.error} />}
      </Card>
      {groups.length === 0 && !q.isPending && <Empty description={t('supervision.board.empty')} />}
      <div data-testid="at-risk-board">
        {groups.map(([unitId, clocks]) => (
          <Card
            key={unitId}
            size="small"
            style={{ marginBottom: 12 }}
            data-testid="board-unit"
            title={
              <Space>
                {unitName(unitId)}
                <Tag color="red">{t('supervision.board.count', { count: clocks.length })}</Tag>
              </Space>
            }
          >
            <Table<ClockView>
              rowKey="id"
              size="small"
              columns={columns}
              dataSource={clocks}
              pagination={false}
              onRow={(c) => ({ onClick: () => setOpen(c), style: { cursor: 'pointer' } })}
            />
          </Card>
        ))}
      </div>
      <BoardDrawer clock={open} onClose={() => setOpen(null)} />
    </Space>
  );
}

function DecideModal({ x, onClose }: { x: Extension | null; onClose: () => void }) {
  const { t } = useTranslation();
  const decide = useDecide(x?.id ?? '');
  const [form] = Form.useForm<{ approve: boolean; days?: number; note?: string }>();
  const approve = Form.useWatch('approve', form);
  return (
    <Modal
      open={Boolean(x)}
      onCancel={onClose}
      destroyOnHidden
      title={x ? <OrderNo ticketId={x.ticketId} /> : ''}
      okText={t('supervision.extensions.decide')}
      confirmLoading={decide.isPending}
      onOk={() => form.submit()}
    >
      {x && (
        <Form
          form={form}
          layout="vertical"
          aria-label={t('supervision.extensions.decide')}
          initialValues={{ approve: true, days: x.days }}
          onFinish={(v) =>
            void decide
              .mutateAsync({
                approve: v.approve,
                ...(v.approve ? { days: v.days } : {}),
                ...(v.note?.trim() ? { note: v.note.trim() } : {}),
              })
              .then(onClose, () => undefined)
          }
        >
          <Alert
            type="info"
            showIcon
            title={t('supervision.extensions.asked', { days: x.days })}
            description={x.reason}
            style={{ marginBottom: 12 }}
          />
          <Form.Item name="approve" label={t('supervision.extensions.decision')}>
            <Radio.Group
              options={[
                { value: true, label: t('supervision.extensions.approve') },
                { value: false, label: t('supervision.extensions.refuse') },
              ]}
            />
          </Form.Item>
          {approve !== false && (
            <Form.Item name="days" label={t('supervision.extensions.days')}>
              <InputNumber min={1} max={x.days} />
            </Form.Item>
          )}
          <Form.Item
            name="note"
            label={t('supervision.extensions.note')}
            rules={approve === false ? [{ required: true, min: 2, message: t('supervision.noteRequired') }] : []}
          >
            <Input.TextArea rows={2} />
          </Form.Item>
          <ErrorNote error={decide.error} />
        </Form>
      )}
    </Modal>
  );
}

/** 延期审批: extension requests waiting for a decision (and the decided ones). */
export function ExtensionsPage() {
  const { t } = useTranslation();
  const unitName = useUnitName();
  const [status, setStatus] = useState<'pending' | 'approved' | 'refused'>('pending');
  const [deciding, setDeciding] = useState<Extension | null>(null);
  const q = useExtensions(status);
  const columns: TableColumnsType<Extension> = [
    { title: t('supervision.fields.orderNo'), key: 'orderNo', width: 160, render: (_: unknown, x) => <OrderNo ticketId={x.ticketId} /> },
    { title: t('supervision.fields.unit'), dataIndex: 'unitId', width: 200, ellipsis: true, render: (u: string) => unitName(u) },
    {
      title: t('supervision.extensions.days'),
      dataIndex: 'days',
      width: 90,
      render: (d: number) => t('supervision.extensions.workingDays', { count: d }),
    },
    { title: t('supervision.extensions.reason'), dataIndex: 'reason', ellipsis: true },
    { title: t('supervision.extensions.requestedAt'), dataIndex: 'requestedAt', width: 140, render: (v: string) => cityTime(v) },
    { title: t('supervision.extensions.dueAtRequest'), dataIndex: 'dueAtRequest', width: 140, render: (v: string) => cityTime(v) },
    status === 'pending'
      ? {
          title: '',
          key: 'decide',
          width: 90,
          render: (_: unknown, x) => (
            <Button size="small" type="primary" onClick={() => setDeciding(x)}>
              {t('supervision.extensions.decide')}
            </Button>
          ),
        }
      : {
          title: t('supervision.extensions.decision'),
          key: 'decision',
          width: 220,
          render: (_: unknown, x) => (
            <span>
              {x.status === 'approved'
                ? t('supervision.extensions.approvedDays', { count: x.grantedDays })
                : t('supervision.extensions.refused')}
              {x.decisionNote ? ` · ${x.decisionNote}` : ''}
            </span>
          ),
        },
  ];
  return (
    <Card size="small">
      <Radio.Group
        style={{ marginBottom: 12 }}
        value={status}
        onChange={(e) => setStatus(e.target.value as typeof status)}
        optionType="button"
        options={(['pending', 'approved', 'refused'] as const).map((s) => ({ value: s, label: t(`supervision.extensions.status.${s}`) }))}
      />
      {q.isError && <ErrorNote error={q.error} />}
      <Table<Extension>
        data-testid="extensions"
        rowKey="id"
        size="small"
        loading={q.isPending}
        columns={columns}
        dataSource={q.data ?? []}
        locale={{ emptyText: t('supervision.extensions.empty') }}
        pagination={{ pageSize: 50, showSizeChanger: false }}
      />
      <DecideModal x={deciding} onClose={() => setDeciding(null)} />
    </Card>
  );
}
