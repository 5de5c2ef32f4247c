/** 组织机构: the organisation tree (city → districts → streets → communities; departments, resident desks), heads, and unit edits. */
import { Button, Card, Checkbox, Col, Descriptions, Empty, Form, Input, Row, Select, Space, Switch, Tag, Tree, Typography } from 'antd';
import type { DataNode } from 'antd/es/tree';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorNote } from '../../components/ErrorNote';
import { useAccounts, useAddUnit, useAllUnits, useUpdateUnit } from './api';
import type { Account, OrgUnit } from './types';

const KINDS = ['city_centre', 'district_centre', 'street', 'township', 'community', 'department', 'utility', 'resident_desk'] as const;

export function useUnitName() {
  const { i18n } = useTranslation();
  return (u: OrgUnit | undefined) => (u ? (i18n.language === 'en' ? u.nameEn : u.nameZh) : '');
}

function UnitTitle({ unit, heads }: { unit: OrgUnit; heads: Account[] }) {
  const { t } = useTranslation();
  const name = useUnitName();
  return (
    <span data-testid={`unit-${unit.code}`}>
      {name(unit)}{' '}
      <Tag color={unit.kind === 'resident_desk' ? 'purple' : undefined} style={{ marginInlineStart: 4 }}>
        {t(`admin.org.kinds.${unit.kind}`)}
      </Tag>
      {unit.requiresHeadSignoff && <Tag color="gold">{t('admin.org.signoff')}</Tag>}
      {!unit.active && <Tag color="red">{t('admin.common.retired')}</Tag>}
      {heads.length > 0 && (
        <Typography.Text type="secondary">
          {t('admin.org.head')}：{heads.map((h) => h.displayName).join('、')}
        </Typography.Text>
      )}
    </span>
  );
}

function UnitEditor({ unit, heads, members }: { unit: OrgUnit; heads: Account[]; members: Account[] }) {
  const { t } = useTranslation();
  const update = useUpdateUnit();
  const [form] = Form.useForm<{
    nameZh: string;
    nameEn: string;
    requiresHeadSignoff: boolean;
    dualSignoffRequired: boolean;
    active: boolean;
  }>();
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Descriptions size="small" column={1} bordered>
        <Descriptions.Item label={t('admin.org.code')}>{unit.code}</Descriptions.Item>
        <Descriptions.Item label={t('admin.org.kind')}>{t(`admin.org.kinds.${unit.kind}`)}</Descriptions.Item>
        <Descriptions.Item label={t('admin.common.district')}>{unit.districtCode}</Descriptions.Item>
        <Descriptions.Item label={t('admin.org.head')}>
          {heads.map((h) => h.displayName).join('、') || t('admin.org.noHead')}
        </Descriptions.Item>
        <Descriptions.Item label={t('admin.org.members')}>{members.length}</Descriptions.Item>
      </Descriptions>
      <Form
        key={unit.id}
        form={form}
        layout="vertical"
        size="small"
        initialValues={unit}
        onFinish={(v) =>
          void update
            .mutateAsync({
              id: unit.id,
              body: {
                nameZh: v.nameZh,
                nameEn: v.nameEn,
                requiresHeadSignoff: v.requiresHeadSignoff,
                active: v.active,
                ...(unit.kind === 'district_centre' ? { dualSignoffRequired: v.dualSignoffRequired } : {}),
              },
            })
            .catch(() => undefined)
        }
      >
        <Form.Item name="nameZh" label={t('admin.org.nameZh')} rules={[{ required: true, min: 2 }]}>
          <Input />
        </Form.Item>
        <Form.Item name="nameEn" label={t('admin.org.nameEn')} rules={[{ required: true, min: 2 }]}>
          <Input />
        </Form.Item>
        <Form.Item name="requiresHeadSignoff" valuePropName="checked">
          <Checkbox>{t('admin.org.signoffLong')}</Checkbox>
        </Form.Item>
        {unit.kind === 'district_centre' && (
          <Form.Item name="dualSignoffRequired" valuePropName="checked">
            <Checkbox>{t('admin.org.dualLong')}</Checkbox>
          </Form.Item>
        )}
        <Form.Item name="active" label={t('admin.org.active')} valuePropName="checked">
          <Switch />
        </Form.Item>
        <Space>
          <Button type="primary" htmlType="submit" loading={update.isPending}>
            {t('admin.common.save')}
          </Button>
          {update.isSuccess && <Typography.Text type="success">{t('admin.common.saved')}</Typography.Text>}
        </Space>
        <ErrorNote error={update.error} />
      </Form>
    </Space>
  );
}

function AddUnit({ parent }: { parent: OrgUnit }) {
  const { t } = useTranslation();
  const add = useAddUnit();
  const [form] = Form.useForm<{ code: string; nameZh: string; nameEn: string; kind: (typeof KINDS)[number] }>();
  return (
    <Form
      form={form}
      layout="vertical"
      size="small"
      onFinish={(v) =>
        void add
          .mutateAsync({ ...v, districtCode: parent.districtCode, parentId: parent.id, streetCode: parent.streetCode ?? undefined })
          .then(
            () => form.resetFields(),
            () => undefined,
          )
      }
    >
      <Typography.Title level={3} style={{ fontSize: 14 }}>
        {t('admin.org.addChild')}
      </Typography.Title>
      <Form.Item name="code" label={t('admin.org.code')} rules={[{ required: true }]}>
        <Input placeholder={`${parent.code}-c09`} />
      </Form.Item>
      <Form.Item name="kind" label={t('admin.org.kind')} rules={[{ required: true }]}>
        <Select options={KINDS.filter((k) => k !== 'city_centre').map((k) => ({ value: k, label: t(`admin.org.kinds.${k}`) }))} />
      </Form.Item>
      <Form.Item name="nameZh" label={t('admin.org.nameZh')} rules={[{ required: true, min: 2 }]}>
        <Input />
      </Form.Item>
      <Form.Item name="nameEn" label={t('admin.org.nameEn')} rules={[{ required: true, min: 2 }]}>
        <Input />
      </Form.Item>
      <Button htmlType="submit" loading={add.isPending}>
        {t('admin.common.add')}
      </Button>
      <ErrorNote error={add.error} />
    </Form>
  );
}

export function OrgPage() {
  const { t } = useTranslation();
  const units = useAllUnits();
  const accounts = useAccounts('', 'active').data?.items ?? [];
  const [selected, setSelected] = useState<string | null>(null);
  const [filter, setFilter] = useState('');
  const byUnit = useMemo(() => {
    const m = new Map<string, Account[]>();
    for (const a of accounts) if (a.unitId) m.set(a.unitId, [...(m.get(a.unitId) ?? []), a]);
    return m;
  }, [accounts]);
  const headsOf = (id: string) => (byUnit.get(id) ?? []).filter((a) => a.roles.includes('unit_head'));
  const tree = useMemo(() => {
    const list = units.data ?? [];
    const children = new Map<string | null, OrgUnit[]>();
    const ids = new Set(list.map((u) => u.id));
    for (const u of list) {
      const parent = u.parentId && ids.has(u.parentId) ? u.parentId : null;
      children.set(parent, [...(children.get(parent) ?? []), u]);
    }
    const match = (u: OrgUnit): boolean =>
      !filter || u.nameZh.includes(filter) || u.nameEn.toLowerCase().includes(filter.toLowerCase()) || u.code.includes(filter);
    const build = (parent: string | null): DataNode[] =>
      (children.get(parent) ?? []).flatMap((u) => {
        const sub = build(u.id);
        if (!match(u) && sub.length === 0) return [];
        return [{ key: u.id, title: <UnitTitle unit={u} heads={headsOf(u.id)} />, children: sub }];
      });
    return build(null);
  }, [units.data, filter, byUnit]);
  const unit = units.data?.find((u) => u.id === selected);
  return (
    <Row gutter={16}>
      <Col span={15}>
        <Card
          size="small"
          title={t('admin.org.tree')}
          extra={<Input.Search allowClear placeholder={t('admin.org.search')} onSearch={setFilter} style={{ width: 220 }} />}
        >
          {units.isError && <ErrorNote error={units.error} />}
          {tree.length > 0 && (
            <Tree
              showLine
              blockNode
              defaultExpandedKeys={(units.data ?? [])
                .filter((u) => u.kind === 'city_centre' || u.kind === 'district_centre')
                .map((u) => u.id)}
              treeData={tree}
              height={560}
              onSelect={(keys) => setSelected((keys[0] as string) ?? null)}
            />
          )}
        </Card>
      </Col>
      <Col span={9}>
        <Card size="small" title={unit ? t('admin.org.unitTitle') : t('admin.org.pick')}>
          {unit ? (
            <Space orientation="vertical" style={{ width: '100%' }} size="large">
              <UnitEditor unit={unit} heads={headsOf(unit.id)} members={byUnit.get(unit.id) ?? []} />
              <AddUnit parent={unit} />
            </Space>
          ) : (
            <Empty description={t('admin.org.pickHint')} />
          )}
        </Card>
      </Col>
    </Row>
  );
}
