/** What a handling unit does with an order, in the order it happens (签收 → 响应 → 答复, and the side steps). */
import { UploadOutlined } from '@ant-design/icons';
import { Alert, Button, Form, Input, InputNumber, Select, Space, Typography, Upload } from 'antd';

import { useTranslation } from 'react-i18next';
import { useUnitPeople } from '../../api/directory';
import { useSession } from '../../api/session';
import { ErrorNote } from '../../components/ErrorNote';
import { ActionPanel, type ActionDef } from './Actions';
import {
  useAssign,
  useCallCoUnits,
  useCoSign,
  useCoSubmit,
  useContact,
  useExtension,
  useLeaderDispatch,
  useLeaderSignoff,
  useReply,
  useReturnRequest,
  useReveal,
  useSign,
  useSignoff,
  useUnits,
  useUploadEvidence,
  type OrderDetail,
} from './api';

const REPLYABLE = ['contacted', 'rework', 'reopened', 'signoff_rejected'];
const HANDLING = ['dispatched', 'signed', 'contacted', 'rework', 'reopened', 'signoff_rejected'];

/** 显示号码 — 将被记录: the citizen's contact, revealed on purpose and audited by intake. */
function Reveal({ order }: { order: OrderDetail }) {
  const { t } = useTranslation();
  const reveal = useReveal(order.ticketId);
  if (order.identityHidden) return <Alert type="info" showIcon title={t('handling.reveal.hidden')} />;
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Space>
        <Button onClick={() => reveal.mutate(t('handling.reveal.purpose'))} loading={reveal.isPending} disabled={Boolean(reveal.data)}>
          {t('handling.reveal.button')}
        </Button>
        {reveal.data && (
          <Typography.Text strong data-testid="revealed-contact">
            {reveal.data.name ?? ''} {reveal.data.phone}
          </Typography.Text>
        )}
      </Space>
      <ErrorNote error={reveal.error} />
    </Space>
  );
}

function EvidenceUpload({
  order,
  value,
  onChange,
}: {
  order: OrderDetail;
  value?: { name: string; url: string }[];
  onChange?: (v: { name: string; url: string }[]) => void;
}) {
  const { t } = useTranslation();
  const upload = useUploadEvidence(order.ticketId);
  return (
    <Space direction="vertical">
      <Upload
        accept="image/jpeg,image/png,image/webp"
        showUploadList={false}
        beforeUpload={(file) => {
          void upload.mutateAsync(file).then(
            (a) => onChange?.([...(value ?? []), a]),
            () => undefined,
          );
          return false;
        }}
      >
        <Button icon={<UploadOutlined />} loading={upload.isPending}>
          {t('handling.reply.upload')}
        </Button>
      </Upload>
      {(value ?? []).map((a) => (
        <Typography.Text key={a.url} data-testid="evidence-file">
          {a.name}
        </Typography.Text>
      ))}
      <ErrorNote error={upload.error} />
    </Space>
  );
}

/** The people of up to two units (a desk and its department), for the assignee picker. */
function usePeoplePicker([a, b]: (string | null | undefined)[]) {
  const first = useUnitPeople(a);
  const second = useUnitPeople(b);
  return { isPending: first.isPending && Boolean(a), data: [...(first.data ?? []), ...(second.data ?? [])] };
}

export function HandlingActions({ order }: { order: OrderDetail }) {
  const { t } = useTranslation();
  const user = useSession().data;
  const id = order.ticketId;
  const sign = useSign(id);
  const contact = useContact(id);
  const reply = useReply(id);
  const extension = useExtension(id);
  const ret = useReturnRequest(id);
  const assign = useAssign(id);
  const signoff = useSignoff(id);
  const leader = useLeaderDispatch(id);
  const leaderSignoff = useLeaderSignoff(id);
  const coSign = useCoSign(id);
  const coSubmit = useCoSubmit(id);
  const callCo = useCallCoUnits(id);
  const children = useUnits(order.unitId ? { parentId: order.unitId } : {}).data ?? [];
  const districtUnits = useUnits({ districtCode: order.districtCode }).data ?? [];
  // 分派承办人: the people of the unit, and for a resident desk those of the department it sits for.
  const unit = districtUnits.find((u) => u.id === order.unitId);
  const department =
    unit?.kind === 'resident_desk' ? districtUnits.find((u) => u.code === unit.code.replace('-desk-', '-dept-')) : undefined;
  const people = usePeoplePicker([order.unitId, department?.id]);

  const isHead = user?.roles.includes('unit_head') ?? false;
  const isAdmin = user?.roles.includes('admin') ?? false;
  const myUnit = user?.unitId ?? null;
  // Who may take which step, as dispatch decides it (OrderSteps.handles, UnitStepsService.asMember and
  // headOf): a step the person can never take on this order is not shown at all; one they may take
  // later, or not in this state, is shown disabled with the reason.
  const member = isAdmin || (Boolean(order.unitId) && myUnit === order.unitId);
  const handles = member || (Boolean(order.subUnitId) && myUnit === order.subUnitId) || (user ? order.assignees.includes(user.id) : false);
  const headOfUnit = isHead && Boolean(order.unitId) && myUnit === order.unitId;
  // 区领导: the head of the district's hotline centre releases a 双交办 order.
  const districtLeader = isAdmin || (isHead && districtUnits.some((u) => u.id === myUnit && u.kind === 'district_centre'));
  const myCo = order.coUnits.find((c) => myUnit && c.unitId === myUnit);
  const inState = (states: string[]) =>
    states.includes(order.state) ? null : t('handling.notNow', { state: t(`handling.states.${order.state}`) });
  // 双交办 in hand: nothing sends the reply out before the district leader has signed the order off.
  const leaderWaits = order.leaderHoldAt ? t('handling.leader.replyWaits') : null;

  const handlerSteps: ActionDef[] = [
    {
      key: 'sign',
      label: t('handling.steps.sign'),
      blocked: inState(['dispatched']),
      run: () => sign.mutateAsync(),
      pending: sign.isPending,
      error: sign.error,
    },
    {
      key: 'contact',
      label: t('handling.steps.contact'),
      blocked: inState(['signed']),
      run: (v) => contact.mutateAsync(v as never),
      pending: contact.isPending,
      error: contact.error,
      initial: { method: 'phone' },
      form: (
        <>
          <Reveal order={order} />
          <Form.Item name="method" label={t('handling.contact.method')} rules={[{ required: true }]} style={{ marginTop: 12 }}>
            <Select options={['phone', 'visit', 'sms', 'other'].map((m) => ({ value: m, label: t(`handling.contact.methods.${m}`) }))} />
          </Form.Item>
          <Form.Item name="note" label={t('handling.contact.note')}>
            <Input.TextArea rows={2} />
          </Form.Item>
        </>
      ),
    },
    {
      key: 'reply',
      label: t('handling.steps.reply'),
      blocked: inState(REPLYABLE) ?? leaderWaits,
      run: (v) => reply.mutateAsync(v as never),
      pending: reply.isPending,
      error: reply.error,
      initial: { outcome: 'resolved', attachments: [] },
      form: (
        <>
          <Form.Item name="outcome" label={t('handling.reply.outcome')} rules={[{ required: true }]}>
            <Select options={['resolved', 'explained', 'unresolvable'].map((o) => ({ value: o, label: t(`handling.outcomes.${o}`) }))} />
          </Form.Item>
          <Form.Item name="replyText" label={t('handling.reply.text')} extra={t('handling.reply.textHint')} rules={[{ required: true }]}>
            <Input.TextArea rows={4} />
          </Form.Item>
          <Form.Item name="attachments" label={t('handling.reply.evidence')}>
            <EvidenceUpload order={order} />
          </Form.Item>
        </>
      ),
    },
    {
      key: 'extension',
      label: t('handling.steps.extension'),
      blocked: inState(HANDLING),
      run: (v) => extension.mutateAsync(v as never),
      pending: extension.isPending,
      error: extension.error,
      form: (
        <>
          <Form.Item name="days" label={t('handling.extension.days')} rules={[{ required: true }]}>
            <InputNumber min={1} max={60} />
          </Form.Item>
          <Form.Item name="reason" label={t('handling.reason')} rules={[{ required: true }]}>
            <Input.TextArea rows={2} />
          </Form.Item>
        </>
      ),
    },
    {
      key: 'return',
      label: t('handling.steps.return'),
      blocked: order.returnable ? inState(['dispatched', 'signed']) : t('handling.return.notReturnable'),
      danger: true,
      run: (v) => ret.mutateAsync(v as never),
      pending: ret.isPending,
      error: ret.error,
      form: (
        <Form.Item name="reason" label={t('handling.reason')} extra={t('handling.return.hint')} rules={[{ required: true }]}>
          <Input.TextArea rows={2} />
        </Form.Item>
      ),
    },
    {
      key: 'assign',
      label: t('handling.steps.assign'),
      blocked: inState(HANDLING),
      // The community intake placed the address in, when it is a unit under this one (its code is the community code).
      initial: { subUnitId: children.find((u) => u.code === order.communityCode)?.id },
      run: (v) => {
        const body = v as { assignees?: string[]; subUnitId?: string };
        return assign.mutateAsync({
          ...(body.assignees?.length ? { assignees: body.assignees } : {}),
          ...(body.subUnitId ? { subUnitId: body.subUnitId } : {}),
        });
      },
      pending: assign.isPending,
      error: assign.error,
      form: (
        <>
          <Form.Item name="subUnitId" label={t('handling.assign.subUnit')}>
            <Select allowClear options={children.map((u) => ({ value: u.id, label: u.nameZh }))} />
          </Form.Item>
          <Form.Item name="assignees" label={t('handling.assign.assignees')} extra={t('handling.assign.assigneesHint')}>
            <Select
              mode="multiple"
              showSearch
              optionFilterProp="label"
              loading={people.isPending}
              options={(people.data ?? []).map((p) => ({
                value: p.id,
                label: p.unitName ? `${p.displayName}（${p.unitName}）` : p.displayName,
              }))}
            />
          </Form.Item>
        </>
      ),
    },
  ];
  // 退单 and 分派 are the handling unit's own: a community it was handed down to, or a handler named, does not take them.
  const actions = handlerSteps.filter((a) => (a.key === 'return' || a.key === 'assign' ? member : handles));
  // 一把手签批: only the head of the handling unit signs off.
  if (headOfUnit)
    actions.push({
      key: 'signoff',
      label: t('handling.steps.signoff'),
      blocked: inState(['awaiting_signoff']) ?? leaderWaits,
      run: (v) => signoff.mutateAsync(v as never),
      pending: signoff.isPending,
      error: signoff.error,
      initial: { decision: 'approved' },
      form: (
        <>
          <Form.Item name="decision" label={t('handling.signoff.decision')} rules={[{ required: true }]}>
            <Select options={['approved', 'rejected'].map((d) => ({ value: d, label: t(`handling.signoff.${d}`) }))} />
          </Form.Item>
          <Form.Item name="reason" label={t('handling.reason')}>
            <Input.TextArea rows={2} />
          </Form.Item>
        </>
      ),
    });
  // 吹哨报到: the head of the lead unit calls in the district's departments while the order is in hand.
  if (headOfUnit)
    actions.push({
      key: 'coUnits',
      label: t('handling.steps.coUnits'),
      blocked: inState(HANDLING),
      run: (v) => callCo.mutateAsync(v as never),
      pending: callCo.isPending,
      error: callCo.error,
      form: (
        <>
          <Form.Item name="unitIds" label={t('handling.co.units')} rules={[{ required: true }]}>
            <Select
              mode="multiple"
              showSearch
              optionFilterProp="label"
              options={districtUnits.filter((u) => u.id !== order.unitId).map((u) => ({ value: u.id, label: u.nameZh }))}
            />
          </Form.Item>
          <Form.Item name="note" label={t('handling.co.note')}>
            <Input.TextArea rows={2} />
          </Form.Item>
        </>
      ),
    });
  if (districtLeader && order.state === 'awaiting_leader')
    actions.push({
      key: 'leader',
      label: t('handling.steps.leaderDispatch'),
      blocked: null,
      run: (v) => leader.mutateAsync(v),
      pending: leader.isPending,
      error: leader.error,
      initial: { unitId: order.suggestedUnitId ?? undefined },
      form: (
        <>
          <Form.Item name="unitId" label={t('handling.fields.unit')}>
            <Select showSearch optionFilterProp="label" options={districtUnits.map((u) => ({ value: u.id, label: u.nameZh }))} />
          </Form.Item>
          <Form.Item name="note" label={t('handling.leader.note')}>
            <Input.TextArea rows={2} />
          </Form.Item>
        </>
      ),
    });
  if (districtLeader && order.leaderHoldAt)
    actions.push({
      key: 'leaderSignoff',
      label: t('handling.steps.leaderSignoff'),
      blocked: null,
      run: (v) => leaderSignoff.mutateAsync(v),
      pending: leaderSignoff.isPending,
      error: leaderSignoff.error,
      form: (
        <Form.Item name="note" label={t('handling.leader.note')}>
          <Input.TextArea rows={2} />
        </Form.Item>
      ),
    });
  if (myCo) {
    actions.push(
      {
        key: 'coSign',
        label: t('handling.steps.coSign'),
        blocked: myCo.state === 'assigned' ? null : t('handling.co.signed'),
        run: () => coSign.mutateAsync(),
        pending: coSign.isPending,
        error: coSign.error,
      },
      {
        key: 'coSubmit',
        label: t('handling.steps.coSubmit'),
        blocked: myCo.state === 'signed' ? null : t(myCo.state === 'assigned' ? 'handling.co.signFirst' : 'handling.co.submitted'),
        run: (v) => coSubmit.mutateAsync(v as never),
        pending: coSubmit.isPending,
        error: coSubmit.error,
        form: (
          <Form.Item name="partText" label={t('handling.co.part')} rules={[{ required: true }]}>
            <Input.TextArea rows={3} />
          </Form.Item>
        ),
      },
    );
  }
  // Someone who may only look (a district leader at a unit's order, a co-unit once its part is in): no panel at all.
  if (actions.length === 0) return null;
  return <ActionPanel title={t('handling.actionsTitle')} actions={actions} />;
}
