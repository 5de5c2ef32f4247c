/** The dispatcher's steps on one order, with routing's suggestion and the rule that matched. */
import { Alert, Form, Input, Select, Space } from 'antd';
import { useTranslation } from 'react-i18next';
import { ActionPanel, type ActionDef } from '../handling/Actions';
import { useUnits, type OrderDetail } from '../handling/api';
import { useUnitName } from '../handling/OrderPanel';
import {
  useCoUnits,
  useDispatchOrder,
  useRedispatch,
  useReopen,
  useReturnDecision,
  useReview,
  useSuggestion,
  useTransferDistrict,
} from './api';
import { useUnitOptions } from './units';

export function Suggestion({ order }: { order: OrderDetail }) {
  const { t } = useTranslation();
  const s = useSuggestion(order.ticketId).data;
  const unitName = useUnitName();
  if (!s) return null;
  const m = s.current;
  return (
    <Alert
      type={m ? 'info' : 'warning'}
      showIcon
      data-testid="suggestion"
      title={m ? t('dispatch.suggestion.unit', { unit: unitName(m.unit.id) }) : t('dispatch.suggestion.none')}
      description={m ? t('dispatch.suggestion.rule', { note: m.rule.note ?? '', priority: m.rule.priority }) : undefined}
      style={{ marginBottom: 12 }}
    />
  );
}

export function DispatcherActions({ order }: { order: OrderDetail }) {
  const { t } = useTranslation();
  const id = order.ticketId;
  const units = useUnitOptions(order.districtCode);
  const allUnits = useUnits({}).data ?? [];
  const districts = allUnits
    .filter((u) => (u.kind === 'district_centre' || u.kind === 'city_centre') && u.districtCode !== order.districtCode)
    .map((u) => ({ value: u.districtCode, label: u.nameZh }));
  const suggested = useSuggestion(id).data?.current?.unit.id;
  const dispatch = useDispatchOrder(id);
  const redispatch = useRedispatch(id);
  const transfer = useTransferDistrict(id);
  const decide = useReturnDecision(id);
  const coUnits = useCoUnits(id);
  const review = useReview(id);
  const reopen = useReopen(id);
  const inState = (states: string[]) =>
    states.includes(order.state) ? null : t('handling.notNow', { state: t(`handling.states.${order.state}`) });
  const unitField = (name: string, required: boolean, label = t('dispatch.unit')) => (
    <Form.Item name={name} label={label} rules={required ? [{ required: true }] : []}>
      <Select showSearch optionFilterProp="label" options={units} allowClear={!required} />
    </Form.Item>
  );
  const reasonField = (required = true, label = t('handling.reason')) => (
    <Form.Item name="reason" label={label} rules={required ? [{ required: true }] : []}>
      <Input.TextArea rows={2} />
    </Form.Item>
  );

  const actions: ActionDef[] = [
    {
      key: 'dispatch',
      label: t('dispatch.steps.dispatch'),
      blocked: inState(['unrouted']),
      run: (v) => dispatch.mutateAsync(v as never),
      pending: dispatch.isPending,
      error: dispatch.error,
      initial: { unitId: suggested },
      form: (
        <>
          {unitField('unitId', true)}
          <Form.Item name="note" label={t('dispatch.note')}>
            <Input.TextArea rows={2} />
          </Form.Item>
        </>
      ),
    },
    {
      key: 'redispatch',
      label: t('dispatch.steps.redispatch'),
      blocked: inState(['dispatched', 'signed', 'contacted']),
      run: (v) => redispatch.mutateAsync(v as never),
      pending: redispatch.isPending,
      error: redispatch.error,
      form: (
        <>
          {unitField('unitId', true)}
          {reasonField()}
        </>
      ),
    },
    {
      key: 'accept',
      label: t('dispatch.steps.acceptReturn'),
      blocked: inState(['return_requested']),
      run: (v) => decide.mutateAsync({ ...(v as { unitId: string; reason: string }), decision: 'accepted' }),
      pending: decide.isPending,
      error: decide.error,
      form: (
        <>
          {unitField('unitId', true, t('dispatch.newUnit'))}
          {reasonField()}
        </>
      ),
    },
    {
      key: 'refuse',
      label: t('dispatch.steps.refuseReturn'),
      blocked: inState(['return_requested']),
      danger: true,
      run: (v) => decide.mutateAsync({ ...(v as { reason: string }), decision: 'refused' }),
      pending: decide.isPending,
      error: decide.error,
      initial: { reason: t('dispatch.firstReceiver') },
      form: reasonField(),
    },
    {
      key: 'transfer',
      label: t('dispatch.steps.transfer'),
      blocked: inState(['unrouted', 'return_requested']),
      run: (v) => transfer.mutateAsync(v as never),
      pending: transfer.isPending,
      error: transfer.error,
      form: (
        <>
          <Form.Item name="districtCode" label={t('dispatch.district')} rules={[{ required: true }]}>
            <Select options={districts} />
          </Form.Item>
          {reasonField()}
        </>
      ),
    },
    {
      key: 'coUnits',
      label: t('dispatch.steps.coUnits'),
      blocked: inState(['dispatched', 'signed', 'contacted', 'rework', 'reopened']),
      run: (v) => coUnits.mutateAsync(v as never),
      pending: coUnits.isPending,
      error: coUnits.error,
      form: (
        <>
          <Form.Item name="unitIds" label={t('dispatch.coUnitsField')} rules={[{ required: true }]}>
            <Select mode="multiple" showSearch optionFilterProp="label" options={units.filter((u) => u.value !== order.unitId)} />
          </Form.Item>
          <Form.Item name="note" label={t('dispatch.note')}>
            <Input.TextArea rows={2} />
          </Form.Item>
        </>
      ),
    },
    {
      key: 'approve',
      label: t('dispatch.steps.approve'),
      blocked: inState(['replied']),
      run: () => review.mutateAsync({ decision: 'approved' }),
      pending: review.isPending,
      error: review.error,
    },
    {
      key: 'sendBack',
      label: t('dispatch.steps.sendBack'),
      blocked: inState(['replied']),
      danger: true,
      run: (v) => review.mutateAsync({ ...(v as { reason: string }), decision: 'sent_back' }),
      pending: review.isPending,
      error: review.error,
      form: reasonField(true, t('dispatch.sendBackReason')),
    },
    {
      key: 'reopen',
      label: t('dispatch.steps.reopen'),
      blocked: inState(['awaiting_callback', 'closed']),
      run: (v) => reopen.mutateAsync(v as never),
      pending: reopen.isPending,
      error: reopen.error,
      form: (
        <>
          {reasonField()}
          {unitField('unitId', false, t('dispatch.otherUnit'))}
        </>
      ),
    },
  ];
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Suggestion order={order} />
      <ActionPanel title={t('dispatch.actionsTitle')} actions={actions} />
    </Space>
  );
}
