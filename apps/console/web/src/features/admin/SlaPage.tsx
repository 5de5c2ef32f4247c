/** 时限规则: SLA policies and their versions; a change is a new version (the old one retires, running clocks keep theirs). */
import { Button, Card, Col, Form, Input, InputNumber, Modal, Popconfirm, Row, Select, Space, Switch, Table, Tag, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { components } from '../../api/sla';
import { cityTime } from '../../app/time';
import { ErrorNote } from '../../components/ErrorNote';
import { useAllCategories, useAllUnits, usePolicies, useRetirePolicy, useSavePolicy } from './api';
import type { SlaPolicy } from './types';

type Body = components['schemas']['CreatePolicyDto'];
const UNITS = ['hours', 'working_days'] as const;

function PolicyModal({ base, open, onClose }: { base: SlaPolicy | null; open: boolean; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const save = useSavePolicy();
  const units = useAllUnits().data ?? [];
  const categories = useAllCategories().data ?? [];
  const [form] = Form.useForm();
  const limit = (prefix: 'respond' | 'finish') => (
    <Space.Compact>
      <Form.Item name={[prefix, 'value']} noStyle rules={[{ required: true }]}>
        <InputNumber min={1} max={720} style={{ width: 90 }} aria-label={t(`admin.sla.${prefix}`)} />
      </Form.Item>
      <Form.Item name={[prefix, 'unit']} noStyle rules={[{ required: true }]}>
        <Select style={{ width: 110 }} options={UNITS.map((u) => ({ value: u, label: t(`admin.sla.units.${u}`) }))} />
      </Form.Item>
    </Space.Compact>
  );
  const initial = base
    ? {
        name: base.name,
        districtCode: base.districtCode ?? undefined,
        requestType: base.requestType ?? undefined,
        categoryPrefix: base.categoryPrefix ?? undefined,
        urgency: base.urgency ?? undefined,
        flag: base.flag ?? undefined,
        respond: { value: base.respondValue, unit: base.respondUnit },
        finish: { value: base.finishValue, unit: base.finishUnit },
        warnPercent: base.warnPercent,
        warnWorkingDaysBefore: base.warnWorkingDaysBefore ?? undefined,
        maxExtensionWorkingDays: base.maxExtensionWorkingDays,
        autoApproveExtensionWorkingDays: base.autoApproveExtensionWorkingDays,
        priority: base.priority,
      }
    : {
        respond: { value: 2, unit: 'hours' },
        finish: { value: 5, unit: 'working_days' },
        warnPercent: 75,
        maxExtensionWorkingDays: 10,
        autoApproveExtensionWorkingDays: 0,
        priority: 30,
      };
  const submit = (v: Body) => {
    const body: Body = {
      ...Object.fromEntries(Object.entries(v).filter(([, x]) => x !== undefined && x !== null && x !== '')),
      respond: v.respond,
      finish: v.finish,
      name: v.name,
      warnPercent: v.warnPercent ?? 75,
      maxExtensionWorkingDays: v.maxExtensionWorkingDays ?? 10,
      autoApproveExtensionWorkingDays: v.autoApproveExtensionWorkingDays ?? 0,
      priority: v.priority ?? 0,
      ...(base ? { supersedesId: base.id, escalation: base.escalation, pauseOn: base.pauseOn } : {}),
    };
    void save.mutateAsync(body).then(onClose, () => undefined);
  };
  return (
    <Modal
      open={open}
      width={680}
      title={base ? t('admin.sla.newVersionOf', { name: base.name, version: base.version + 1 }) : t('admin.sla.add')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('admin.common.save')}
      confirmLoading={save.isPending}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" preserve={false} initialValues={initial} onFinish={submit}>
        <Form.Item name="name" label={t('admin.sla.name')} rules={[{ required: true, min: 2 }]}>
          <Input />
        </Form.Item>
        <Row gutter={12}>
          <Col span={8}>
            <Form.Item name="districtCode" label={t('admin.common.district')}>
              <Select
                allowClear
                placeholder={t('admin.sla.cityWide')}
                options={units.filter((u) => u.kind === 'district_centre').map((u) => ({ value: u.districtCode, label: u.districtCode }))}
              />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name="categoryPrefix" label={t('admin.routing.category')}>
              <Select
                allowClear
                showSearch
                optionFilterProp="label"
                options={categories.map((c) => ({ value: c.code, label: `${i18n.language === 'en' ? c.nameEn : c.nameZh} (${c.code})` }))}
              />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name="requestType" label={t('admin.routing.requestType')}>
              <Select
                allowClear
                options={['complaint', 'help', 'inquiry', 'suggestion', 'report', 'praise'].map((v) => ({
                  value: v,
                  label: t(`handling.requestTypes.${v}`),
                }))}
              />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name="urgency" label={t('admin.routing.urgency')}>
              <Select
                allowClear
                options={['urgent', 'ordinary', 'long_term'].map((v) => ({ value: v, label: t(`handling.urgency.${v}`) }))}
              />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name="flag" label={t('admin.routing.flag')}>
              <Select allowClear options={['repeat', 'concentrated'].map((v) => ({ value: v, label: t(`handling.flags.${v}`) }))} />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name="priority" label={t('admin.routing.priority')}>
              <InputNumber min={-100} max={1000} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item label={t('admin.sla.respond')} required>
              {limit('respond')}
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item label={t('admin.sla.finish')} required>
              {limit('finish')}
            </Form.Item>
          </Col>
          <Col span={6}>
            <Form.Item name="warnPercent" label={t('admin.sla.warnPercent')}>
              <InputNumber min={1} max={99} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col span={6}>
            <Form.Item name="warnWorkingDaysBefore" label={t('admin.sla.warnDays')}>
              <InputNumber min={1} max={30} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col span={6}>
            <Form.Item name="maxExtensionWorkingDays" label={t('admin.sla.maxExtension')}>
              <InputNumber min={0} max={60} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col span={6}>
            <Form.Item name="autoApproveExtensionWorkingDays" label={t('admin.sla.autoApprove')}>
              <InputNumber min={0} max={60} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
        </Row>
      </Form>
      <ErrorNote error={save.error} />
    </Modal>
  );
}

export function SlaPage() {
  const { t } = useTranslation();
  const [all, setAll] = useState(false);
  const policies = usePolicies(!all);
  const retire = useRetirePolicy();
  const [base, setBase] = useState<SlaPolicy | null>(null);
  const [open, setOpen] = useState(false);
  const rows = useMemo(
    () =>
      [...(policies.data ?? [])].sort(
        (a, b) => Number(b.active) - Number(a.active) || b.priority - a.priority || a.name.localeCompare(b.name),
      ),
    [policies.data],
  );
  const limit = (v: number, u: string) => t(`admin.sla.limit.${u}`, { count: v });
  const scope = (p: SlaPolicy) =>
    [
      p.districtCode ?? t('admin.sla.cityWide'),
      p.categoryPrefix,
      p.requestType && t(`handling.requestTypes.${p.requestType}`),
      p.urgency && t(`handling.urgency.${p.urgency}`),
      p.flag && t(`handling.flags.${p.flag}`),
    ]
      .filter(Boolean)
      .join(' · ');
  return (
    <Card
      size="small"
      title={t('admin.sla.title')}
      extra={
        <Space>
          <Switch checked={all} onChange={setAll} /> {t('admin.sla.showVersions')}
          <Button type="primary" onClick={() => (setBase(null), setOpen(true))}>
            {t('admin.sla.add')}
          </Button>
        </Space>
      }
    >
      <Typography.Paragraph type="secondary">{t('admin.sla.hint')}</Typography.Paragraph>
      {policies.isError && <ErrorNote error={policies.error} />}
      <ErrorNote error={retire.error} />
      <Table<SlaPolicy>
        data-testid="policies"
        rowKey="id"
        size="small"
        loading={policies.isPending}
        dataSource={rows}
        pagination={false}
        scroll={{ y: 'calc(100vh - 330px)' }}
        columns={[
          { title: t('admin.sla.name'), dataIndex: 'name' },
          { title: t('admin.sla.version'), dataIndex: 'version', width: 60, render: (v: number) => `v${v}` },
          { title: t('admin.sla.scope'), render: (_, p) => scope(p) },
          { title: t('admin.sla.respond'), width: 100, render: (_, p) => limit(p.respondValue, p.respondUnit) },
          { title: t('admin.sla.finish'), width: 100, render: (_, p) => limit(p.finishValue, p.finishUnit) },
          { title: t('admin.sla.warnPercent'), dataIndex: 'warnPercent', width: 80, render: (v: number) => `${v}%` },
          { title: t('admin.sla.maxExtension'), dataIndex: 'maxExtensionWorkingDays', width: 90 },
          { title: t('admin.routing.priority'), dataIndex: 'priority', width: 70 },
          { title: t('admin.sla.created'), dataIndex: 'createdAt', width: 140, render: (v: string) => cityTime(v) },
          {
            title: t('admin.common.state'),
            dataIndex: 'active',
            width: 70,
            render: (a: boolean) => (a ? <Tag color="green">{t('admin.common.active')}</Tag> : <Tag>{t('admin.common.retired')}</Tag>),
          },
          {
            title: '',
            width: 150,
            render: (_, p) =>
              p.active && (
                <Space size={4}>
                  <Button size="small" type="link" onClick={() => (setBase(p), setOpen(true))}>
                    {t('admin.sla.newVersion')}
                  </Button>
                  <Popconfirm title={t('admin.sla.retireConfirm')} onConfirm={() => retire.mutate(p.id)}>
                    <Button size="small" type="link" danger>
                      {t('admin.common.retire')}
                    </Button>
                  </Popconfirm>
                </Space>
              ),
          },
        ]}
      />
      <PolicyModal base={base} open={open} onClose={() => setOpen(false)} />
    </Card>
  );
}
