/** 派单规则: the routing rules (list, add, edit, retire) and the tester — which unit an order like this goes to, by which rule. */
import {
  Alert,
  Button,
  Card,
  Col,
  Form,
  Input,
  InputNumber,
  Modal,
  Popconfirm,
  Row,
  Select,
  Space,
  Switch,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useCategoryName, useDistrictName } from '../../api/names';
import { ErrorNote } from '../../components/ErrorNote';
import { useAddRule, useAllCategories, useAllUnits, useRetireRule, useReviseRule, useRules, useTestRoute } from './api';
import { useUnitName } from './OrgPage';
import type { OrgUnit, RouteRule, RuleBody, TestBody } from './types';

const REQUEST_TYPES = ['complaint', 'help', 'inquiry', 'suggestion', 'report', 'praise'] as const;
const URGENCIES = ['urgent', 'ordinary', 'long_term'] as const;
const FLAGS = ['repeat', 'concentrated'] as const;
const ASSIGNABLE = new Set(['street', 'township', 'community', 'department', 'utility', 'resident_desk']);

function useOptions() {
  const { t, i18n } = useTranslation();
  const units = useAllUnits().data ?? [];
  const categories = useAllCategories().data ?? [];
  const name = useUnitName();
  const districts = units.filter((u) => u.kind === 'district_centre');
  const cityCode = units.find((u) => u.kind === 'city_centre')?.districtCode;
  return {
    units,
    district: districts.map((d) => ({ value: d.districtCode, label: name(d).replace(/(接诉即办|热线)?(服务)?中心$/, '') })),
    streets: (district?: string) =>
      units
        .filter((u) => u.districtCode === district && (u.kind === 'street' || u.kind === 'township') && u.streetCode)
        .map((u) => ({ value: u.streetCode!, label: name(u) })),
    unitsOf: (district?: string) =>
      units
        .filter((u: OrgUnit) => u.active && ASSIGNABLE.has(u.kind) && (u.districtCode === district || u.districtCode === cityCode))
        .map((u) => ({ value: u.id, label: name(u) })),
    categories: categories
      .filter((c) => c.active)
      .map((c) => ({ value: c.code, label: `${'　'.repeat(c.level - 1)}${i18n.language === 'en' ? c.nameEn : c.nameZh} (${c.code})` })),
    requestTypes: REQUEST_TYPES.map((v) => ({ value: v, label: t(`handling.requestTypes.${v}`) })),
    urgencies: URGENCIES.map((v) => ({ value: v, label: t(`handling.urgency.${v}`) })),
    flags: FLAGS.map((v) => ({ value: v, label: t(`handling.flags.${v}`) })),
  };
}

type RuleForm = Omit<RuleBody, 'priority'> & { priority: number };

function RuleModal({ rule, open, onClose }: { rule: RouteRule | null; open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const o = useOptions();
  const add = useAddRule();
  const revise = useReviseRule();
  const [form] = Form.useForm<RuleForm>();
  const district = Form.useWatch('districtCode', form);
  const m = rule ? revise : add;
  const submit = (v: RuleForm) => {
    const body: RuleBody = {
      districtCode: v.districtCode,
      unitId: v.unitId,
      priority: v.priority,
      ...(v.categoryPrefix ? { categoryPrefix: v.categoryPrefix } : {}),
      ...(v.streetCode ? { streetCode: v.streetCode } : {}),
      ...(v.requestType ? { requestType: v.requestType } : {}),
      ...(v.urgency ? { urgency: v.urgency } : {}),
      ...(v.flag ? { flag: v.flag } : {}),
      ...(v.note ? { note: v.note } : {}),
    };
    const done = rule ? revise.mutateAsync({ id: rule.id, body }) : add.mutateAsync(body);
    void done.then(onClose, () => undefined);
  };
  return (
    <Modal
      open={open}
      title={rule ? t('admin.routing.edit') : t('admin.routing.add')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('admin.common.save')}
      confirmLoading={m.isPending}
      destroyOnHidden
      width={640}
    >
      {rule && <Alert type="info" showIcon style={{ marginBottom: 12 }} title={t('admin.routing.reviseHint')} />}
      <Form
        name="rule"
        form={form}
        layout="vertical"
        preserve={false}
        initialValues={rule ? { ...rule, categoryPrefix: rule.categoryPrefix ?? undefined } : { priority: 200 }}
        onFinish={submit}
      >
        <Row gutter={12}>
          <Col span={12}>
            <Form.Item name="districtCode" label={t('admin.common.district')} rules={[{ required: true }]}>
              <Select options={o.district} disabled={Boolean(rule)} />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="categoryPrefix" label={t('admin.routing.category')} extra={t('admin.routing.categoryHint')}>
              <Select allowClear showSearch optionFilterProp="label" options={o.categories} />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="streetCode" label={t('admin.routing.street')}>
              <Select allowClear showSearch optionFilterProp="label" options={o.streets(district)} />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="requestType" label={t('admin.routing.requestType')}>
              <Select allowClear options={o.requestTypes} />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="urgency" label={t('admin.routing.urgency')}>
              <Select allowClear options={o.urgencies} />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="flag" label={t('admin.routing.flag')}>
              <Select allowClear options={o.flags} />
            </Form.Item>
          </Col>
          <Col span={16}>
            <Form.Item name="unitId" label={t('admin.routing.unit')} rules={[{ required: true }]}>
              <Select showSearch optionFilterProp="label" options={o.unitsOf(district)} />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item
              name="priority"
              label={t('admin.routing.priority')}
              rules={[{ required: true }]}
              extra={t('admin.routing.priorityHint')}
            >
              <InputNumber min={0} max={10000} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col span={24}>
            <Form.Item name="note" label={t('admin.routing.note')}>
              <Input maxLength={500} />
            </Form.Item>
          </Col>
        </Row>
      </Form>
      <ErrorNote error={m.error} />
    </Modal>
  );
}

function Tester() {
  const { t } = useTranslation();
  const o = useOptions();
  const test = useTestRoute();
  const name = useUnitName();
  const categoryName = useCategoryName();
  const districtName = useDistrictName();
  const [form] = Form.useForm<TestBody>();
  const district = Form.useWatch('districtCode', form);
  const r = test.data;
  return (
    <Card size="small" title={t('admin.routing.tester')} data-testid="route-tester">
      <Form
        name="tester"
        form={form}
        layout="vertical"
        size="small"
        initialValues={{ requestType: 'complaint', urgency: 'ordinary', flags: [] }}
        onFinish={(v) => void test.mutateAsync({ ...v, streetCode: v.streetCode || undefined }).catch(() => undefined)}
      >
        <Form.Item name="districtCode" label={t('admin.common.district')} rules={[{ required: true }]}>
          <Select options={o.district} aria-label={t('admin.common.district')} />
        </Form.Item>
        <Form.Item name="categoryCode" label={t('admin.routing.categoryExact')} rules={[{ required: true }]}>
          <Select showSearch optionFilterProp="label" options={o.categories} aria-label={t('admin.routing.categoryExact')} />
        </Form.Item>
        <Form.Item name="streetCode" label={t('admin.routing.street')}>
          <Select allowClear showSearch optionFilterProp="label" options={o.streets(district)} />
        </Form.Item>
        <Row gutter={8}>
          <Col span={12}>
            <Form.Item name="requestType" label={t('admin.routing.requestType')}>
              <Select options={o.requestTypes} />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="urgency" label={t('admin.routing.urgency')}>
              <Select options={o.urgencies} />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item name="flags" label={t('admin.routing.flag')}>
          <Select mode="multiple" allowClear options={o.flags} />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={test.isPending}>
          {t('admin.routing.runTest')}
        </Button>
      </Form>
      <ErrorNote error={test.error} />
      {r && (
        <div data-testid="route-test-result" style={{ marginTop: 12 }}>
          {r.rule && r.unit ? (
            <Alert
              type="success"
              showIcon
              title={t('admin.routing.goesTo', { unit: name(r.unit) })}
              description={
                <>
                  {t('admin.routing.byRule', { priority: r.rule.priority, note: r.rule.note ?? '—' })}
                  <br />
                  <Typography.Text type="secondary" data-testid="route-test-rule">
                    {t('admin.routing.ruleWhere', {
                      district: districtName(district),
                      category: r.rule.categoryPrefix ? categoryName(r.rule.categoryPrefix) : t('admin.common.any'),
                      street: r.rule.streetCode
                        ? (o.streets(district).find((x) => x.value === r.rule!.streetCode)?.label ?? r.rule.streetCode)
                        : t('admin.common.any'),
                    })}
                  </Typography.Text>
                  {r.heldForLeader && (
                    <>
                      <br />
                      {t('admin.routing.heldForLeader')}
                    </>
                  )}
                </>
              }
            />
          ) : (
            <Alert type="warning" showIcon title={t('admin.routing.noMatch')} />
          )}
        </div>
      )}
    </Card>
  );
}

export function RoutingPage() {
  const { t } = useTranslation();
  const o = useOptions();
  const name = useUnitName();
  const [includeRetired, setIncludeRetired] = useState(false);
  const [district, setDistrict] = useState<string>();
  const [editing, setEditing] = useState<RouteRule | null>(null);
  const [open, setOpen] = useState(false);
  const rules = useRules(includeRetired);
  const retire = useRetireRule();
  const districtName = useDistrictName();
  const unitById = useMemo(() => new Map(o.units.map((u) => [u.id, u])), [o.units]);
  const catName = (code: string | null) =>
    code ? (o.categories.find((c) => c.value === code)?.label.trim() ?? code) : t('admin.common.any');
  const rows = (rules.data ?? []).filter((r) => !district || r.districtCode === district);
  return (
    <Row gutter={16}>
      <Col span={16}>
        <Card
          size="small"
          data-testid="rules-card"
          title={t('admin.routing.title')}
          extra={
            <Space>
              <Select
                allowClear
                placeholder={t('admin.common.district')}
                options={o.district}
                value={district}
                onChange={setDistrict}
                style={{ width: 140 }}
              />
              <Switch checked={includeRetired} onChange={setIncludeRetired} /> {t('admin.common.showRetired')}
              <Button type="primary" onClick={() => (setEditing(null), setOpen(true))}>
                {t('admin.routing.add')}
              </Button>
            </Space>
          }
        >
          {rules.isError && <ErrorNote error={rules.error} />}
          <ErrorNote error={retire.error} />
          <Table<RouteRule>
            data-testid="rules"
            rowKey="id"
            size="small"
            loading={rules.isPending}
            dataSource={rows}
            pagination={{ pageSize: 50, showSizeChanger: false }}
            scroll={{ y: 'calc(100vh - 300px)' }}
            columns={[
              { title: t('admin.common.district'), dataIndex: 'districtCode', width: 90, render: (c: string) => districtName(c) },
              { title: t('admin.routing.category'), dataIndex: 'categoryPrefix', render: catName },
              {
                title: t('admin.routing.conditions'),
                render: (_, r) =>
                  [
                    r.streetCode && (o.streets(r.districtCode).find((s) => s.value === r.streetCode)?.label ?? r.streetCode),
                    r.requestType && t(`handling.requestTypes.${r.requestType}`),
                    r.urgency && t(`handling.urgency.${r.urgency}`),
                    r.flag && t(`handling.flags.${r.flag}`),
                  ]
                    .filter(Boolean)
                    .join(' · ') || t('admin.common.any'),
              },
              { title: t('admin.routing.unit'), dataIndex: 'unitId', render: (id: string) => name(unitById.get(id)) || id },
              { title: t('admin.routing.priority'), dataIndex: 'priority', width: 70 },
              {
                title: t('admin.common.state'),
                dataIndex: 'active',
                width: 70,
                render: (a: boolean) => (a ? <Tag color="green">{t('admin.common.active')}</Tag> : <Tag>{t('admin.common.retired')}</Tag>),
              },
              {
                title: '',
                width: 120,
                render: (_, r) =>
                  r.active && (
                    <Space size={4}>
                      <Button size="small" type="link" onClick={() => (setEditing(r), setOpen(true))}>
                        {t('admin.common.edit')}
                      </Button>
                      <Popconfirm title={t('admin.routing.retireConfirm')} onConfirm={() => retire.mutate(r.id)}>
                        <Button size="small" type="link" danger>
                          {t('admin.common.retire')}
                        </Button>
                      </Popconfirm>
                    </Space>
                  ),
              },
            ]}
          />
        </Card>
      </Col>
      <Col span={8}>
        <Tester />
      </Col>
      <RuleModal rule={editing} open={open} onClose={() => setOpen(false)} />
    </Row>
  );
}
