/**
 * The order as a unit or a dispatcher sees it, in a wide drawer: header (工单号, state, urgency, flags,
 * unit, the two countdowns), the request, attachments, co-units and their parts, the reply, and the
 * timeline (流转记录) down the side, newest last. The actions the viewer may take come from the caller.
 */
import { Alert, Col, Descriptions, Drawer, Empty, List, Row, Skeleton, Space, Tag, Timeline, Typography } from 'antd';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, type ReactNode } from 'react';
import { usePeopleNames } from '../../api/directory';
import { useCategoryName, useDistrictName } from '../../api/names';
import { onLiveEvent } from '../../app/live/useLiveEvents';
import { useTranslation } from 'react-i18next';
import { cityTime } from '../../app/time';
import { useErrorText } from '../../components/ErrorNote';
import { orderKeys, useOrder, useUnits, type OrderDetail, type OrgUnit } from './api';
import { FINISHING, RESPONDING } from './clock';
import { Countdown, useNow } from './Countdown';
import { describeEntry, peopleIn } from './timeline-text';
import { usePlaceLine } from '../intake/hooks';

export function useUnitName(): (id: string | null | undefined) => string {
  const { i18n } = useTranslation();
  const units = useUnits().data;
  return (id) => {
    if (!id) return '—';
    const u = units?.find((x: OrgUnit) => x.id === id);
    if (!u) return id.slice(0, 8);
    return i18n.language === 'en' ? u.nameEn : u.nameZh;
  };
}

export function OrderHeader({ order }: { order: OrderDetail }) {
  const { t } = useTranslation();
  const now = useNow();
  const unitName = useUnitName();
  return (
    <Space wrap size={[8, 8]} data-testid="order-header">
      <Typography.Text strong copyable style={{ fontSize: 16 }}>
        {order.orderNo}
      </Typography.Text>
      <Tag color="blue" data-testid="order-state">
        {t(`handling.states.${order.state}`)}
      </Tag>
      <Tag color={order.urgency === 'urgent' ? 'red' : undefined}>{t(`handling.urgency.${order.urgency}`)}</Tag>
      {order.flags.map((f) => (
        <Tag key={f} color="volcano">
          {t(`handling.flags.${f}`)}
        </Tag>
      ))}
      {order.flags.length > 0 && (order.state === 'awaiting_leader' || order.leaderHoldAt) && (
        <Tag color="purple">{t('handling.flags.dual')}</Tag>
      )}
      {order.proactive && <Tag color="cyan">{t('handling.flags.proactive')}</Tag>}
      <Typography.Text type="secondary">
        {t('handling.fields.unit')}：{unitName(order.unitId)}
      </Typography.Text>
      <span>
        {t('handling.fields.respondClock')}{' '}
        <Countdown
          label={t('handling.fields.respondClock')}
          due={order.respondDueAt}
          warnAt={order.respondWarnAt}
          start={order.assignedAt}
          met={!RESPONDING.includes(order.state)}
          now={now}
        />
      </span>
      <span>
        {t('handling.fields.finishClock')}{' '}
        <Countdown
          label={t('handling.fields.finishClock')}
          due={order.finishDueAt}
          warnAt={order.finishWarnAt}
          start={order.assignedAt}
          met={!FINISHING.includes(order.state)}
          now={now}
        />
      </span>
    </Space>
  );
}

/** 督办催办: the latest urge from a supervisor, on top of the order, so the unit cannot miss it. */
function UrgeNotice({ order }: { order: OrderDetail }) {
  const { t } = useTranslation();
  const urges = order.timeline.filter((e) => e.action === 'sla_urged');
  const last = urges[urges.length - 1];
  if (!last) return null;
  return (
    <Alert
      type="error"
      showIcon
      data-testid="urge-notice"
      title={t('handling.urged', { count: urges.length, at: cityTime(last.at) })}
      description={'remark' in last.data ? (last.data.remark as string | null) : last.note}
    />
  );
}

function OrderBody({ order }: { order: OrderDetail }) {
  const { t } = useTranslation();
  // The place as intake placed it, down to the community (社区/村), by name.
  const place = usePlaceLine()([order.districtCode, order.streetCode, order.communityCode]);
  const unitName = useUnitName();
  const categoryName = useCategoryName();
  const nameOf = usePeopleNames(order.assignees);
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <UrgeNotice order={order} />
      <Descriptions size="small" column={2} bordered>
        <Descriptions.Item label={t('handling.fields.content')} span={2}>
          <Typography.Paragraph style={{ margin: 0, whiteSpace: 'pre-wrap' }} data-testid="order-content">
            {order.content}
          </Typography.Paragraph>
        </Descriptions.Item>
        <Descriptions.Item label={t('handling.fields.address')} span={2}>
          {order.address}
          {place && (
            <Typography.Text type="secondary" data-testid="order-place" style={{ display: 'block' }}>
              {place}
            </Typography.Text>
          )}
        </Descriptions.Item>
        <Descriptions.Item label={t('handling.fields.requestType')}>{t(`handling.requestTypes.${order.requestType}`)}</Descriptions.Item>
        <Descriptions.Item label={t('handling.fields.category')}>
          <span title={order.categoryCode}>{categoryName(order.categoryCode)}</span>
        </Descriptions.Item>
        <Descriptions.Item label={t('handling.fields.acceptedAt')}>{cityTime(order.acceptedAt)}</Descriptions.Item>
        <Descriptions.Item label={t('handling.fields.cycle')}>
          {order.cycle}
          {order.reworkCount > 0 ? ` · ${t('handling.fields.rework', { count: order.reworkCount })}` : ''}
        </Descriptions.Item>
        {order.subUnitId && <Descriptions.Item label={t('handling.fields.subUnit')}>{unitName(order.subUnitId)}</Descriptions.Item>}
        {order.assignees.length > 0 && (
          <Descriptions.Item label={t('handling.fields.assignees')}>
            <span data-testid="assignees">{order.assignees.map(nameOf).join('、')}</span>
          </Descriptions.Item>
        )}
        {order.identityHidden && (
          <Descriptions.Item label={t('handling.fields.identity')} span={2}>
            {t('handling.fields.identityHidden')}
          </Descriptions.Item>
        )}
      </Descriptions>
      {order.coUnits.length > 0 && (
        <List
          size="small"
          bordered
          header={<strong>{t('handling.fields.coUnits')}</strong>}
          dataSource={order.coUnits}
          renderItem={(c) => (
            <List.Item>
              <Space direction="vertical" size={0}>
                <span>
                  {unitName(c.unitId)} <Tag>{t(`handling.coStates.${c.state}`)}</Tag>
                </span>
                {c.partText && <Typography.Text type="secondary">{c.partText}</Typography.Text>}
              </Space>
            </List.Item>
          )}
        />
      )}
      {order.replyText && (
        <Alert
          type="success"
          title={`${t('handling.fields.reply')} · ${order.outcome ? t(`handling.outcomes.${order.outcome}`) : ''}`}
          description={
            <Space direction="vertical" size={4}>
              <span data-testid="order-reply">{order.replyText}</span>
              {order.attachments.map((a) => (
                <a key={a.url} href={a.url} target="_blank" rel="noreferrer">
                  {a.name}
                </a>
              ))}
            </Space>
          }
        />
      )}
    </Space>
  );
}

export function OrderTimeline({ order }: { order: OrderDetail }) {
  const { t } = useTranslation();
  const unitName = useUnitName();
  const districtName = useDistrictName();
  const nameOf = usePeopleNames([...order.timeline.map((e) => e.actor), ...order.timeline.flatMap(peopleIn)]);
  const names = { unit: unitName, person: nameOf, district: districtName, time: cityTime };
  return (
    <section aria-label={t('handling.timeline')}>
      <Typography.Title level={5}>{t('handling.timeline')}</Typography.Title>
      <Timeline
        data-testid="order-timeline"
        items={order.timeline.map((e) => {
          const { sentence, remark } = describeEntry(e, t, names);
          return {
            key: e.id,
            color: e.action.startsWith('sla_') ? 'red' : 'blue',
            children: (
              <div data-testid="timeline-entry">
                <div>
                  <strong>{t(`handling.actions.${e.action}`, { defaultValue: e.action })}</strong>
                  {e.toState && <Tag style={{ marginLeft: 6 }}>{t(`handling.states.${e.toState}`, { defaultValue: e.toState })}</Tag>}
                </div>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {cityTime(e.at)} · {e.actor.startsWith('system:') ? t('handling.system') : nameOf(e.actor)}
                </Typography.Text>
                {sentence && <div style={{ fontSize: 13 }}>{sentence}</div>}
                {remark && <div style={{ fontSize: 13, whiteSpace: 'pre-wrap', color: 'rgba(0, 0, 0, 0.65)' }}>{remark}</div>}
              </div>
            ),
          };
        })}
      />
    </section>
  );
}

/**
 * Events about the open order (a supervisor's urge, a callback, a co-unit's part) are written to its
 * timeline by dispatch as it consumes them, at the same moment the live event reaches the browser: the
 * order is read again shortly after, so what dispatch wrote shows without a reload.
 */
function useFollowUp(id: string | null): void {
  const client = useQueryClient();
  useEffect(() => {
    if (!id) return;
    const timers: number[] = [];
    const off = onLiveEvent((e) => {
      if (e.ticketId !== id) return;
      for (const ms of [800, 2500])
        timers.push(window.setTimeout(() => void client.invalidateQueries({ queryKey: orderKeys.detail(id) }), ms));
    });
    return () => {
      off();
      timers.forEach((x) => window.clearTimeout(x));
    };
  }, [id, client]);
}

/** The drawer: the order on the left, its timeline on the right, the actions under the order. */
export function OrderDrawer(props: { id: string | null; onClose: () => void; actions: (order: OrderDetail) => ReactNode }) {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const q = useOrder(props.id);
  useFollowUp(props.id);
  return (
    <Drawer
      open={Boolean(props.id)}
      onClose={props.onClose}
      size="large"
      width={1080}
      destroyOnHidden
      title={q.data ? <OrderHeader order={q.data} /> : t('app.loading')}
    >
      {q.isPending && <Skeleton active />}
      {q.isError && <Alert type="error" showIcon title={errorText(q.error).title} description={errorText(q.error).detail} />}
      {q.data && (
        <Row gutter={24}>
          <Col span={15}>
            <OrderBody order={q.data} />
            <div style={{ marginTop: 16 }}>{props.actions(q.data)}</div>
          </Col>
          <Col span={9}>{q.data.timeline.length ? <OrderTimeline order={q.data} /> : <Empty />}</Col>
        </Row>
      )}
    </Drawer>
  );
}
